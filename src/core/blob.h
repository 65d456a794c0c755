// Little-endian fields and a checksum for the parameter blobs that indexes
// store in their pages (trained quantizers, PQ codebooks), whatever the host
// byte order. Header-only; no allocation, no exceptions.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace vx::blob {

/// FNV-1a hash of n bytes: catches torn or corrupted blobs.
inline uint32_t fnv1a(const uint8_t* p, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

inline void put_u32(uint8_t* p, uint32_t v) {
    for (int i = 0; i < 4; i++)
        p[i] = uint8_t(v >> (8 * i));
}

inline uint32_t get_u32(const uint8_t* p) {
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

/// Writes n floats as little-endian IEEE-754 words.
inline void put_f32s(uint8_t* p, const float* v, size_t n) {
    for (size_t i = 0; i < n; i++) {
        uint32_t bits;
        std::memcpy(&bits, &v[i], 4);
        put_u32(p + 4 * i, bits);
    }
}

/// Reads n floats; false when any is not finite (a corrupt blob).
inline bool get_f32s(const uint8_t* p, size_t n, float* out) {
    for (size_t i = 0; i < n; i++) {
        uint32_t bits = get_u32(p + 4 * i);
        std::memcpy(&out[i], &bits, 4);
        if (!std::isfinite(out[i]))
            return false;
    }
    return true;
}

}  // namespace vx::blob
