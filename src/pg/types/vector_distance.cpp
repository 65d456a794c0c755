// vector distances (functions behind <->, <#>, <=>, <+> and the index support
// procs), computed with the SIMD kernels of src/core/simd. Results and edge
// cases follow pgvector: float32 sums widened to double, cosine clamped.
#include "pg/types/vector.h"

#include <cmath>

#include "core/simd/distance.h"
#include "pg/common/fmgr_util.h"
#include "pg/types/type_common.h"

/* Both arguments, detoasted, after checking their dimensions agree. */
#define VECTOR_PAIR_ARGS()                          \
    Vector* a = PG_GETARG_VECTOR_P(0);              \
    Vector* b = PG_GETARG_VECTOR_P(1);              \
    vx_check_same_dims("vector", a->dim, b->dim)

/* Euclidean distance. */
VX_FUNCTION(l2_distance) {
    VECTOR_PAIR_ARGS();
    float d = vx::simd::active().l2sq_f32(a->x, b->x, a->dim);
    PG_RETURN_FLOAT8(sqrt((double) d));
}

/* Squared Euclidean distance (saves the sqrt for index searches). */
VX_FUNCTION(vector_l2_squared_distance) {
    VECTOR_PAIR_ARGS();
    PG_RETURN_FLOAT8((double) vx::simd::active().l2sq_f32(a->x, b->x, a->dim));
}

/* Inner product. */
VX_FUNCTION(inner_product) {
    VECTOR_PAIR_ARGS();
    PG_RETURN_FLOAT8((double) vx::simd::active().dot_f32(a->x, b->x, a->dim));
}

/* Negative inner product (the <#> operator, smaller is closer). */
VX_FUNCTION(vector_negative_inner_product) {
    VECTOR_PAIR_ARGS();
    PG_RETURN_FLOAT8((double) -vx::simd::active().dot_f32(a->x, b->x, a->dim));
}

/* Cosine distance: 1 - similarity, similarity clamped to [-1, 1]; NaN for a zero norm. */
VX_FUNCTION(cosine_distance) {
    VECTOR_PAIR_ARGS();
    vx::simd::CosineSums s = vx::simd::active().cosine_f32(a->x, b->x, a->dim);
    /* sqrt(a * b) rather than sqrt(a) * sqrt(b), as pgvector does. */
    double similarity = (double) s.dot / sqrt((double) s.norm_a * (double) s.norm_b);

    if (std::isnan(similarity))
        PG_RETURN_FLOAT8(NAN);
    if (similarity > 1)
        similarity = 1.0;
    else if (similarity < -1)
        similarity = -1.0;
    PG_RETURN_FLOAT8(1.0 - similarity);
}

/*
 * Angular distance for spherical k-means: acos(a . b) / pi, for unit vectors
 * (no norms taken); the dot product is clamped so rounding cannot give NaN.
 */
VX_FUNCTION(vector_spherical_distance) {
    VECTOR_PAIR_ARGS();
    double dot = (double) vx::simd::active().dot_f32(a->x, b->x, a->dim);

    if (dot > 1)
        dot = 1;
    else if (dot < -1)
        dot = -1;
    PG_RETURN_FLOAT8(acos(dot) / M_PI);
}

/* Taxicab (L1) distance. */
VX_FUNCTION(l1_distance) {
    VECTOR_PAIR_ARGS();
    PG_RETURN_FLOAT8((double) vx::simd::active().l1_f32(a->x, b->x, a->dim));
}
