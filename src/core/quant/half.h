// IEEE 754 half precision <-> float32 conversion in portable C++ (the scalar
// reference for the F16C / AVX-512 conversions used by the SIMD kernels).
#pragma once

#include <cstdint>
#include <cstring>

namespace vx::quant {
// Internal linkage on purpose: the SIMD files include this with their own -m
// flags, and a shared inline copy could end up running on a CPU without them.
namespace {

/// Largest finite half value; encoders clip to +-kHalfMax so no code is infinite.
constexpr float kHalfMax = 65504.0f;

/// `f` rounded to the nearest half (ties to even), as _mm_cvtps_ph does.
inline uint16_t float_to_half(float f) {
    uint32_t x;
    std::memcpy(&x, &f, 4);
    const uint32_t sign = (x >> 16) & 0x8000u;
    const uint32_t ax = x & 0x7fffffffu;
    if (ax >= 0x7f800000u)  // infinity or NaN (kept quiet)
        return uint16_t(sign | (ax > 0x7f800000u ? 0x7e00u : 0x7c00u));
    const uint32_t e = ax >> 23;
    uint32_t m = ax & 0x7fffffu;
    if (e < 113) {  // below 2^-14: a subnormal half or zero
        if (e < 102)
            return uint16_t(sign);
        m |= 0x800000u;
        const uint32_t shift = 126 - e;  // 14..24
        uint32_t q = m >> shift;
        const uint32_t rem = m & ((1u << shift) - 1), half = 1u << (shift - 1);
        if (rem > half || (rem == half && (q & 1)))
            q++;
        return uint16_t(sign | q);
    }
    uint32_t q = ((e - 112) << 10) | (m >> 13);
    const uint32_t rem = m & 0x1fffu;
    if (rem > 0x1000u || (rem == 0x1000u && (q & 1)))
        q++;  // a carry into the exponent is the right result
    if (q >= 0x7c00u)
        return uint16_t(sign | 0x7c00u);
    return uint16_t(sign | q);
}

/// The float value of half `h` (exact).
inline float half_to_float(uint16_t h) {
    const uint32_t sign = uint32_t(h & 0x8000u) << 16;
    const uint32_t e = (h >> 10) & 0x1fu, m = h & 0x3ffu;
    uint32_t x;
    if (e == 0) {
        float v = float(m) * 5.9604644775390625e-8f;  // m * 2^-24
        std::memcpy(&x, &v, 4);
        x |= sign;
    } else if (e == 31) {
        x = sign | 0x7f800000u | (m << 13);
    } else {
        x = sign | ((e + 112) << 23) | (m << 13);
    }
    float f;
    std::memcpy(&f, &x, 4);
    return f;
}

}  // namespace
}  // namespace vx::quant
