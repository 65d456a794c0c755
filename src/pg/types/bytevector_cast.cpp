// bytevector casts: typmod enforcement and integer[] in both directions.
// Plain C-style code: everything here may ereport.
#include "pg/types/bytevector.h"

#include "pg/common/fmgr_util.h"
#include "pg/types/type_common.h"

extern "C" {
#include "catalog/pg_type.h"
#include "utils/array.h"
}

/* Cast bytevector to bytevector(n): checks the dimensions against the typmod. */
VX_FUNCTION(bytevector) {
    ByteVector* vec = PG_GETARG_BYTEVECTOR_P(0);
    vx_check_typmod_dim(PG_GETARG_INT32(1), vec->dim);
    PG_RETURN_BYTEVECTOR_P(vec);
}

/* Cast integer[] to bytevector: 1-D, no nulls, each element in [-128, 127]. */
VX_FUNCTION(array_to_bytevector) {
    ArrayType* array = PG_GETARG_ARRAYTYPE_P(0);
    int32 typmod = PG_GETARG_INT32(1);
    Datum* elems;
    int n;

    if (ARR_NDIM(array) > 1)
        ereport(ERROR, (errcode(ERRCODE_DATA_EXCEPTION), errmsg("array must be 1-D")));
    if (ARR_HASNULL(array) && array_contains_nulls(array))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("array must not contain nulls")));
    if (ARR_ELEMTYPE(array) != INT4OID)
        ereport(ERROR, (errcode(ERRCODE_DATA_EXCEPTION), errmsg("unsupported array type")));

    deconstruct_array(array, INT4OID, sizeof(int32), true, TYPALIGN_INT, &elems, NULL, &n);
    vx_check_dim_range("bytevector", n, VX_MAX_DIM);
    vx_check_typmod_dim(typmod, n);

    ByteVector* result = InitByteVector(n);
    for (int i = 0; i < n; i++) {
        int32 value = DatumGetInt32(elems[i]);
        if (value < PG_INT8_MIN || value > PG_INT8_MAX)
            ereport(ERROR, (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
                            errmsg("\"%d\" is out of range for type bytevector", value),
                            errdetail("Elements must be integers from %d to %d.", PG_INT8_MIN, PG_INT8_MAX)));
        result->x[i] = (int8) value;
    }
    pfree(elems);
    PG_RETURN_BYTEVECTOR_P(result);
}

/* Cast bytevector to integer[]. */
VX_FUNCTION(bytevector_to_int4) {
    ByteVector* vec = PG_GETARG_BYTEVECTOR_P(0);
    Datum* datums = (Datum*) palloc(sizeof(Datum) * vec->dim);

    for (int i = 0; i < vec->dim; i++)
        datums[i] = Int32GetDatum(vec->x[i]);
    ArrayType* result = construct_array(datums, vec->dim, INT4OID, sizeof(int32), true, TYPALIGN_INT);
    pfree(datums);
    PG_RETURN_POINTER(result);
}
