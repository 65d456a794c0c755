// avg(vector) support: transition, combine and final functions.
//
// The state is a double precision[] {n, sum_1, ..., sum_dim} (as pgvector), so
// it can pass between parallel workers; before the first row it is {0}.
// sum(vector) needs no code of its own: it is vector_add (see 10_vector.sql).
#include "pg/types/vector.h"

#include <cmath>

#include "pg/common/fmgr_util.h"
#include "pg/types/type_common.h"

extern "C" {
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/float.h"
}

/* Dimensions summed in a state array (its length minus the count). */
#define STATE_DIMS(a) (ARR_DIMS(a)[0] - 1)

/* The state's values, after checking it is a 1-D float8 array without NULLs. */
static float8* state_values(ArrayType* state, const char* caller) {
    if (ARR_NDIM(state) != 1 || ARR_DIMS(state)[0] < 1 || ARR_HASNULL(state) ||
        ARR_ELEMTYPE(state) != FLOAT8OID)
        elog(ERROR, "%s: expected state array", caller);
    return (float8*) ARR_DATA_PTR(state);
}

/* A new state array from n followed by dim sums. */
static ArrayType* make_state(float8 n, const float8* sums, int dim) {
    Datum* d = (Datum*) palloc(sizeof(Datum) * ((Size) dim + 1));

    d[0] = Float8GetDatum(n);
    for (int i = 0; i < dim; i++)
        d[i + 1] = Float8GetDatum(sums[i]);
    ArrayType* result = construct_array(d, dim + 1, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL,
                                        TYPALIGN_DOUBLE);
    pfree(d);
    return result;
}

/* Transition: count one more vector and add it to the sums. */
VX_FUNCTION(vector_accum) {
    ArrayType* state = PG_GETARG_ARRAYTYPE_P(0);
    Vector* v = PG_GETARG_VECTOR_P(1);
    float8* values = state_values(state, "vector_accum");
    int dim = STATE_DIMS(state);
    bool first = dim == 0;

    if (first)
        dim = v->dim;
    else
        vx_check_typmod_dim(dim, v->dim);

    float8* sums = (float8*) palloc(sizeof(float8) * dim);
    for (int i = 0; i < dim; i++) {
        sums[i] = first ? (double) v->x[i] : values[i + 1] + v->x[i];
        if (std::isinf(sums[i]))
            float_overflow_error();
    }
    ArrayType* result = make_state(values[0] + 1.0, sums, dim);
    pfree(sums);
    PG_RETURN_ARRAYTYPE_P(result);
}

/* Combine two partial states (from parallel workers); an empty one is {0}. */
VX_FUNCTION(vector_combine) {
    ArrayType* s1 = PG_GETARG_ARRAYTYPE_P(0);
    ArrayType* s2 = PG_GETARG_ARRAYTYPE_P(1);
    float8* v1 = state_values(s1, "vector_combine");
    float8* v2 = state_values(s2, "vector_combine");
    int dim1 = STATE_DIMS(s1);
    int dim2 = STATE_DIMS(s2);
    int dim = dim1 != 0 ? dim1 : dim2;

    if (dim != 0)
        vx_check_dim_range("vector", dim, VX_MAX_DIM);
    if (dim1 != 0 && dim2 != 0)
        vx_check_typmod_dim(dim1, dim2);

    float8* sums = (float8*) palloc(sizeof(float8) * ((Size) dim + 1));
    for (int i = 0; i < dim; i++) {
        if (dim2 == 0)
            sums[i] = v1[i + 1];
        else if (dim1 == 0)
            sums[i] = v2[i + 1];
        else {
            sums[i] = v1[i + 1] + v2[i + 1];
            if (std::isinf(sums[i]))
                float_overflow_error();
        }
    }
    ArrayType* result = make_state(v1[0] + v2[0], sums, dim);
    pfree(sums);
    PG_RETURN_ARRAYTYPE_P(result);
}

/* Final: the sums divided by the count; NULL when no rows were aggregated. */
VX_FUNCTION(vector_avg) {
    ArrayType* state = PG_GETARG_ARRAYTYPE_P(0);
    float8* values = state_values(state, "vector_avg");
    float8 n = values[0];

    if (n == 0.0)
        PG_RETURN_NULL();

    int dim = STATE_DIMS(state);
    vx_check_dim_range("vector", dim, VX_MAX_DIM);
    Vector* result = InitVector(dim);
    for (int i = 0; i < dim; i++) {
        result->x[i] = (float) (values[i + 1] / n);
        vector_check_element(result->x[i]);
    }
    PG_RETURN_VECTOR_P(result);
}
