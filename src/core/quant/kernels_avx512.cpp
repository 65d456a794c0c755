// AVX-512 quantizer kernels (F, BW, VL, DQ; compiled with the *_avx512.cpp flags).
//
// simde 0.7.4 lacks several AVX-512 calls used here (cvtph_ps, cvtepu8_epi32,
// masked loads, reductions), so the intrinsics are spelled with their native
// names; simde's header brings them in, and this file is only ever built with
// the AVX-512 -m flags. Only kernel_dispatch.cpp decides, from the running CPU,
// whether this table may be used. Everything has internal linkage so no copy
// of an inline helper compiled here can be picked for another ISA's file.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <simde/x86/avx512.h>
#pragma GCC diagnostic pop

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

// ---- bits --------------------------------------------------------------------
//
// Each 64 dimensions cost one 64-bit mask (kmovq), one byte-masked move of the
// 8-bit weights and one vpsadbw that sums them into 8 lanes: a quarter of the
// mask moves a float masked add per 16 dimensions needs (the limit there).

/// The next k (<= 64) bits of a bq1 code starting at bit i (i % 8 == 0).
inline uint64_t load_bits(const uint8_t* bits, size_t i, size_t k) {
    uint64_t m = 0;
    std::memcpy(&m, bits + i / 8, (k + 7) / 8);
    return k >= 64 ? m : m & ((uint64_t(1) << k) - 1);
}

/// The bits for dimensions i .. i+63 of a code of n dimensions (zero past n).
inline uint64_t bits64(const uint8_t* bits, size_t i, size_t n) {
    if (i + 64 <= n) {
        uint64_t m;
        std::memcpy(&m, bits + i / 8, 8);
        return m;
    }
    return load_bits(bits, i, n - i);
}

/// Adds the weights of the set bits of m among wv to acc (8 partial sums).
inline __m512i add_selected(__m512i acc, uint64_t m, __m512i wv) {
    const __m512i sel = _mm512_maskz_mov_epi8(__mmask64(m), wv);
    return _mm512_add_epi64(acc, _mm512_sad_epu8(sel, _mm512_setzero_si512()));
}

/// bsum_b1, with the second weight sum compiled in or out.
template <bool TWO>
inline BitSums bsum_one(const uint8_t* wq, const uint8_t* wq2, const uint8_t* bits, size_t n) {
    __m512i a = _mm512_setzero_si512(), a2 = _mm512_setzero_si512();
    uint64_t count = 0;
    for (size_t i = 0; i < n; i += 64) {
        const uint64_t m = bits64(bits, i, n);
        count += uint64_t(__builtin_popcountll(m));
        a = add_selected(a, m, _mm512_loadu_si512(wq + i));
        if constexpr (TWO)
            a2 = add_selected(a2, m, _mm512_loadu_si512(wq2 + i));
    }
    return {uint32_t(_mm512_reduce_add_epi64(a)), uint32_t(count),
            TWO ? uint32_t(_mm512_reduce_add_epi64(a2)) : 0u};
}

/// Sums of the 16 dword lanes of a, b, c and d, in that order: one shuffle tree
/// for four codes instead of a full reduction each.
inline __m128i reduce4(__m512i a, __m512i b, __m512i c, __m512i d) {
    const __m512i ab = _mm512_add_epi32(_mm512_unpacklo_epi32(a, b), _mm512_unpackhi_epi32(a, b));
    const __m512i cd = _mm512_add_epi32(_mm512_unpacklo_epi32(c, d), _mm512_unpackhi_epi32(c, d));
    const __m512i u = _mm512_add_epi32(_mm512_unpacklo_epi64(ab, cd), _mm512_unpackhi_epi64(ab, cd));
    const __m256i v = _mm256_add_epi32(_mm512_castsi512_si256(u), _mm512_extracti64x4_epi64(u, 1));
    return _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
}

