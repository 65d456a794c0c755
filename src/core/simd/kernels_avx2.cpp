// AVX2 + FMA kernels, written with simde intrinsics.
//
// This file is compiled with the AVX2 -m flags (*_avx2.cpp rule of the Makefile
// and CMake), so simde maps its calls to native instructions; only dispatch.cpp
// decides, from the running CPU, whether this table may be used. Float tails
// use vmaskmovps (masked-off lanes are not read, and are zero); int8 and bit
// tails shorter than a vector are finished by the scalar table (int8) or by
// 64-bit popcnt (bits).
#include <simde/x86/avx2.h>
#include <simde/x86/fma.h>

#include <algorithm>
#include <cstring>

#include "core/simd/kernel_tables.h"
#include "core/simd/x86_reduce.h"

namespace vx::simd {
namespace {

// ---- float32 -------------------------------------------------------------

/// Lane mask selecting the first k (< 8) floats: a window into this table.
const int32_t kTailMask[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

/// The first k (< 8) floats at p, other lanes zero; reads nothing past p + k.
simde__m256 load_ps_tail(const float* p, size_t k) {
    return simde_mm256_maskload_ps(p, simde_mm256_loadu_si256(kTailMask + 8 - k));
}

/// Runs acc = step(acc, a-lanes, b-lanes) over n floats with four accumulators
/// (the FMA latency needs independent chains) and returns the total.
template <class Step>
float sum_f32(const float* a, const float* b, size_t n, Step step) {
    simde__m256 s0 = simde_mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        s0 = step(s0, simde_mm256_loadu_ps(a + i), simde_mm256_loadu_ps(b + i));
        s1 = step(s1, simde_mm256_loadu_ps(a + i + 8), simde_mm256_loadu_ps(b + i + 8));
        s2 = step(s2, simde_mm256_loadu_ps(a + i + 16), simde_mm256_loadu_ps(b + i + 16));
        s3 = step(s3, simde_mm256_loadu_ps(a + i + 24), simde_mm256_loadu_ps(b + i + 24));
    }
    for (; i + 8 <= n; i += 8)
        s0 = step(s0, simde_mm256_loadu_ps(a + i), simde_mm256_loadu_ps(b + i));
    if (i < n)
        s1 = step(s1, load_ps_tail(a + i, n - i), load_ps_tail(b + i, n - i));
    return hsum_ps(simde_mm256_add_ps(simde_mm256_add_ps(s0, s1), simde_mm256_add_ps(s2, s3)));
}

float l2sq_f32(const float* a, const float* b, size_t n) {
    return sum_f32(a, b, n, [](simde__m256 s, simde__m256 x, simde__m256 y) {
        simde__m256 d = simde_mm256_sub_ps(x, y);
        return simde_mm256_fmadd_ps(d, d, s);
    });
}

float dot_f32(const float* a, const float* b, size_t n) {
    return sum_f32(a, b, n, [](simde__m256 s, simde__m256 x, simde__m256 y) {
        return simde_mm256_fmadd_ps(x, y, s);
    });
}

float l1_f32(const float* a, const float* b, size_t n) {
    const simde__m256 sign = simde_mm256_set1_ps(-0.0f);
    return sum_f32(a, b, n, [sign](simde__m256 s, simde__m256 x, simde__m256 y) {
        return simde_mm256_add_ps(s, simde_mm256_andnot_ps(sign, simde_mm256_sub_ps(x, y)));
    });
}

/// Running sums for cosine: dot, |a|^2, |b|^2.
struct CosAcc {
    simde__m256 ab, aa, bb;
    void add(simde__m256 x, simde__m256 y) {
        ab = simde_mm256_fmadd_ps(x, y, ab);
        aa = simde_mm256_fmadd_ps(x, x, aa);
        bb = simde_mm256_fmadd_ps(y, y, bb);
    }
};

CosineSums cosine_f32(const float* a, const float* b, size_t n) {
    const simde__m256 z = simde_mm256_setzero_ps();
    CosAcc c0 = {z, z, z}, c1 = {z, z, z};
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        c0.add(simde_mm256_loadu_ps(a + i), simde_mm256_loadu_ps(b + i));
        c1.add(simde_mm256_loadu_ps(a + i + 8), simde_mm256_loadu_ps(b + i + 8));
    }
    if (i + 8 <= n) {
        c0.add(simde_mm256_loadu_ps(a + i), simde_mm256_loadu_ps(b + i));
        i += 8;
    }
    if (i < n)
        c1.add(load_ps_tail(a + i, n - i), load_ps_tail(b + i, n - i));
    return {hsum_ps(simde_mm256_add_ps(c0.ab, c1.ab)), hsum_ps(simde_mm256_add_ps(c0.aa, c1.aa)),
            hsum_ps(simde_mm256_add_ps(c0.bb, c1.bb))};
}

// ---- int8 ----------------------------------------------------------------

/// 16 int8 at p sign-extended to 16 int16 lanes.
simde__m256i load_i16(const int8_t* p) {
    return simde_mm256_cvtepi8_epi16(simde_mm_loadu_si128(p));
}

/// Runs acc = step(acc, a-int16, b-int16) over the multiple-of-16 prefix of n
/// int8 pairs and returns its total; *done is set to that prefix length. step
/// adds int32 pair sums (vpmaddwd), flushed to int64 every kI8Block elements so
/// the sums stay exact for any n.
template <class Step>
int64_t sum_i8(const int8_t* a, const int8_t* b, size_t n, size_t* done, Step step) {
    const size_t body = n & ~size_t(15);
    int64_t total = 0;
    for (size_t start = 0; start < body; start += kI8Block) {
        const size_t end = std::min(body, start + kI8Block);
        simde__m256i s0 = simde_mm256_setzero_si256(), s1 = s0;
        size_t i = start;
        for (; i + 32 <= end; i += 32) {
            s0 = step(s0, load_i16(a + i), load_i16(b + i));
            s1 = step(s1, load_i16(a + i + 16), load_i16(b + i + 16));
        }
        if (i < end)
            s0 = step(s0, load_i16(a + i), load_i16(b + i));
        total += hsum_epi32(simde_mm256_add_epi32(s0, s1));
    }
    *done = body;
    return total;
}

int64_t l2sq_i8(const int8_t* a, const int8_t* b, size_t n) {
    size_t i;
    int64_t s = sum_i8(a, b, n, &i, [](simde__m256i s, simde__m256i x, simde__m256i y) {
        simde__m256i d = simde_mm256_sub_epi16(x, y);  // within [-255, 255]
        return simde_mm256_add_epi32(s, simde_mm256_madd_epi16(d, d));
    });
    return i < n ? s + kScalarKernels.l2sq_i8(a + i, b + i, n - i) : s;
}

int64_t dot_i8(const int8_t* a, const int8_t* b, size_t n) {
    size_t i;
    int64_t s = sum_i8(a, b, n, &i, [](simde__m256i s, simde__m256i x, simde__m256i y) {
        return simde_mm256_add_epi32(s, simde_mm256_madd_epi16(x, y));
    });
    return i < n ? s + kScalarKernels.dot_i8(a + i, b + i, n - i) : s;
}

/// |x - y| of 32 int8 pairs summed by 8 into 4 uint64 lanes: flipping the sign
/// bit maps int8 to uint8 keeping differences, then vpsadbw does the rest.
simde__m256i sad_i8(const int8_t* x, const int8_t* y) {
    const simde__m256i bias = simde_mm256_set1_epi8(-128);
    return simde_mm256_sad_epu8(simde_mm256_xor_si256(simde_mm256_loadu_si256(x), bias),
                                simde_mm256_xor_si256(simde_mm256_loadu_si256(y), bias));
}

int64_t l1_i8(const int8_t* a, const int8_t* b, size_t n) {
    simde__m256i s0 = simde_mm256_setzero_si256(), s1 = s0;
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        s0 = simde_mm256_add_epi64(s0, sad_i8(a + i, b + i));
        s1 = simde_mm256_add_epi64(s1, sad_i8(a + i + 32, b + i + 32));
    }
    if (i + 32 <= n) {
        s0 = simde_mm256_add_epi64(s0, sad_i8(a + i, b + i));
        i += 32;
    }
    int64_t s = int64_t(hsum_epi64(simde_mm256_add_epi64(s0, s1)));
    return i < n ? s + kScalarKernels.l1_i8(a + i, b + i, n - i) : s;
}

