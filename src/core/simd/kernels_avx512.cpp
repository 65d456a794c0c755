// AVX-512 kernels (F, BW, VL, DQ and VPOPCNTDQ), written with simde intrinsics.
//
// This file is compiled with the AVX-512 -m flags (*_avx512.cpp rule of the
// Makefile and CMake), so simde maps its calls to native instructions; only
// dispatch.cpp decides, from the running CPU, whether this table may be used.
// Tails shorter than a vector use zero-masked loads, which never touch memory
// past the end; zero lanes add nothing to any of the sums below.
// GCC 12 warns falsely inside its own _mm*_undefined_* intrinsics (GCC bug 105593).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <simde/x86/avx512.h>
#pragma GCC diagnostic pop

#include <algorithm>
#include <cstring>

#include "core/simd/kernel_tables.h"
#include "core/simd/x86_reduce.h"

namespace vx::simd {
namespace {

// ---- loads and reductions ------------------------------------------------

/// The first k (< 16) floats at p, other lanes zero.
simde__m512 load_ps_tail(const float* p, size_t k) {
#if defined(SIMDE_X86_AVX512F_NATIVE)
    return _mm512_maskz_loadu_ps(__mmask16((1u << k) - 1), p);
#else
    float buf[16] = {};
    std::memcpy(buf, p, k * sizeof(float));
    return simde_mm512_loadu_ps(buf);
#endif
}

/// The first k (< 64) bytes at p, other lanes zero.
simde__m512i load_bytes_tail(const uint8_t* p, size_t k) {
#if defined(SIMDE_X86_AVX512BW_NATIVE)
    return _mm512_maskz_loadu_epi8(__mmask64((uint64_t(1) << k) - 1), p);
#else
    uint8_t buf[64] = {};
    std::memcpy(buf, p, k);
    return simde_mm512_loadu_si512(buf);
#endif
}

/// 32 int8 at p sign-extended to 32 int16 lanes.
simde__m512i load_i16(const int8_t* p) {
    return simde_mm512_cvtepi8_epi16(simde_mm256_loadu_si256(p));
}

/// The first k (< 32) int8 at p sign-extended to int16, other lanes zero.
simde__m512i load_i16_tail(const int8_t* p, size_t k) {
#if defined(SIMDE_X86_AVX512BW_NATIVE) && defined(SIMDE_X86_AVX512VL_NATIVE)
    return simde_mm512_cvtepi8_epi16(_mm256_maskz_loadu_epi8(__mmask32((uint64_t(1) << k) - 1), p));
#else
    int8_t buf[32] = {};
    std::memcpy(buf, p, k);
    return load_i16(buf);
#endif
}

/// Sum of the 16 floats of v.
float hsum512_ps(simde__m512 v) {
    simde__m256 hi = simde_mm256_castpd_ps(simde_mm512_extractf64x4_pd(simde_mm512_castps_pd(v), 1));
    return hsum_ps(simde_mm256_add_ps(simde_mm512_castps512_ps256(v), hi));
}

/// Sum of the 16 int32 lanes of v (fits in int32 by the caller's blocking).
int32_t hsum512_epi32(simde__m512i v) {
    return hsum_epi32(simde_mm256_add_epi32(simde_mm512_castsi512_si256(v), simde_mm512_extracti64x4_epi64(v, 1)));
}

/// Sum of the 8 uint64 lanes of v.
uint64_t hsum512_epi64(simde__m512i v) {
    return hsum_epi64(simde_mm256_add_epi64(simde_mm512_castsi512_si256(v), simde_mm512_extracti64x4_epi64(v, 1)));
}

// ---- float32 -------------------------------------------------------------

/// Runs acc = step(acc, a-lanes, b-lanes) over n floats with four accumulators
/// (the FMA latency needs independent chains) and returns the total.
template <class Step>
float sum_f32(const float* a, const float* b, size_t n, Step step) {
    simde__m512 s0 = simde_mm512_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        s0 = step(s0, simde_mm512_loadu_ps(a + i), simde_mm512_loadu_ps(b + i));
        s1 = step(s1, simde_mm512_loadu_ps(a + i + 16), simde_mm512_loadu_ps(b + i + 16));
        s2 = step(s2, simde_mm512_loadu_ps(a + i + 32), simde_mm512_loadu_ps(b + i + 32));
        s3 = step(s3, simde_mm512_loadu_ps(a + i + 48), simde_mm512_loadu_ps(b + i + 48));
    }
    for (; i + 16 <= n; i += 16)
        s0 = step(s0, simde_mm512_loadu_ps(a + i), simde_mm512_loadu_ps(b + i));
    if (i < n)
        s1 = step(s1, load_ps_tail(a + i, n - i), load_ps_tail(b + i, n - i));
    return hsum512_ps(simde_mm512_add_ps(simde_mm512_add_ps(s0, s1), simde_mm512_add_ps(s2, s3)));
}

float l2sq_f32(const float* a, const float* b, size_t n) {
    return sum_f32(a, b, n, [](simde__m512 s, simde__m512 x, simde__m512 y) {
        simde__m512 d = simde_mm512_sub_ps(x, y);
        return simde_mm512_fmadd_ps(d, d, s);
    });
}

float dot_f32(const float* a, const float* b, size_t n) {
    return sum_f32(a, b, n, [](simde__m512 s, simde__m512 x, simde__m512 y) {
        return simde_mm512_fmadd_ps(x, y, s);
    });
}

float l1_f32(const float* a, const float* b, size_t n) {
    return sum_f32(a, b, n, [](simde__m512 s, simde__m512 x, simde__m512 y) {
        return simde_mm512_add_ps(s, simde_mm512_abs_ps(simde_mm512_sub_ps(x, y)));
    });
}

/// Running sums for cosine: dot, |a|^2, |b|^2.
struct CosAcc {
    simde__m512 ab, aa, bb;
    void add(simde__m512 x, simde__m512 y) {
        ab = simde_mm512_fmadd_ps(x, y, ab);
        aa = simde_mm512_fmadd_ps(x, x, aa);
        bb = simde_mm512_fmadd_ps(y, y, bb);
    }
};

CosineSums cosine_f32(const float* a, const float* b, size_t n) {
    const simde__m512 z = simde_mm512_setzero_ps();
    CosAcc c0 = {z, z, z}, c1 = {z, z, z};
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        c0.add(simde_mm512_loadu_ps(a + i), simde_mm512_loadu_ps(b + i));
        c1.add(simde_mm512_loadu_ps(a + i + 16), simde_mm512_loadu_ps(b + i + 16));
    }
    if (i + 16 <= n) {
        c0.add(simde_mm512_loadu_ps(a + i), simde_mm512_loadu_ps(b + i));
        i += 16;
    }
    if (i < n)
        c1.add(load_ps_tail(a + i, n - i), load_ps_tail(b + i, n - i));
    return {hsum512_ps(simde_mm512_add_ps(c0.ab, c1.ab)), hsum512_ps(simde_mm512_add_ps(c0.aa, c1.aa)),
            hsum512_ps(simde_mm512_add_ps(c0.bb, c1.bb))};
}

