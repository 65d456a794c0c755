// bytevector functions and distances: vector_dims, l2_norm, l2, inner
// product, cosine, l1, and the l2-squared / negative-inner-product support
// functions indexes order by.
//
// Sums are exact (int64, from the int8 kernels of vx::simd::active()); results
// are float8 like pgvector's. The kernels neither allocate nor throw
// (core/simd/distance.h), so they are called directly, without VX_GUARD, after
// all detoasting and checks (which may ereport) are done.
#include "pg/types/bytevector.h"

#include <cmath>

#include "core/simd/distance.h"
#include "pg/common/fmgr_util.h"
#include "pg/types/type_common.h"

/* Detoast both arguments and check that their dimensions match. */
#define BYTEVECTOR_PAIR_ARGS(a, b)              \
    ByteVector* a = PG_GETARG_BYTEVECTOR_P(0);  \
    ByteVector* b = PG_GETARG_BYTEVECTOR_P(1);  \
    vx_check_same_dims("bytevector", a->dim, b->dim)

/* Number of dimensions. */
VX_FUNCTION(bytevector_dims) {
    ByteVector* a = PG_GETARG_BYTEVECTOR_P(0);
    PG_RETURN_INT32(a->dim);
}

/* Euclidean (L2) norm: l2_norm(bytevector). */
VX_FUNCTION(bytevector_norm) {
    ByteVector* a = PG_GETARG_BYTEVECTOR_P(0);
    int64 sq = vx::simd::active().dot_i8(a->x, a->x, a->dim);
    PG_RETURN_FLOAT8(sqrt((double) sq));
}

/* Euclidean (L2) distance. */
VX_FUNCTION(bytevector_l2_distance) {
    BYTEVECTOR_PAIR_ARGS(a, b);
    int64 sq = vx::simd::active().l2sq_i8(a->x, b->x, a->dim);
    PG_RETURN_FLOAT8(sqrt((double) sq));
}

/* Squared L2 distance: orders like l2_distance without the sqrt (index support). */
VX_FUNCTION(bytevector_l2_squared_distance) {
    BYTEVECTOR_PAIR_ARGS(a, b);
    PG_RETURN_FLOAT8((double) vx::simd::active().l2sq_i8(a->x, b->x, a->dim));
}

/* Inner product. */
VX_FUNCTION(bytevector_inner_product) {
    BYTEVECTOR_PAIR_ARGS(a, b);
    PG_RETURN_FLOAT8((double) vx::simd::active().dot_i8(a->x, b->x, a->dim));
}

/* Negative inner product: the <#> operator, smaller means more similar. */
VX_FUNCTION(bytevector_negative_inner_product) {
    BYTEVECTOR_PAIR_ARGS(a, b);
    PG_RETURN_FLOAT8(-(double) vx::simd::active().dot_i8(a->x, b->x, a->dim));
}

/* Cosine distance, 1 - cos; NaN when either vector is all zeros (as pgvector). */
VX_FUNCTION(bytevector_cosine_distance) {
    BYTEVECTOR_PAIR_ARGS(a, b);
    vx::simd::CosineSumsI8 s = vx::simd::active().cosine_i8(a->x, b->x, a->dim);
    /* sqrt(a * b) rather than sqrt(a) * sqrt(b): one rounding less. */
    double similarity = (double) s.dot / sqrt((double) s.norm_a * (double) s.norm_b);
    if (std::isnan(similarity))
        PG_RETURN_FLOAT8(similarity);
    /* Rounding may step just outside [-1, 1]. */
    if (similarity > 1)
        similarity = 1;
    else if (similarity < -1)
        similarity = -1;
    PG_RETURN_FLOAT8(1.0 - similarity);
}

/* Taxicab (L1) distance. */
VX_FUNCTION(bytevector_l1_distance) {
    BYTEVECTOR_PAIR_ARGS(a, b);
    PG_RETURN_FLOAT8((double) vx::simd::active().l1_i8(a->x, b->x, a->dim));
}
