// AVX-512 quantizer kernels (F, BW, VL, DQ; compiled with the *_avx512.cpp flags).
//
// simde 0.7.4 lacks several AVX-512 calls used here (cvtph_ps, cvtepu8_epi32,
// masked loads, reductions), so the intrinsics are spelled with their native
// names; simde's header brings them in, and this file is only ever built with
// the AVX-512 -m flags. Only kernel_dispatch.cpp decides, from the running CPU,
// whether this table may be used. Everything has internal linkage so no copy
// of an inline helper compiled here can be picked for another ISA's file.
// The intrinsics header comes with bits_avx512.h (the 1-bit kernels).
#include "core/quant/bits_avx512.h"

#include <cstring>

#include "core/quant/code_layout.h"
#include "core/quant/kernel_tables.h"

namespace vx::quant {
namespace {

/// Chunk J (16 dimensions) of the 64 starting at dimension d (d % 64 == 0),
/// inside the full blocks of a BITS-bit code, as floats.
template <int BITS, size_t J>
inline __m512 chunk(const uint8_t* code, size_t d) {
    constexpr size_t B = block_dims<BITS>();
    constexpr int shift = int((16 * J) % B / 16) * BITS;
    const uint8_t* p = code + (d + 16 * J) / B * 16;
    __m512i v = _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    if constexpr (BITS < 8)
        v = _mm512_and_si512(_mm512_srli_epi32(v, shift), _mm512_set1_epi32((1 << BITS) - 1));
    return _mm512_cvtepi32_ps(v);
}

/// The 16 dimensions from e (e % 16 == 0) inside the full blocks, as floats.
template <int BITS>
inline __m512 chunk_at(const uint8_t* code, size_t e) {
    constexpr size_t B = block_dims<BITS>();
    const uint8_t* p = code + e / B * 16;
    __m512i v = _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    if constexpr (BITS < 8) {
        const int shift = int(e % B / 16) * BITS;
        v = _mm512_and_si512(_mm512_srl_epi32(v, _mm_cvtsi32_si128(shift)),
                             _mm512_set1_epi32((1 << BITS) - 1));
    }
    return _mm512_cvtepi32_ps(v);
}

/// Feeds op every 16-dimension chunk of the full blocks; returns where they end.
template <int BITS, class Op>
inline size_t scan_blocks(const uint8_t* code, size_t n, Op& op) {
    constexpr size_t B = block_dims<BITS>();
    const size_t full = n / B * B;
    size_t d = 0;
    for (; d + 64 <= full; d += 64) {
        op.template step<0>(d, chunk<BITS, 0>(code, d));
        op.template step<1>(d + 16, chunk<BITS, 1>(code, d));
        op.template step<2>(d + 32, chunk<BITS, 2>(code, d));
        op.template step<3>(d + 48, chunk<BITS, 3>(code, d));
    }
    for (; d < full; d += 16)
        op.template step<0>(d, chunk_at<BITS>(code, d));
    return full;
}

inline float sum4(const __m512* a) {
    return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(a[0], a[1]), _mm512_add_ps(a[2], a[3])));
}

struct WdotOp {
    const float* w;
    __m512 acc[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps()};
    template <int J>
    void step(size_t d, __m512 c) { acc[J] = _mm512_fmadd_ps(_mm512_loadu_ps(w + d), c, acc[J]); }
};

struct Wl2Op {
    const float* u;
    const float* w;
    __m512 acc[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps()};
    template <int J>
    void step(size_t d, __m512 c) {
        __m512 df = _mm512_sub_ps(_mm512_loadu_ps(u + d), c);
        acc[J] = _mm512_fmadd_ps(_mm512_mul_ps(_mm512_loadu_ps(w + d), df), df, acc[J]);
    }
};

struct CosineOp {
    const float* q;
    const float* lo;
    const float* st;
    __m512 dot[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps()};
    __m512 nn[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps()};
    template <int J>
    void step(size_t d, __m512 c) {
        __m512 x = _mm512_fmadd_ps(_mm512_loadu_ps(st + d), c, _mm512_loadu_ps(lo + d));
        dot[J] = _mm512_fmadd_ps(_mm512_loadu_ps(q + d), x, dot[J]);
        nn[J] = _mm512_fmadd_ps(x, x, nn[J]);
    }
};

template <int BITS>
float wdot(const float* w, const uint8_t* code, size_t n) {
    WdotOp op{w};
    size_t i = scan_blocks<BITS>(code, n, op);
    float s = sum4(op.acc);
    for (; i < n; i++)
        s += w[i] * float(code_at<BITS>(code, i, n));
    return s;
}

