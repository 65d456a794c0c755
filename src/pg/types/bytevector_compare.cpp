// bytevector comparison operators and btree support.
//
// Order: element by element, then the shorter vector first, the way
// PostgreSQL orders arrays (and pgvector orders vectors).
#include "pg/types/bytevector.h"

#include "pg/types/compare_ops.h"

/* Three-way compare of two bytevectors. */
static int bytevector_cmp_internal(const ByteVector* a, const ByteVector* b) {
    int dim = Min(a->dim, b->dim);
    for (int i = 0; i < dim; i++) {
        if (a->x[i] != b->x[i])
            return a->x[i] < b->x[i] ? -1 : 1;
    }
    return (a->dim > b->dim) - (a->dim < b->dim);
}

/* bytevector_lt, _le, _eq, _ne, _ge, _gt and bytevector_cmp (btree support). */
VX_DEFINE_COMPARE_OPS(bytevector, ByteVector, PG_GETARG_BYTEVECTOR_P, bytevector_cmp_internal)
