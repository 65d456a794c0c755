// bitvector casts: typmod enforcement, and bit / bit varying in both
// directions. bitvector has varbit's layout (header, int32 bit count, packed
// bits with zero padding), so these casts only check and relabel.
// Plain C-style code: everything here may ereport.
#include "pg/types/bitvector.h"

#include "pg/common/fmgr_util.h"
#include "pg/types/type_common.h"

extern "C" {
#include "utils/varbit.h"
}

static_assert(offsetof(BitVector, dim) == offsetof(VarBit, bit_len) &&
                  offsetof(BitVector, data) == offsetof(VarBit, bit_dat),
              "bitvector must keep varbit's layout");

/* Cast bitvector to bitvector(n): checks the bit count against the typmod. */
VX_FUNCTION(bitvector) {
    BitVector* vec = PG_GETARG_BITVECTOR_P(0);
    vx_check_typmod_dim(PG_GETARG_INT32(1), vec->dim);
    PG_RETURN_BITVECTOR_P(vec);
}

/* Cast bit or bit varying to bitvector: 1..64000 bits, typmod checked. */
VX_FUNCTION(varbit_to_bitvector) {
    VarBit* bits = PG_GETARG_VARBIT_P(0);
    int dim = VARBITLEN(bits);
    vx_check_dim_range("bitvector", dim, VX_MAX_BIT_DIM);
    vx_check_typmod_dim(PG_GETARG_INT32(1), dim);
    PG_RETURN_POINTER(bits);
}

/* Cast bitvector to bit varying (and, binary-compatibly, to bit). */
VX_FUNCTION(bitvector_to_varbit) {
    PG_RETURN_POINTER(PG_GETARG_BITVECTOR_P(0));
}
