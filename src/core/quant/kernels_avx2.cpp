// AVX2 quantizer kernels (with FMA and F16C; compiled with the *_avx2.cpp flags).
//
// Written with simde intrinsics; this file is only built with the AVX2 -m flags,
// so they map to native instructions. Only kernel_dispatch.cpp decides whether
// the running CPU may use this table. Everything has internal linkage (see
// kernels_avx512.cpp for why).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <simde/x86/avx2.h>
#include <simde/x86/f16c.h>
#include <simde/x86/fma.h>
#pragma GCC diagnostic pop

#include <cstring>

#include "core/quant/code_layout.h"
#include "core/quant/half.h"
#include "core/quant/kernel_tables.h"

namespace vx::quant {
namespace {

using V = simde__m256;

inline float hsum(V v) {
    simde__m128 q = simde_mm_add_ps(simde_mm256_castps256_ps128(v), simde_mm256_extractf128_ps(v, 1));
    q = simde_mm_add_ps(q, simde_mm_movehl_ps(q, q));
    q = simde_mm_add_ss(q, simde_mm_movehdup_ps(q));
    return simde_mm_cvtss_f32(q);
}

inline float sum4(const V* a) {
    return hsum(simde_mm256_add_ps(simde_mm256_add_ps(a[0], a[1]), simde_mm256_add_ps(a[2], a[3])));
}

#define VX_ZERO4 {simde_mm256_setzero_ps(), simde_mm256_setzero_ps(), simde_mm256_setzero_ps(), simde_mm256_setzero_ps()}

/// The 8 dimensions from e (e % 8 == 0) inside the full blocks of a BITS-bit
/// code, as floats; with e a compile-time offset from a multiple of 64, the
/// shift folds to a constant.
template <int BITS>
inline V chunk8(const uint8_t* code, size_t e) {
    constexpr size_t B = block_dims<BITS>();
    const size_t in = e % B;
    const uint8_t* p = code + e / B * 16 + in % 16;
    simde__m256i v = simde_mm256_cvtepu8_epi32(simde_mm_loadl_epi64(reinterpret_cast<const simde__m128i*>(p)));
    if constexpr (BITS < 8) {
        const int shift = int(in / 16) * BITS;
        v = simde_mm256_and_si256(simde_mm256_srl_epi32(v, simde_mm_cvtsi32_si128(shift)),
                                  simde_mm256_set1_epi32((1 << BITS) - 1));
    }
    return simde_mm256_cvtepi32_ps(v);
}

/// Feeds op(J, d, chunk) every 8 dimensions of the full blocks; returns their end.
template <int BITS, class Op>
inline size_t scan_blocks(const uint8_t* code, size_t n, Op&& op) {
    constexpr size_t B = block_dims<BITS>();
    const size_t full = n / B * B;
    size_t d = 0;
    for (; d + 32 <= full; d += 32) {
        op(0, d, chunk8<BITS>(code, d));
        op(1, d + 8, chunk8<BITS>(code, d + 8));
        op(2, d + 16, chunk8<BITS>(code, d + 16));
        op(3, d + 24, chunk8<BITS>(code, d + 24));
    }
    for (; d < full; d += 8)
        op(0, d, chunk8<BITS>(code, d));
    return full;
}

template <int BITS>
float wdot(const float* w, const uint8_t* code, size_t n) {
    V acc[4] = VX_ZERO4;
    size_t i = scan_blocks<BITS>(code, n, [&](int j, size_t d, V c) {
        acc[j] = simde_mm256_fmadd_ps(simde_mm256_loadu_ps(w + d), c, acc[j]);
    });
    float s = sum4(acc);
    for (; i < n; i++)
        s += w[i] * float(code_at<BITS>(code, i, n));
    return s;
}

template <int BITS>
float wl2(const float* u, const float* w, const uint8_t* code, size_t n) {
    V acc[4] = VX_ZERO4;
    size_t i = scan_blocks<BITS>(code, n, [&](int j, size_t d, V c) {
        V df = simde_mm256_sub_ps(simde_mm256_loadu_ps(u + d), c);
        acc[j] = simde_mm256_fmadd_ps(simde_mm256_mul_ps(simde_mm256_loadu_ps(w + d), df), df, acc[j]);
    });
    float s = sum4(acc);
    for (; i < n; i++) {
        float d = u[i] - float(code_at<BITS>(code, i, n));
        s += w[i] * d * d;
    }
    return s;
}

template <int BITS>
DotNorm cosine(const float* q, const float* lo, const float* step, const uint8_t* code, size_t n) {
    V dot[4] = VX_ZERO4, nn[4] = VX_ZERO4;
    size_t i = scan_blocks<BITS>(code, n, [&](int j, size_t d, V c) {
        V x = simde_mm256_fmadd_ps(simde_mm256_loadu_ps(step + d), c, simde_mm256_loadu_ps(lo + d));
        dot[j] = simde_mm256_fmadd_ps(simde_mm256_loadu_ps(q + d), x, dot[j]);
        nn[j] = simde_mm256_fmadd_ps(x, x, nn[j]);
    });
    DotNorm r = {sum4(dot), sum4(nn)};
    for (; i < n; i++) {
        float x = lo[i] + step[i] * float(code_at<BITS>(code, i, n));
        r.dot += q[i] * x;
        r.norm += x * x;
    }
    return r;
}

// ---- float16 ---------------------------------------------------------------

inline V load_half(const uint16_t* p) {
    return simde_mm256_cvtph_ps(simde_mm_loadu_si128(reinterpret_cast<const simde__m128i*>(p)));
}

/// Calls f(J, q chunk, x chunk) for every 8 dimensions; returns where it stopped.
template <class F>
inline size_t scan_f16(const float* q, const uint16_t* code, size_t n, F&& f) {
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        f(0, simde_mm256_loadu_ps(q + i), load_half(code + i));
        f(1, simde_mm256_loadu_ps(q + i + 8), load_half(code + i + 8));
    }
    for (; i + 8 <= n; i += 8)
        f(0, simde_mm256_loadu_ps(q + i), load_half(code + i));
    return i;
}

float l2_f16(const float* q, const uint16_t* code, size_t n) {
    V acc[2] = {simde_mm256_setzero_ps(), simde_mm256_setzero_ps()};
    size_t i = scan_f16(q, code, n, [&](int j, V a, V x) {
        V d = simde_mm256_sub_ps(a, x);
        acc[j] = simde_mm256_fmadd_ps(d, d, acc[j]);
    });
    float s = hsum(simde_mm256_add_ps(acc[0], acc[1]));
    for (; i < n; i++) {
        float d = q[i] - half_to_float(code[i]);
        s += d * d;
    }
    return s;
}

float dot_f16(const float* q, const uint16_t* code, size_t n) {
    V acc[2] = {simde_mm256_setzero_ps(), simde_mm256_setzero_ps()};
    size_t i = scan_f16(q, code, n, [&](int j, V a, V x) { acc[j] = simde_mm256_fmadd_ps(a, x, acc[j]); });
    float s = hsum(simde_mm256_add_ps(acc[0], acc[1]));
    for (; i < n; i++)
        s += q[i] * half_to_float(code[i]);
    return s;
}

DotNorm cosine_f16(const float* q, const uint16_t* code, size_t n) {
    V dot[2] = {simde_mm256_setzero_ps(), simde_mm256_setzero_ps()};
    V nn[2] = {simde_mm256_setzero_ps(), simde_mm256_setzero_ps()};
    size_t i = scan_f16(q, code, n, [&](int j, V a, V x) {
        dot[j] = simde_mm256_fmadd_ps(a, x, dot[j]);
        nn[j] = simde_mm256_fmadd_ps(x, x, nn[j]);
    });
    DotNorm r = {hsum(simde_mm256_add_ps(dot[0], dot[1])), hsum(simde_mm256_add_ps(nn[0], nn[1]))};
    for (; i < n; i++) {
        float x = half_to_float(code[i]);
        r.dot += q[i] * x;
        r.norm += x * x;
    }
    return r;
}

// ---- bits --------------------------------------------------------------------

/// The bits for dimensions i .. i+31 of a code of n dimensions (zero past n).
inline uint32_t bits32(const uint8_t* bits, size_t i, size_t n) {
    uint32_t m = 0;
    if (i + 32 <= n) {
        std::memcpy(&m, bits + i / 8, 4);
        return m;
    }
    const size_t k = n - i;
    std::memcpy(&m, bits + i / 8, (k + 7) / 8);
    return m & ((uint32_t(1) << k) - 1);
}

/// Adds the weights of the set bits of m among the 32 bytes wv to acc: each
/// mask byte is copied to 8 lanes, each lane tests its own bit, and vpsadbw
/// sums the selected weights into 4 partial sums.
inline simde__m256i add_selected(simde__m256i acc, uint32_t m, simde__m256i wv) {
    const simde__m256i spread = simde_mm256_setr_epi8(
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1,
        2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3);
    const simde__m256i bit = simde_mm256_set1_epi64x(int64_t(0x8040201008040201ull));
    const simde__m256i rep = simde_mm256_shuffle_epi8(simde_mm256_set1_epi32(int32_t(m)), spread);
    const simde__m256i on = simde_mm256_cmpeq_epi8(simde_mm256_and_si256(rep, bit), bit);
    const simde__m256i sel = simde_mm256_and_si256(on, wv);
    return simde_mm256_add_epi64(acc, simde_mm256_sad_epu8(sel, simde_mm256_setzero_si256()));
}

inline uint64_t hsum_epi64(simde__m256i v) {
    simde__m128i q = simde_mm_add_epi64(simde_mm256_castsi256_si128(v), simde_mm256_extracti128_si256(v, 1));
    q = simde_mm_add_epi64(q, simde_mm_unpackhi_epi64(q, q));
    return uint64_t(simde_mm_cvtsi128_si64(q));
}

inline simde__m256i load_weights(const uint8_t* wq) {
    return simde_mm256_loadu_si256(reinterpret_cast<const simde__m256i*>(wq));
}

/// bsum_b1, with the second weight sum compiled in or out.
template <bool TWO>
inline BitSums bsum_one(const uint8_t* wq, const uint8_t* wq2, const uint8_t* bits, size_t n) {
    simde__m256i a = simde_mm256_setzero_si256(), a2 = simde_mm256_setzero_si256();
    uint32_t count = 0;
    for (size_t i = 0; i < n; i += 32) {
        const uint32_t m = bits32(bits, i, n);
        count += uint32_t(__builtin_popcount(m));
        a = add_selected(a, m, load_weights(wq + i));
        if constexpr (TWO)
            a2 = add_selected(a2, m, load_weights(wq2 + i));
    }
    return {uint32_t(hsum_epi64(a)), count, TWO ? uint32_t(hsum_epi64(a2)) : 0u};
}

/// bsum_one of two codes, sharing each load of the weights.
template <bool TWO>
inline void bsum_pair(const uint8_t* wq, const uint8_t* wq2, const uint8_t* c0, const uint8_t* c1,
                      size_t n, BitSums* out) {
    simde__m256i a = simde_mm256_setzero_si256(), b = simde_mm256_setzero_si256();
    simde__m256i a2 = simde_mm256_setzero_si256(), b2 = simde_mm256_setzero_si256();
    uint32_t na = 0, nb = 0;
    for (size_t i = 0; i < n; i += 32) {
        const uint32_t ma = bits32(c0, i, n), mb = bits32(c1, i, n);
        na += uint32_t(__builtin_popcount(ma));
        nb += uint32_t(__builtin_popcount(mb));
        const simde__m256i wv = load_weights(wq + i);
        a = add_selected(a, ma, wv);
        b = add_selected(b, mb, wv);
        if constexpr (TWO) {
            const simde__m256i wv2 = load_weights(wq2 + i);
            a2 = add_selected(a2, ma, wv2);
            b2 = add_selected(b2, mb, wv2);
        }
    }
    out[0] = {uint32_t(hsum_epi64(a)), na, TWO ? uint32_t(hsum_epi64(a2)) : 0u};
    out[1] = {uint32_t(hsum_epi64(b)), nb, TWO ? uint32_t(hsum_epi64(b2)) : 0u};
}

template <bool TWO>
void bsum_batch(const uint8_t* wq, const uint8_t* wq2, const uint8_t* codes, size_t count,
                size_t stride, size_t n, BitSums* out) {
    size_t j = 0;
    for (; j + 2 <= count; j += 2)
        bsum_pair<TWO>(wq, wq2, codes + j * stride, codes + (j + 1) * stride, n, out + j);
    if (j < count)
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

#undef VX_ZERO4

}  // namespace

const QuantKernels kAvx2QuantKernels = {
    Isa::avx2, "avx2",
    l2_f16, dot_f16, cosine_f16,
    {wdot<8>, wl2<8>, cosine<8>},
    {wdot<4>, wl2<4>, cosine<4>},
    {wdot<2>, wl2<2>, cosine<2>},
    bsum_b1, bsum_b1_batch,
};

}  // namespace vx::quant