/// Running int32 sums for int8 cosine: dot, |a|^2, |b|^2.
struct CosAccI8 {
    simde__m256i ab, aa, bb;
    void add(simde__m256i x, simde__m256i y) {
        ab = simde_mm256_add_epi32(ab, simde_mm256_madd_epi16(x, y));
        aa = simde_mm256_add_epi32(aa, simde_mm256_madd_epi16(x, x));
        bb = simde_mm256_add_epi32(bb, simde_mm256_madd_epi16(y, y));
    }
};

CosineSumsI8 cosine_i8(const int8_t* a, const int8_t* b, size_t n) {
    const size_t body = n & ~size_t(15);
    CosineSumsI8 r = {0, 0, 0};
    for (size_t start = 0; start < body; start += kI8Block) {
        const size_t end = std::min(body, start + kI8Block);
        const simde__m256i z = simde_mm256_setzero_si256();
        CosAccI8 c0 = {z, z, z}, c1 = {z, z, z};
        size_t i = start;
        for (; i + 32 <= end; i += 32) {
            c0.add(load_i16(a + i), load_i16(b + i));
            c1.add(load_i16(a + i + 16), load_i16(b + i + 16));
        }
        if (i < end)
            c0.add(load_i16(a + i), load_i16(b + i));
        r.dot += hsum_epi32(simde_mm256_add_epi32(c0.ab, c1.ab));
        r.norm_a += hsum_epi32(simde_mm256_add_epi32(c0.aa, c1.aa));
        r.norm_b += hsum_epi32(simde_mm256_add_epi32(c0.bb, c1.bb));
    }
    if (body < n) {
        CosineSumsI8 t = kScalarKernels.cosine_i8(a + body, b + body, n - body);
        r.dot += t.dot;
        r.norm_a += t.norm_a;
        r.norm_b += t.norm_b;
    }
    return r;
}

