// bitvector: up to 64000 bits packed 8 per byte, most significant bit first
// (bit 0 is the first character of the text form). Same layout as PostgreSQL's
// varbit, which keeps casts to and from bit varying cheap. Unused low bits of
// the last byte are always zero.
#pragma once

extern "C" {
#include "postgres.h"
#include "fmgr.h"
}

typedef struct BitVector {
    int32 vl_len_;  /* varlena header (do not touch directly!) */
    int32 dim;      /* number of bits */
    uint8 data[FLEXIBLE_ARRAY_MEMBER];
} BitVector;

#define BITVECTOR_BYTES(_dim) (((_dim) + 7) / 8)
#define BITVECTOR_SIZE(_dim) (offsetof(BitVector, data) + BITVECTOR_BYTES(_dim))
#define DatumGetBitVector(x) ((BitVector*) PG_DETOAST_DATUM(x))
#define PG_GETARG_BITVECTOR_P(x) DatumGetBitVector(PG_GETARG_DATUM(x))
#define PG_RETURN_BITVECTOR_P(x) PG_RETURN_POINTER(x)

/* Jaccard distance from |a AND b| and |a OR b| (the <%> operator's result;
 * also used by the binary index, so that its distances are the operator's). */
static inline double bitvector_jaccard_from_counts(uint64 and_count, uint64 or_count) {
    return and_count == 0 ? 1.0 : 1.0 - (double) and_count / (double) or_count;
}

/* A zeroed bitvector of dim bits (palloc'd). */
BitVector* InitBitVector(int dim);
