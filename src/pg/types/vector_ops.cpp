// vector functions and arithmetic: vector_dims, vector_norm, l2_normalize,
// subvector, + - * and || (pgvector semantics and messages).
#include "pg/types/vector.h"

#include <cmath>
#include <cstring>

#include "pg/common/fmgr_util.h"
#include "pg/types/type_common.h"

extern "C" {
#include "utils/float.h"
}

/* Number of dimensions. */
VX_FUNCTION(vector_dims) {
    Vector* a = PG_GETARG_VECTOR_P(0);
    PG_RETURN_INT32(a->dim);
}

/* Sum of squares in double, so large elements do not overflow. */
static double vector_sum_squares(const Vector* a) {
    double s = 0.0;
    for (int i = 0; i < a->dim; i++)
        s += (double) a->x[i] * (double) a->x[i];
    return s;
}

/* Euclidean norm. */
VX_FUNCTION(vector_norm) {
    Vector* a = PG_GETARG_VECTOR_P(0);
    PG_RETURN_FLOAT8(sqrt(vector_sum_squares(a)));
}

/* Scale to unit Euclidean norm; the zero vector stays zero. */
VX_FUNCTION(l2_normalize) {
    Vector* a = PG_GETARG_VECTOR_P(0);
    Vector* result = InitVector(a->dim);
    double norm = sqrt(vector_sum_squares(a));

    if (norm > 0) {
        for (int i = 0; i < a->dim; i++)
            result->x[i] = (float) (a->x[i] / norm);
        for (int i = 0; i < a->dim; i++)
            if (std::isinf(result->x[i]))
                float_overflow_error();
    }
    PG_RETURN_VECTOR_P(result);
}

/*
 * subvector(v, start, count): count elements from 1-based start, like
 * substring: a start below 1 eats into count, a count past the end is cut.
 */
VX_FUNCTION(subvector) {
    Vector* a = PG_GETARG_VECTOR_P(0);
    int32 start = PG_GETARG_INT32(1);
    int32 count = PG_GETARG_INT32(2);
    int32 end;

    /* An empty result raises "vector must have at least 1 dimension". */
    if (count < 1)
        vx_check_dim_range("vector", 0, VX_MAX_DIM);
    /* start + count > dim, written so it cannot overflow (dim, count > 0). */
    if (start > a->dim - count)
        end = a->dim + 1;
    else
        end = start + count;
    if (start < 1)
        start = 1;
    else if (start > a->dim)
        vx_check_dim_range("vector", 0, VX_MAX_DIM);

    int dim = end - start;
    vx_check_dim_range("vector", dim, VX_MAX_DIM);
    Vector* result = InitVector(dim);
    memcpy(result->x, a->x + (start - 1), sizeof(float) * dim);
    PG_RETURN_VECTOR_P(result);
}

/* "value out of range: overflow" if any element became infinite. */
static void check_overflow(const Vector* r) {
    for (int i = 0; i < r->dim; i++)
        if (std::isinf(r->x[i]))
            float_overflow_error();
}

/* Element-wise sum. */
VX_FUNCTION(vector_add) {
    Vector* a = PG_GETARG_VECTOR_P(0);
    Vector* b = PG_GETARG_VECTOR_P(1);
    vx_check_same_dims("vector", a->dim, b->dim);

    Vector* result = InitVector(a->dim);
    for (int i = 0; i < a->dim; i++)
        result->x[i] = a->x[i] + b->x[i];
    check_overflow(result);
    PG_RETURN_VECTOR_P(result);
}

/* Element-wise difference. */
VX_FUNCTION(vector_sub) {
    Vector* a = PG_GETARG_VECTOR_P(0);
    Vector* b = PG_GETARG_VECTOR_P(1);
    vx_check_same_dims("vector", a->dim, b->dim);

    Vector* result = InitVector(a->dim);
    for (int i = 0; i < a->dim; i++)
        result->x[i] = a->x[i] - b->x[i];
    check_overflow(result);
    PG_RETURN_VECTOR_P(result);
}

/* Element-wise product; a non-zero product that rounds to zero is an underflow. */
VX_FUNCTION(vector_mul) {
    Vector* a = PG_GETARG_VECTOR_P(0);
    Vector* b = PG_GETARG_VECTOR_P(1);
    vx_check_same_dims("vector", a->dim, b->dim);

    Vector* result = InitVector(a->dim);
    for (int i = 0; i < a->dim; i++)
        result->x[i] = a->x[i] * b->x[i];
    for (int i = 0; i < a->dim; i++) {
        if (std::isinf(result->x[i]))
            float_overflow_error();
        if (result->x[i] == 0 && !(a->x[i] == 0 || b->x[i] == 0))
            float_underflow_error();
    }
    PG_RETURN_VECTOR_P(result);
}

/* Concatenation (at most 16000 dimensions). */
VX_FUNCTION(vector_concat) {
    Vector* a = PG_GETARG_VECTOR_P(0);
    Vector* b = PG_GETARG_VECTOR_P(1);
    int dim = a->dim + b->dim;

    vx_check_dim_range("vector", dim, VX_MAX_DIM);
    Vector* result = InitVector(dim);
    memcpy(result->x, a->x, sizeof(float) * a->dim);
    memcpy(result->x + a->dim, b->x, sizeof(float) * b->dim);
    PG_RETURN_VECTOR_P(result);
}
