// The six comparison functions and the btree support function of a type,
// all written in terms of one three-way compare. Used by bytevector and
// bitvector (their btree opclasses); any type with a cmp_internal can use it.
#pragma once

#include "pg/common/fmgr_util.h"

/*
 * VX_DEFINE_COMPARE_OPS(bytevector, ByteVector, PG_GETARG_BYTEVECTOR_P, cmp)
 * defines bytevector_lt, _le, _eq, _ne, _ge, _gt (bool) and bytevector_cmp
 * (int4), where cmp(const T*, const T*) returns <0, 0 or >0.
 */
#define VX_COMPARE_OP_(fname, T, getarg, cmp, expr)   \
    VX_FUNCTION(fname) {                               \
        T* a = getarg(0);                              \
        T* b = getarg(1);                              \
        int c = cmp(a, b);                             \
        PG_RETURN_BOOL(expr);                          \
    }

#define VX_DEFINE_COMPARE_OPS(prefix, T, getarg, cmp)         \
    VX_COMPARE_OP_(prefix##_lt, T, getarg, cmp, c < 0)         \
    VX_COMPARE_OP_(prefix##_le, T, getarg, cmp, c <= 0)        \
    VX_COMPARE_OP_(prefix##_eq, T, getarg, cmp, c == 0)        \
    VX_COMPARE_OP_(prefix##_ne, T, getarg, cmp, c != 0)        \
    VX_COMPARE_OP_(prefix##_ge, T, getarg, cmp, c >= 0)        \
    VX_COMPARE_OP_(prefix##_gt, T, getarg, cmp, c > 0)         \
    VX_FUNCTION(prefix##_cmp) {                                \
        T* a = getarg(0);                                      \
        T* b = getarg(1);                                      \
        int c = cmp(a, b);                                     \
        PG_RETURN_INT32(c < 0 ? -1 : (c > 0 ? 1 : 0));         \
    }
