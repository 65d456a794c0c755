// vector ordering for btree: < <= = <> >= > and vector_cmp.
#include "pg/types/vector.h"

#include "pg/common/fmgr_util.h"

/* Elements first, then dimensions, consistent with PostgreSQL arrays. */
int vector_cmp_internal(const Vector* a, const Vector* b) {
    int dim = Min(a->dim, b->dim);

    for (int i = 0; i < dim; i++) {
        if (a->x[i] < b->x[i])
            return -1;
        if (a->x[i] > b->x[i])
            return 1;
    }
    if (a->dim < b->dim)
        return -1;
    if (a->dim > b->dim)
        return 1;
    return 0;
}

/* Compare the two vector arguments of a SQL call. */
#define VECTOR_CMP_ARGS() vector_cmp_internal(PG_GETARG_VECTOR_P(0), PG_GETARG_VECTOR_P(1))

/* btree support function 1. */
VX_FUNCTION(vector_cmp) { PG_RETURN_INT32(VECTOR_CMP_ARGS()); }

/* Operator < . */
VX_FUNCTION(vector_lt) { PG_RETURN_BOOL(VECTOR_CMP_ARGS() < 0); }

/* Operator <= . */
VX_FUNCTION(vector_le) { PG_RETURN_BOOL(VECTOR_CMP_ARGS() <= 0); }

/* Operator = . */
VX_FUNCTION(vector_eq) { PG_RETURN_BOOL(VECTOR_CMP_ARGS() == 0); }

/* Operator <> . */
VX_FUNCTION(vector_ne) { PG_RETURN_BOOL(VECTOR_CMP_ARGS() != 0); }

/* Operator >= . */
VX_FUNCTION(vector_ge) { PG_RETURN_BOOL(VECTOR_CMP_ARGS() >= 0); }

/* Operator > . */
VX_FUNCTION(vector_gt) { PG_RETURN_BOOL(VECTOR_CMP_ARGS() > 0); }
