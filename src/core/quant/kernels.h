// Hot loops of code distances, one table per instruction set (scalar, AVX2,
// AVX-512), chosen at run time like vx::simd's distance kernels.
//
// Every kernel reads one code of n dimensions laid out as code_layout.h says,
// never reads past ceil(n * bits / 8) code bytes or n floats of the per-
// dimension arrays, never allocates and never throws. SIMD tables must agree
// with the scalar table up to float rounding (test/unit/test_quant_kernels.cpp).
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/simd/distance.h"

namespace vx::quant {

using simd::Isa;

/// Inner product with the query and squared norm of a decoded code.
struct DotNorm {
    float dot;
    float norm;  ///< sum of x[i]^2 over the decoded code x
};

/// Weighted and plain bit counts of a 1-bit code (exact integers).
struct BitSums {
    uint32_t sum;    ///< sum of wq[i] over set bits (at most 255 * 16000 < 2^32)
    uint32_t count;  ///< number of set bits
    uint32_t sum2;   ///< sum of wq2[i] over set bits (0 without wq2)
};

/// Bytes of an 8-bit weight array for n dimensions (n rounded up to 64).
constexpr size_t bit_weight_bytes(size_t n) {
    return (n + 63) / 64 * 64;
}

/// Kernels over unsigned codes of one width (8, 4 or 2 bits); c[i] is the
/// integer value of dimension i.
struct UintKernels {
    /// sum w[i] * c[i]
    float (*wdot)(const float* w, const uint8_t* code, size_t n);
    /// sum w[i] * (u[i] - c[i])^2
    float (*wl2)(const float* u, const float* w, const uint8_t* code, size_t n);
    /// With x[i] = lo[i] + step[i] * c[i]: sum q[i] * x[i] and sum x[i]^2
    DotNorm (*cosine)(const float* q, const float* lo, const float* step, const uint8_t* code,
                      size_t n);
};

struct QuantKernels {
    Isa isa;
    const char* name;  ///< "scalar", "avx2", "avx512"

    // float16 codes, x[i] = half value i
    float (*l2_f16)(const float* q, const uint16_t* code, size_t n);   ///< sum (q - x)^2
    float (*dot_f16)(const float* q, const uint16_t* code, size_t n);  ///< sum q * x
    DotNorm (*cosine_f16)(const float* q, const uint16_t* code, size_t n);

    UintKernels u8, u4, u2;

    // 1-bit codes, b[i] in {0, 1}, against 8-bit weights wq[i]. wq holds
    // bit_weight_bytes(n) bytes, zero past n (so SIMD loads of it need no tail
    // handling); code bytes past ceil(n / 8) are never read.
    // A second weight array wq2 (or nullptr) is summed in the same pass, for
    // cosine, whose norm of x̂ is a second weighted bit sum.
    /// sum wq[i] * b[i], sum b[i] and sum wq2[i] * b[i]
    BitSums (*bsum_b1)(const uint8_t* wq, const uint8_t* wq2, const uint8_t* bits, size_t n);
    /// bsum_b1 of `count` codes spaced `stride` bytes apart, into out[0..count)
    void (*bsum_b1_batch)(const uint8_t* wq, const uint8_t* wq2, const uint8_t* codes, size_t count,
                          size_t stride, size_t n, BitSums* out);
};

/// The best table the running CPU supports.
const QuantKernels& active_kernels();

/// The table for one instruction set, or nullptr when it is not compiled in or
/// the CPU lacks it (tests and benchmarks). Isa::avx512 is the plain AVX-512
/// table; active_kernels() prefers avx512_vnni_kernels() when the CPU has VNNI.
const QuantKernels* kernels_for_isa(Isa isa);

/// The AVX-512 table with the VNNI 1-bit batch kernel (name "avx512vnni"), or
/// nullptr when the CPU lacks AVX-512 VNNI.
const QuantKernels* avx512_vnni_kernels();

}  // namespace vx::quant
