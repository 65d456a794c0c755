// Conversions between vector and the compact types: vector <-> bytevector
// casts and binary_quantize(vector) -> bitvector.
//
// vector -> bytevector is lossy, by a documented rule: each element is rounded
// to the nearest integer, halves away from zero (roundf: 2.5 -> 3, -2.5 -> -3),
// and values beyond the int8 range saturate to -128 or 127. bytevector ->
// vector is exact (every int8 is a float32).
// Plain C-style code: everything here may ereport.
#include <cmath>

#include "pg/common/fmgr_util.h"
#include "pg/types/bitvector.h"
#include "pg/types/bytevector.h"
#include "pg/types/type_common.h"
#include "pg/types/vector.h"

/* Round half away from zero, then saturate to [-128, 127] (vector values are finite). */
static int8 float_to_int8_saturated(float value) {
    if (value >= (float) PG_INT8_MAX)
        return PG_INT8_MAX;
    if (value <= (float) PG_INT8_MIN)
        return PG_INT8_MIN;
    return (int8) std::round(value);
}

/* Cast vector to bytevector(n): round and saturate each element. */
VX_FUNCTION(vector_to_bytevector) {
    Vector* vec = PG_GETARG_VECTOR_P(0);
    vx_check_dim_range("bytevector", vec->dim, VX_MAX_DIM);
    vx_check_typmod_dim(PG_GETARG_INT32(1), vec->dim);

    ByteVector* result = InitByteVector(vec->dim);
    for (int i = 0; i < vec->dim; i++)
        result->x[i] = float_to_int8_saturated(vec->x[i]);
    PG_RETURN_BYTEVECTOR_P(result);
}

/* Cast bytevector to vector(n): exact. */
VX_FUNCTION(bytevector_to_vector) {
    ByteVector* vec = PG_GETARG_BYTEVECTOR_P(0);
    vx_check_dim_range("vector", vec->dim, VX_MAX_DIM);
    vx_check_typmod_dim(PG_GETARG_INT32(1), vec->dim);

    Vector* result = InitVector(vec->dim);
    for (int i = 0; i < vec->dim; i++)
        result->x[i] = (float) vec->x[i];
    PG_RETURN_VECTOR_P(result);
}

/* One bit per element, set when the element is greater than zero (as pgvector). */
VX_FUNCTION(vector_binary_quantize) {
    Vector* vec = PG_GETARG_VECTOR_P(0);
    BitVector* result = InitBitVector(vec->dim);

    for (int i = 0; i < vec->dim; i++) {
        if (vec->x[i] > 0)
            result->data[i / 8] |= (uint8) (0x80 >> (i % 8));
    }
    PG_RETURN_BITVECTOR_P(result);
}