// ---- bits ----------------------------------------------------------------

/// Bit count of each byte of v (0..8), by looking up both nibbles with vpshufb.
simde__m256i popcount_bytes(simde__m256i v) {
    const simde__m256i lut = simde_mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
                                                   0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
    const simde__m256i low4 = simde_mm256_set1_epi8(0x0f);
    simde__m256i lo = simde_mm256_and_si256(v, low4);
    simde__m256i hi = simde_mm256_and_si256(simde_mm256_srli_epi16(v, 4), low4);
    return simde_mm256_add_epi8(simde_mm256_shuffle_epi8(lut, lo), simde_mm256_shuffle_epi8(lut, hi));
}

/// Byte-wise operations on vectors and on 64-bit words, one per bit kernel.
struct First {
    static simde__m256i op(simde__m256i x, simde__m256i) { return x; }
    static uint64_t op(uint64_t x, uint64_t) { return x; }
};
struct Xor {
    static simde__m256i op(simde__m256i x, simde__m256i y) { return simde_mm256_xor_si256(x, y); }
    static uint64_t op(uint64_t x, uint64_t y) { return x ^ y; }
};
struct And {
    static simde__m256i op(simde__m256i x, simde__m256i y) { return simde_mm256_and_si256(x, y); }
    static uint64_t op(uint64_t x, uint64_t y) { return x & y; }
};
struct Or {
    static simde__m256i op(simde__m256i x, simde__m256i y) { return simde_mm256_or_si256(x, y); }
    static uint64_t op(uint64_t x, uint64_t y) { return x | y; }
};

/// Number of set bits in Op(a, b) over n (short) bytes, by 64-bit words (popcnt).
template <class Op>
uint64_t count_tail(const uint8_t* a, const uint8_t* b, size_t n) {
    uint64_t total = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x, y;
        std::memcpy(&x, a + i, 8);
        std::memcpy(&y, b + i, 8);
        total += uint64_t(__builtin_popcountll(Op::op(x, y)));
    }
    for (; i < n; i++)
        total += uint64_t(__builtin_popcount(unsigned(Op::op(uint64_t(a[i]), uint64_t(b[i])))));
    return total;
}

/// Number of set bits in Op(a, b) over n bytes; vpsadbw against zero turns the
/// per-byte counts into uint64 lanes.
template <class Op>
uint64_t count_bits(const uint8_t* a, const uint8_t* b, size_t n) {
    const simde__m256i zero = simde_mm256_setzero_si256();
    auto bits = [&](size_t i) {
        simde__m256i v = Op::op(simde_mm256_loadu_si256(a + i), simde_mm256_loadu_si256(b + i));
        return simde_mm256_sad_epu8(popcount_bytes(v), zero);
    };
    simde__m256i s0 = zero, s1 = zero;
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        s0 = simde_mm256_add_epi64(s0, bits(i));
        s1 = simde_mm256_add_epi64(s1, bits(i + 32));
    }
    if (i + 32 <= n) {
        s0 = simde_mm256_add_epi64(s0, bits(i));
        i += 32;
    }
    return hsum_epi64(simde_mm256_add_epi64(s0, s1)) + count_tail<Op>(a + i, b + i, n - i);
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
    const simde__m256i zero = simde_mm256_setzero_si256();
    simde__m256i sa = zero, so = zero;
    size_t i = 0;
    for (; i + 32 <= nbytes; i += 32) {
        simde__m256i x = simde_mm256_loadu_si256(a + i), y = simde_mm256_loadu_si256(b + i);
        sa = simde_mm256_add_epi64(sa, simde_mm256_sad_epu8(popcount_bytes(simde_mm256_and_si256(x, y)), zero));
        so = simde_mm256_add_epi64(so, simde_mm256_sad_epu8(popcount_bytes(simde_mm256_or_si256(x, y)), zero));
    }
    *and_count = hsum_epi64(sa) + count_tail<And>(a + i, b + i, nbytes - i);
    *or_count = hsum_epi64(so) + count_tail<Or>(a + i, b + i, nbytes - i);
}

}  // namespace

const Kernels kAvx2Kernels = {
    Isa::avx2, "avx2",
    l2sq_f32, dot_f32, l1_f32, cosine_f32,
    l2sq_i8, dot_i8, l1_i8, cosine_i8,
    popcount, hamming, and_or_popcount,
};

}  // namespace vx::simd