/// bsum_one of four codes spaced stride bytes apart, sharing each load of the
/// weights (the page scan's hot loop). vpsadbw leaves each 64-dimension sum
/// (< 2^11) in the low dword of a qword lane, so the accumulators reduce as
/// dwords (all sums stay below 2^32).
template <bool TWO>
inline void bsum_quad(const uint8_t* wq, const uint8_t* wq2, const uint8_t* codes, size_t stride,
                      size_t n, BitSums* out) {
    const uint8_t *c0 = codes, *c1 = codes + stride, *c2 = codes + 2 * stride, *c3 = codes + 3 * stride;
    __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0;
    __m512i b0 = a0, b1 = a0, b2 = a0, b3 = a0;
    uint64_t n0 = 0, n1 = 0, n2 = 0, n3 = 0;
    // Plain locals and a branch-free main loop keep every accumulator in a
    // register (arrays and a per-step tail test made GCC spill them).
    auto step = [&](size_t i, uint64_t m0, uint64_t m1, uint64_t m2, uint64_t m3) {
        const __m512i wv = _mm512_loadu_si512(wq + i);
        n0 += uint64_t(__builtin_popcountll(m0));
        n1 += uint64_t(__builtin_popcountll(m1));
        n2 += uint64_t(__builtin_popcountll(m2));
        n3 += uint64_t(__builtin_popcountll(m3));
        a0 = add_selected(a0, m0, wv);
        a1 = add_selected(a1, m1, wv);
        a2 = add_selected(a2, m2, wv);
        a3 = add_selected(a3, m3, wv);
        if constexpr (TWO) {
            const __m512i wv2 = _mm512_loadu_si512(wq2 + i);
            b0 = add_selected(b0, m0, wv2);
            b1 = add_selected(b1, m1, wv2);
            b2 = add_selected(b2, m2, wv2);
            b3 = add_selected(b3, m3, wv2);
        }
    };
    const size_t full = n / 64 * 64;
    size_t i = 0;
    for (; i < full; i += 64) {
        uint64_t m0, m1, m2, m3;
        std::memcpy(&m0, c0 + i / 8, 8);
        std::memcpy(&m1, c1 + i / 8, 8);
        std::memcpy(&m2, c2 + i / 8, 8);
        std::memcpy(&m3, c3 + i / 8, 8);
        step(i, m0, m1, m2, m3);
    }
    if (i < n)
        step(i, load_bits(c0, i, n - i), load_bits(c1, i, n - i), load_bits(c2, i, n - i),
             load_bits(c3, i, n - i));
    alignas(16) uint32_t s[4], s2[4] = {0, 0, 0, 0};
    _mm_store_si128(reinterpret_cast<__m128i*>(s), reduce4(a0, a1, a2, a3));
    if constexpr (TWO)
        _mm_store_si128(reinterpret_cast<__m128i*>(s2), reduce4(b0, b1, b2, b3));
    out[0] = {s[0], uint32_t(n0), s2[0]};
    out[1] = {s[1], uint32_t(n1), s2[1]};
    out[2] = {s[2], uint32_t(n2), s2[2]};
    out[3] = {s[3], uint32_t(n3), s2[3]};
}

template <bool TWO>
void bsum_batch(const uint8_t* wq, const uint8_t* wq2, const uint8_t* codes, size_t count,
                size_t stride, size_t n, BitSums* out) {
    size_t j = 0;
    for (; j + 4 <= count; j += 4)
        bsum_quad<TWO>(wq, wq2, codes + j * stride, stride, n, out + j);
    for (; j < count; j++)
        out[j] = bsum_one<TWO>(wq, wq2, codes + j * stride, n);
}

BitSums bsum_b1(const uint8_t* wq, const uint8_t* wq2, const uint8_t* bits, size_t n) {
    return wq2 ? bsum_one<true>(wq, wq2, bits, n) : bsum_one<false>(wq, wq2, bits, n);
}

void bsum_b1_batch(const uint8_t* wq, const uint8_t* wq2, const uint8_t* codes, size_t count,
                   size_t stride, size_t n, BitSums* out) {
    if (wq2)
        bsum_batch<true>(wq, wq2, codes, count, stride, n, out);
    else
        bsum_batch<false>(wq, wq2, codes, count, stride, n, out);
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