template <int BITS>
float wl2(const float* u, const float* w, const uint8_t* code, size_t n) {
    Wl2Op op{u, w};
    size_t i = scan_blocks<BITS>(code, n, op);
    float s = sum4(op.acc);
    for (; i < n; i++) {
        float d = u[i] - float(code_at<BITS>(code, i, n));
        s += w[i] * d * d;
    }
    return s;
}

template <int BITS>
DotNorm cosine(const float* q, const float* lo, const float* step, const uint8_t* code, size_t n) {
    CosineOp op{q, lo, step};
    size_t i = scan_blocks<BITS>(code, n, op);
    DotNorm r = {sum4(op.dot), sum4(op.nn)};
    for (; i < n; i++) {
        float x = lo[i] + step[i] * float(code_at<BITS>(code, i, n));
        r.dot += q[i] * x;
        r.norm += x * x;
    }
    return r;
}

// ---- float16 ---------------------------------------------------------------

/// 16 halves from p as floats; lanes at or past k (k <= 16) read nothing and are 0.
inline __m512 load_half(const uint16_t* p, size_t k = 16) {
    if (k >= 16)
        return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
    return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(__mmask16((1u << k) - 1), p));
}

inline __m512 load_ps(const float* p, size_t k = 16) {
    if (k >= 16)
        return _mm512_loadu_ps(p);
    return _mm512_maskz_loadu_ps(__mmask16((1u << k) - 1), p);
}

/// Calls f(J, q chunk, x chunk) for every 16 dimensions (zero-padded tail).
template <class F>
inline void scan_f16(const float* q, const uint16_t* code, size_t n, F&& f) {
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        f(0, _mm512_loadu_ps(q + i), load_half(code + i));
        f(1, _mm512_loadu_ps(q + i + 16), load_half(code + i + 16));
    }
    for (; i < n; i += 16)
        f(0, load_ps(q + i, n - i), load_half(code + i, n - i));
}

float l2_f16(const float* q, const uint16_t* code, size_t n) {
    __m512 acc[2] = {_mm512_setzero_ps(), _mm512_setzero_ps()};
    scan_f16(q, code, n, [&](int j, __m512 a, __m512 x) {
        __m512 d = _mm512_sub_ps(a, x);
        acc[j] = _mm512_fmadd_ps(d, d, acc[j]);
    });
    return _mm512_reduce_add_ps(_mm512_add_ps(acc[0], acc[1]));
}

float dot_f16(const float* q, const uint16_t* code, size_t n) {
    __m512 acc[2] = {_mm512_setzero_ps(), _mm512_setzero_ps()};
    scan_f16(q, code, n, [&](int j, __m512 a, __m512 x) { acc[j] = _mm512_fmadd_ps(a, x, acc[j]); });
    return _mm512_reduce_add_ps(_mm512_add_ps(acc[0], acc[1]));
}

DotNorm cosine_f16(const float* q, const uint16_t* code, size_t n) {
    __m512 dot[2] = {_mm512_setzero_ps(), _mm512_setzero_ps()};
    __m512 nn[2] = {_mm512_setzero_ps(), _mm512_setzero_ps()};
    scan_f16(q, code, n, [&](int j, __m512 a, __m512 x) {
        dot[j] = _mm512_fmadd_ps(a, x, dot[j]);
        nn[j] = _mm512_fmadd_ps(x, x, nn[j]);
    });
    return {_mm512_reduce_add_ps(_mm512_add_ps(dot[0], dot[1])),
            _mm512_reduce_add_ps(_mm512_add_ps(nn[0], nn[1]))};
}

BitSums bsum_b1(const uint8_t* wq, const uint8_t* wq2, const uint8_t* bits, size_t n) {
    return wq2 ? bsum_one<true, SadSum>(wq, wq2, bits, n) : bsum_one<false, SadSum>(wq, wq2, bits, n);
}

void bsum_b1_batch(const uint8_t* wq, const uint8_t* wq2, const uint8_t* codes, size_t count,
                   size_t stride, size_t n, BitSums* out) {
    if (wq2)
        bsum_batch<true, SadSum>(wq, wq2, codes, count, stride, n, out);
    else
        bsum_batch<false, SadSum>(wq, wq2, codes, count, stride, n, out);
}

}  // namespace

const QuantKernels kAvx512QuantKernels = {
    Isa::avx512, "avx512",
    l2_f16, dot_f16, cosine_f16,
    {wdot<8>, wl2<8>, cosine<8>},
    {wdot<4>, wl2<4>, cosine<4>},
    {wdot<2>, wl2<2>, cosine<2>},
    bsum_b1, bsum_b1_batch,
};

}  // namespace vx::quant
