// Where each dimension's value sits inside a packed code (sq8 / sq4 / sq2 / bq1).
//
// Sub-byte codes are laid out for SIMD unpacking: a code with BITS bits per
// dimension packs P = 8 / BITS values per byte, and every full block of 16 * P
// dimensions takes 16 bytes, dimension j of the block living in byte j % 16,
// field j / 16 (bits BITS*field .. BITS*field+BITS-1). So one 16-byte load
// widened to 16 lanes yields P groups of 16 consecutive dimensions by a shift
// and a mask. Dimensions after the last full block are packed in order, P per
// byte, low bits first. For BITS = 8 both rules are the plain byte array.
// bq1 codes are plain bit strings: dimension i is bit i % 8 of byte i / 8, so
// two bytes read little-endian are the mask of 16 consecutive dimensions.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vx::quant {
// Internal linkage on purpose (see half.h).
namespace {

/// Dimensions in one full 16-byte block of a BITS-bit code.
template <int BITS>
constexpr size_t block_dims() {
    return size_t(16) * (8 / BITS);
}

/// Byte index and bit shift of dimension i in a BITS-bit code of n dimensions.
template <int BITS>
inline void code_position(size_t i, size_t n, size_t* byte, unsigned* shift) {
    constexpr size_t P = 8 / BITS, B = block_dims<BITS>();
    const size_t full = n / B * B;
    if (i < full) {
        *byte = i / B * 16 + i % 16;
        *shift = unsigned((i % B) / 16) * BITS;
    } else {
        const size_t t = i - full;
        *byte = full / P + t / P;
        *shift = unsigned(t % P) * BITS;
    }
}

/// The value (0 .. 2^BITS - 1) of dimension i.
template <int BITS>
inline unsigned code_at(const uint8_t* code, size_t i, size_t n) {
    size_t byte;
    unsigned shift;
    code_position<BITS>(i, n, &byte, &shift);
    return (code[byte] >> shift) & ((1u << BITS) - 1);
}

/// Stores value v of dimension i (the code must start zeroed).
template <int BITS>
inline void set_code(uint8_t* code, size_t i, size_t n, unsigned v) {
    size_t byte;
    unsigned shift;
    code_position<BITS>(i, n, &byte, &shift);
    code[byte] = uint8_t(code[byte] | (v << shift));
}

/// Bit i of a bq1 code.
inline unsigned bit_at(const uint8_t* code, size_t i) {
    return (code[i / 8] >> (i % 8)) & 1u;
}

}  // namespace
}  // namespace vx::quant
