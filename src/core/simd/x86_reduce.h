// Horizontal sums of x86 vectors, shared by the AVX2 and AVX-512 kernel files.
//
// Everything here has internal linkage on purpose: each *_avx2.cpp / *_avx512.cpp
// gets its own copy compiled with its own -m flags. An ordinary inline function
// would be merged across files by the linker, and the AVX-512 copy could end up
// running on a CPU that only has AVX2.
#pragma once

#include <simde/x86/avx2.h>

#include <cstdint>

namespace vx::simd {
namespace {

/// Sum of the 8 floats of v.
[[maybe_unused]] inline float hsum_ps(simde__m256 v) {
    simde__m128 q = simde_mm_add_ps(simde_mm256_castps256_ps128(v), simde_mm256_extractf128_ps(v, 1));
    q = simde_mm_add_ps(q, simde_mm_movehl_ps(q, q));
    q = simde_mm_add_ss(q, simde_mm_movehdup_ps(q));
    return simde_mm_cvtss_f32(q);
}

/// Sum of the 8 int32 lanes of v (the caller guarantees it fits in int32).
[[maybe_unused]] inline int32_t hsum_epi32(simde__m256i v) {
    simde__m128i q = simde_mm_add_epi32(simde_mm256_castsi256_si128(v), simde_mm256_extracti128_si256(v, 1));
    q = simde_mm_add_epi32(q, simde_mm_shuffle_epi32(q, SIMDE_MM_SHUFFLE(1, 0, 3, 2)));
    q = simde_mm_add_epi32(q, simde_mm_shuffle_epi32(q, SIMDE_MM_SHUFFLE(2, 3, 0, 1)));
    return simde_mm_cvtsi128_si32(q);
}

/// Sum of the 4 uint64 lanes of v.
[[maybe_unused]] inline uint64_t hsum_epi64(simde__m256i v) {
    simde__m128i q = simde_mm_add_epi64(simde_mm256_castsi256_si128(v), simde_mm256_extracti128_si256(v, 1));
    q = simde_mm_add_epi64(q, simde_mm_unpackhi_epi64(q, q));
    return uint64_t(simde_mm_cvtsi128_si64(q));
}

/// Elements of int8 input per int32-accumulated block: 32768 * 255^2 < 2^31, so
/// neither a lane nor the block's horizontal sum can overflow int32.
constexpr size_t kI8Block = 32768;

}  // namespace
}  // namespace vx::simd