// ---- int8 ----------------------------------------------------------------

/// Runs acc = step(acc, a-int16, b-int16) over n int8 pairs; step adds int32
/// pair sums (vpmaddwd), flushed to int64 every kI8Block elements so the sums
/// stay exact for any n.
template <class Step>
int64_t sum_i8(const int8_t* a, const int8_t* b, size_t n, Step step) {
    int64_t total = 0;
    for (size_t start = 0; start < n; start += kI8Block) {
        const size_t end = std::min(n, start + kI8Block);
        simde__m512i s0 = simde_mm512_setzero_si512(), s1 = s0;
        size_t i = start;
        for (; i + 64 <= end; i += 64) {
            s0 = step(s0, load_i16(a + i), load_i16(b + i));
            s1 = step(s1, load_i16(a + i + 32), load_i16(b + i + 32));
        }
        if (i + 32 <= end) {
            s0 = step(s0, load_i16(a + i), load_i16(b + i));
            i += 32;
        }
        if (i < end)
            s1 = step(s1, load_i16_tail(a + i, end - i), load_i16_tail(b + i, end - i));
        total += hsum512_epi32(simde_mm512_add_epi32(s0, s1));
    }
    return total;
}

int64_t l2sq_i8(const int8_t* a, const int8_t* b, size_t n) {
    return sum_i8(a, b, n, [](simde__m512i s, simde__m512i x, simde__m512i y) {
        simde__m512i d = simde_mm512_sub_epi16(x, y);  // within [-255, 255]
        return simde_mm512_add_epi32(s, simde_mm512_madd_epi16(d, d));
    });
}

