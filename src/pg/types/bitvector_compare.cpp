// bitvector comparison operators and btree support.
//
// Order: bit by bit, then the shorter vector first, as PostgreSQL orders
// bit varying. Bits are packed most significant first with zero padding, so
// comparing the common whole bytes, then the lengths, gives exactly that order.
#include "pg/types/bitvector.h"

#include <cstring>

#include "pg/types/compare_ops.h"

/* Three-way compare of two bitvectors. */
static int bitvector_cmp_internal(const BitVector* a, const BitVector* b) {
    int nbytes = Min(BITVECTOR_BYTES(a->dim), BITVECTOR_BYTES(b->dim));
    int c = memcmp(a->data, b->data, nbytes);
    if (c != 0)
        return c;
    return (a->dim > b->dim) - (a->dim < b->dim);
}

/* bitvector_lt, _le, _eq, _ne, _ge, _gt and bitvector_cmp (btree support). */
VX_DEFINE_COMPARE_OPS(bitvector, BitVector, PG_GETARG_BITVECTOR_P, bitvector_cmp_internal)
