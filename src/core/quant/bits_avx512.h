// AVX-512 1-bit code kernels (bq1 weighted bit sums), shared by the AVX-512
// table and its VNNI variant (kernels_avx512.cpp, kernels_avx512vnni.cpp),
// which differ only in how 64 selected weight bytes are summed (the Sum
// policy: vpsadbw, or vpdpbusd by ones). Internal linkage: each file compiles
// its own copy with its own -m flags.
//
// Each 64 dimensions of a code cost one 64-bit mask (kmovq), one byte-masked
// move of the 8-bit weights and the Sum step: a quarter of the mask moves a
// float masked add per 16 dimensions needs. Four codes share each load of the
// weights, and one shuffle tree reduces their four accumulators.
#pragma once

// The intrinsics of both files come from here: simde's header brings in the
// native ones (see kernels_avx512.cpp), and GCC 12's AVX-512 reduction
// intrinsics trip -Wuninitialized.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <simde/x86/avx512.h>
#pragma GCC diagnostic pop

#include <algorithm>
#include <cstring>

#include "core/quant/kernels.h"

namespace vx::quant {
namespace {

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

/// Adds the weights of the set bits of m among wv to acc with Sum::add, which
/// adds the 64 bytes of its second operand into dword lanes of the first.
template <class Sum>
inline __m512i add_selected(__m512i acc, uint64_t m, __m512i wv) {
    return Sum::add(acc, _mm512_maskz_mov_epi8(__mmask64(m), wv));
}

/// Sum::add with vpsadbw: 8 partial sums, each in the low dword of a qword
/// lane (< 2^11 per call, so the high dwords stay 0 and the lanes reduce as dwords).
struct SadSum {
    static __m512i add(__m512i acc, __m512i bytes) {
        return _mm512_add_epi64(acc, _mm512_sad_epu8(bytes, _mm512_setzero_si512()));
    }
};

/// bsum_b1, with the second weight sum compiled in or out.
template <bool TWO, class Sum>
inline BitSums bsum_one(const uint8_t* wq, const uint8_t* wq2, const uint8_t* bits, size_t n) {
    __m512i a = _mm512_setzero_si512(), a2 = _mm512_setzero_si512();
    uint64_t count = 0;
    for (size_t i = 0; i < n; i += 64) {
        const uint64_t m = bits64(bits, i, n);
        count += uint64_t(__builtin_popcountll(m));
        a = add_selected<Sum>(a, m, _mm512_loadu_si512(wq + i));
        if constexpr (TWO)
            a2 = add_selected<Sum>(a2, m, _mm512_loadu_si512(wq2 + i));
    }
    return {uint32_t(_mm512_reduce_add_epi32(a)), uint32_t(count),
            TWO ? uint32_t(_mm512_reduce_add_epi32(a2)) : 0u};
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

/// bsum_one of four codes, sharing each load of the
/// weights (the page scan's hot loop). All sums stay below 2^32.
template <bool TWO, class Sum>
inline void bsum_quad(const uint8_t* wq, const uint8_t* wq2, const uint8_t* c0, const uint8_t* c1,
                      const uint8_t* c2, const uint8_t* c3, size_t n, BitSums* out) {
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
        a0 = add_selected<Sum>(a0, m0, wv);
        a1 = add_selected<Sum>(a1, m1, wv);
        a2 = add_selected<Sum>(a2, m2, wv);
        a3 = add_selected<Sum>(a3, m3, wv);
        if constexpr (TWO) {
            const __m512i wv2 = _mm512_loadu_si512(wq2 + i);
            b0 = add_selected<Sum>(b0, m0, wv2);
            b1 = add_selected<Sum>(b1, m1, wv2);
            b2 = add_selected<Sum>(b2, m2, wv2);
            b3 = add_selected<Sum>(b3, m3, wv2);
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

template <bool TWO, class Sum>
void bsum_batch(const uint8_t* wq, const uint8_t* wq2, const uint8_t* codes, size_t count,
                size_t stride, size_t n, BitSums* out) {
    size_t j = 0;
    for (; j + 4 <= count; j += 4) {
        const uint8_t* c = codes + j * stride;
        bsum_quad<TWO, Sum>(wq, wq2, c, c + stride, c + 2 * stride, c + 3 * stride, n, out + j);
    }
    if (j < count) {
        // The last 1-3 codes as a group too, repeating the last one (a page
        // holds a few more codes than a multiple of 4).
        const uint8_t* c[4];
        for (size_t t = 0; t < 4; t++)
            c[t] = codes + std::min(j + t, count - 1) * stride;
        BitSums tail[4];
        bsum_quad<TWO, Sum>(wq, wq2, c[0], c[1], c[2], c[3], n, tail);
        for (size_t t = 0; j + t < count; t++)
            out[j + t] = tail[t];
    }
}

}  // namespace
}  // namespace vx::quant
