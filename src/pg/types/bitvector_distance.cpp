// bitvector functions and distances: vector_dims, hamming and jaccard.
//
// Both distances count bits with the popcount kernels of vx::simd::active()
// over whole bytes (padding bits are always zero, so they add nothing). The
// kernels neither allocate nor throw (core/simd/distance.h), so they are called
// directly, without VX_GUARD, after detoasting and checks (which may ereport).
#include "pg/types/bitvector.h"

#include "core/simd/distance.h"
#include "pg/common/fmgr_util.h"
#include "pg/types/type_common.h"

/* Detoast both arguments and check that their bit counts match. */
#define BITVECTOR_PAIR_ARGS(a, b)              \
    BitVector* a = PG_GETARG_BITVECTOR_P(0);   \
    BitVector* b = PG_GETARG_BITVECTOR_P(1);   \
    vx_check_same_dims("bitvector", a->dim, b->dim)

/* Number of bits. */
VX_FUNCTION(bitvector_dims) {
    BitVector* a = PG_GETARG_BITVECTOR_P(0);
    PG_RETURN_INT32(a->dim);
}

/* Hamming distance: the number of differing bits. */
VX_FUNCTION(bitvector_hamming_distance) {
    BITVECTOR_PAIR_ARGS(a, b);
    uint64 d = vx::simd::active().hamming(a->data, b->data, BITVECTOR_BYTES(a->dim));
    PG_RETURN_FLOAT8((double) d);
}

/*
 * Jaccard distance, 1 - |a AND b| / |a OR b|. Like pgvector, it is 1 when the
 * vectors share no set bit, which includes two all-zero vectors.
 */
VX_FUNCTION(bitvector_jaccard_distance) {
    BITVECTOR_PAIR_ARGS(a, b);
    uint64 and_count, or_count;
    vx::simd::active().and_or_popcount(a->data, b->data, BITVECTOR_BYTES(a->dim), &and_count,
                                       &or_count);
    PG_RETURN_FLOAT8(bitvector_jaccard_from_counts(and_count, or_count));
}
