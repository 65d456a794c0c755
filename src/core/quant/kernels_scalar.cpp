// Scalar reference kernels: the definition every SIMD table is tested against,
// and the fallback on CPUs without AVX2.
#include <cmath>

#include "core/quant/code_layout.h"
#include "core/quant/half.h"
#include "core/quant/kernel_tables.h"

namespace vx::quant {
namespace {

/// Calls f(i, c[i]) for every dimension of a BITS-bit code, block by block.
template <int BITS, class F>
inline void for_each_code(const uint8_t* code, size_t n, F&& f) {
    constexpr size_t P = 8 / BITS, B = block_dims<BITS>();
    constexpr unsigned mask = (1u << BITS) - 1;
    const size_t full = n / B * B;
    for (size_t blk = 0; blk < full; blk += B, code += 16)
        for (size_t k = 0; k < P; k++)
            for (size_t j = 0; j < 16; j++)
                f(blk + 16 * k + j, (code[j] >> (k * BITS)) & mask);
    for (size_t t = 0; full + t < n; t++)
        f(full + t, (code[t / P] >> ((t % P) * BITS)) & mask);
}

template <int BITS>
float wdot(const float* w, const uint8_t* code, size_t n) {
    float s = 0;
    for_each_code<BITS>(code, n, [&](size_t i, unsigned c) { s += w[i] * float(c); });
    return s;
}

template <int BITS>
float wl2(const float* u, const float* w, const uint8_t* code, size_t n) {
    float s = 0;
    for_each_code<BITS>(code, n, [&](size_t i, unsigned c) {
        float d = u[i] - float(c);
        s += w[i] * d * d;
    });
    return s;
}

template <int BITS>
DotNorm cosine(const float* q, const float* lo, const float* step, const uint8_t* code, size_t n) {
    DotNorm r = {0, 0};
    for_each_code<BITS>(code, n, [&](size_t i, unsigned c) {
        float x = lo[i] + step[i] * float(c);
        r.dot += q[i] * x;
        r.norm += x * x;
    });
    return r;
}

float l2_f16(const float* q, const uint16_t* code, size_t n) {
    float s = 0;
    for (size_t i = 0; i < n; i++) {
        float d = q[i] - half_to_float(code[i]);
        s += d * d;
    }
    return s;
}

float dot_f16(const float* q, const uint16_t* code, size_t n) {
    float s = 0;
    for (size_t i = 0; i < n; i++)
        s += q[i] * half_to_float(code[i]);
    return s;
}

DotNorm cosine_f16(const float* q, const uint16_t* code, size_t n) {
    DotNorm r = {0, 0};
    for (size_t i = 0; i < n; i++) {
        float x = half_to_float(code[i]);
        r.dot += q[i] * x;
        r.norm += x * x;
    }
    return r;
}

BitSums bsum_b1(const uint8_t* wq, const uint8_t* wq2, const uint8_t* bits, size_t n) {
    uint32_t sum = 0, count = 0, sum2 = 0;
    for (size_t i = 0; i < n; i++) {
        const unsigned b = bit_at(bits, i);
        sum += b * wq[i];
        count += b;
        if (wq2 != nullptr)
            sum2 += b * wq2[i];
    }
    return {sum, count, sum2};
}

void bsum_b1_batch(const uint8_t* wq, const uint8_t* wq2, const uint8_t* codes, size_t count,
                   size_t stride, size_t n, BitSums* out) {
    for (size_t j = 0; j < count; j++)
        out[j] = bsum_b1(wq, wq2, codes + j * stride, n);
}

}  // namespace

const QuantKernels kScalarQuantKernels = {
    Isa::scalar, "scalar",
    l2_f16, dot_f16, cosine_f16,
    {wdot<8>, wl2<8>, cosine<8>},
    {wdot<4>, wl2<4>, cosine<4>},
    {wdot<2>, wl2<2>, cosine<2>},
    bsum_b1, bsum_b1_batch,
};

}  // namespace vx::quant