int64_t dot_i8(const int8_t* a, const int8_t* b, size_t n) {
    return sum_i8(a, b, n, [](simde__m512i s, simde__m512i x, simde__m512i y) {
        return simde_mm512_add_epi32(s, simde_mm512_madd_epi16(x, y));
    });
}

/// sum |a[i] - b[i]|: flipping the sign bit maps int8 to uint8 keeping
/// differences, then vpsadbw sums 8 absolute differences into each uint64 lane.
int64_t l1_i8(const int8_t* a, const int8_t* b, size_t n) {
    const auto* pa = reinterpret_cast<const uint8_t*>(a);
    const auto* pb = reinterpret_cast<const uint8_t*>(b);
    const simde__m512i bias = simde_mm512_set1_epi8(-128);
    simde__m512i s0 = simde_mm512_setzero_si512(), s1 = s0;
    size_t i = 0;
    for (; i + 128 <= n; i += 128) {
        s0 = simde_mm512_add_epi64(s0, simde_mm512_sad_epu8(simde_mm512_xor_si512(simde_mm512_loadu_si512(pa + i), bias),
                                                            simde_mm512_xor_si512(simde_mm512_loadu_si512(pb + i), bias)));
        s1 = simde_mm512_add_epi64(s1, simde_mm512_sad_epu8(simde_mm512_xor_si512(simde_mm512_loadu_si512(pa + i + 64), bias),
                                                            simde_mm512_xor_si512(simde_mm512_loadu_si512(pb + i + 64), bias)));
    }
    if (i + 64 <= n) {
        s0 = simde_mm512_add_epi64(s0, simde_mm512_sad_epu8(simde_mm512_xor_si512(simde_mm512_loadu_si512(pa + i), bias),
                                                            simde_mm512_xor_si512(simde_mm512_loadu_si512(pb + i), bias)));
        i += 64;
    }
    if (i < n)  // both tails are zero-padded, so padded lanes differ by 0
        s1 = simde_mm512_add_epi64(s1, simde_mm512_sad_epu8(simde_mm512_xor_si512(load_bytes_tail(pa + i, n - i), bias),
                                                            simde_mm512_xor_si512(load_bytes_tail(pb + i, n - i), bias)));
    return int64_t(hsum512_epi64(simde_mm512_add_epi64(s0, s1)));
}

/// Running int32 sums for int8 cosine: dot, |a|^2, |b|^2.
struct CosAccI8 {
    simde__m512i ab, aa, bb;
    void add(simde__m512i x, simde__m512i y) {
        ab = simde_mm512_add_epi32(ab, simde_mm512_madd_epi16(x, y));
        aa = simde_mm512_add_epi32(aa, simde_mm512_madd_epi16(x, x));
        bb = simde_mm512_add_epi32(bb, simde_mm512_madd_epi16(y, y));
    }
};

