// vector casts: from integer[], real[], double precision[], numeric[]; to real[].
#include "pg/types/vector.h"

#include "pg/common/fmgr_util.h"
#include "pg/types/type_common.h"

extern "C" {
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"
}

/* Convert one array element of type elemtype to float4. */
static float array_element_to_float(Oid elemtype, Datum d) {
    switch (elemtype) {
    case INT4OID:
        return (float) DatumGetInt32(d);
    case FLOAT4OID:
        return DatumGetFloat4(d);
    case FLOAT8OID:
        return (float) DatumGetFloat8(d);
    case NUMERICOID:
        return DatumGetFloat4(DirectFunctionCall1(numeric_float4, d));
    default:
        ereport(ERROR, (errcode(ERRCODE_DATA_EXCEPTION), errmsg("unsupported array type")));
    }
    pg_unreachable();
}

/* array_to_vector(array, typmod, explicit): 1-D, no NULLs, 1..16000 finite values. */
VX_FUNCTION(array_to_vector) {
    ArrayType* array = PG_GETARG_ARRAYTYPE_P(0);
    int32 typmod = PG_GETARG_INT32(1);
    Oid elemtype = ARR_ELEMTYPE(array);
    int16 typlen;
    bool typbyval;
    char typalign;
    Datum* elems;
    int n;

    if (ARR_NDIM(array) > 1)
        ereport(ERROR, (errcode(ERRCODE_DATA_EXCEPTION), errmsg("array must be 1-D")));
    if (ARR_HASNULL(array) && array_contains_nulls(array))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("array must not contain nulls")));

    get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
    deconstruct_array(array, elemtype, typlen, typbyval, typalign, &elems, NULL, &n);

    vx_check_dim_range("vector", n, VX_MAX_DIM);
    vx_check_typmod_dim(typmod, n);

    Vector* result = InitVector(n);
    for (int i = 0; i < n; i++)
        result->x[i] = array_element_to_float(elemtype, elems[i]);
    /* Elements of a by-reference type point into the array: free only the list. */
    pfree(elems);

    /* Checked after converting, so a double beyond float range reads as infinite. */
    for (int i = 0; i < n; i++)
        vector_check_element(result->x[i]);
    PG_RETURN_VECTOR_P(result);
}

/* vector_to_float4(vector, typmod, explicit): the vector's elements as real[]. */
VX_FUNCTION(vector_to_float4) {
    Vector* vec = PG_GETARG_VECTOR_P(0);
    Datum* datums = (Datum*) palloc(sizeof(Datum) * vec->dim);

    for (int i = 0; i < vec->dim; i++)
        datums[i] = Float4GetDatum(vec->x[i]);
    ArrayType* result = construct_array(datums, vec->dim, FLOAT4OID, sizeof(float4), true, TYPALIGN_INT);
    pfree(datums);
    PG_RETURN_POINTER(result);
}