CosineSumsI8 cosine_i8(const int8_t* a, const int8_t* b, size_t n) {
    CosineSumsI8 r = {0, 0, 0};
    for (size_t start = 0; start < n; start += kI8Block) {
        const size_t end = std::min(n, start + kI8Block);
        const simde__m512i z = simde_mm512_setzero_si512();
        CosAccI8 c0 = {z, z, z}, c1 = {z, z, z};
        size_t i = start;
        for (; i + 64 <= end; i += 64) {
            c0.add(load_i16(a + i), load_i16(b + i));
            c1.add(load_i16(a + i + 32), load_i16(b + i + 32));
        }
        if (i + 32 <= end) {
            c0.add(load_i16(a + i), load_i16(b + i));
            i += 32;
        }
        if (i < end)
            c1.add(load_i16_tail(a + i, end - i), load_i16_tail(b + i, end - i));
        r.dot += hsum512_epi32(simde_mm512_add_epi32(c0.ab, c1.ab));
        r.norm_a += hsum512_epi32(simde_mm512_add_epi32(c0.aa, c1.aa));
        r.norm_b += hsum512_epi32(simde_mm512_add_epi32(c0.bb, c1.bb));
    }
    return r;
}

// ---- bits ----------------------------------------------------------------

struct First {
    static simde__m512i op(simde__m512i x, simde__m512i) { return x; }
};
struct Xor {
    static simde__m512i op(simde__m512i x, simde__m512i y) { return simde_mm512_xor_si512(x, y); }
};

/// Number of set bits in Op(a, b) over n bytes, with vpopcntq.
template <class Op>
uint64_t count_bits(const uint8_t* a, const uint8_t* b, size_t n) {
    auto bits = [](simde__m512i x, simde__m512i y) { return simde_mm512_popcnt_epi64(Op::op(x, y)); };
    simde__m512i s0 = simde_mm512_setzero_si512(), s1 = s0;
    size_t i = 0;
    for (; i + 128 <= n; i += 128) {
        s0 = simde_mm512_add_epi64(s0, bits(simde_mm512_loadu_si512(a + i), simde_mm512_loadu_si512(b + i)));
        s1 = simde_mm512_add_epi64(s1, bits(simde_mm512_loadu_si512(a + i + 64), simde_mm512_loadu_si512(b + i + 64)));
    }
    if (i + 64 <= n) {
        s0 = simde_mm512_add_epi64(s0, bits(simde_mm512_loadu_si512(a + i), simde_mm512_loadu_si512(b + i)));
        i += 64;
    }
    if (i < n)
        s1 = simde_mm512_add_epi64(s1, bits(load_bytes_tail(a + i, n - i), load_bytes_tail(b + i, n - i)));
    return hsum512_epi64(simde_mm512_add_epi64(s0, s1));
}

uint64_t popcount(const uint8_t* a, size_t nbytes) {
    return count_bits<First>(a, a, nbytes);
}

uint64_t hamming(const uint8_t* a, const uint8_t* b, size_t nbytes) {
    return count_bits<Xor>(a, b, nbytes);
}

/// |a AND b| and |a OR b| in one pass over the bytes.
void and_or_popcount(const uint8_t* a, const uint8_t* b, size_t nbytes, uint64_t* and_count,
                     uint64_t* or_count) {
    simde__m512i sa = simde_mm512_setzero_si512(), so = sa;
    auto add = [&](simde__m512i x, simde__m512i y) {
        sa = simde_mm512_add_epi64(sa, simde_mm512_popcnt_epi64(simde_mm512_and_si512(x, y)));
        so = simde_mm512_add_epi64(so, simde_mm512_popcnt_epi64(simde_mm512_or_si512(x, y)));
    };
    size_t i = 0;
    for (; i + 64 <= nbytes; i += 64)
        add(simde_mm512_loadu_si512(a + i), simde_mm512_loadu_si512(b + i));
    if (i < nbytes)
        add(load_bytes_tail(a + i, nbytes - i), load_bytes_tail(b + i, nbytes - i));
    *and_count = hsum512_epi64(sa);
    *or_count = hsum512_epi64(so);
}

}  // namespace

const Kernels kAvx512Kernels = {
    Isa::avx512, "avx512",
    l2sq_f32, dot_f32, l1_f32, cosine_f32,
    l2sq_i8, dot_i8, l1_i8, cosine_i8,
    popcount, hamming, and_or_popcount,
};

}  // namespace vx::simd
