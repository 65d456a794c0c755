// Scalar reference kernels: the definition every SIMD table is tested against.
#include <cmath>
#include <cstdlib>

#include "core/simd/distance.h"
#include "core/simd/kernel_tables.h"

namespace vx::simd {
namespace {

float l2sq_f32(const float* a, const float* b, size_t n) {
    float s = 0;
    for (size_t i = 0; i < n; i++) {
        float d = a[i] - b[i];
        s += d * d;
    }
    return s;
}

float dot_f32(const float* a, const float* b, size_t n) {
    float s = 0;
    for (size_t i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

float l1_f32(const float* a, const float* b, size_t n) {
    float s = 0;
    for (size_t i = 0; i < n; i++)
        s += std::fabs(a[i] - b[i]);
    return s;
}

CosineSums cosine_f32(const float* a, const float* b, size_t n) {
    CosineSums r = {0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        r.dot += a[i] * b[i];
        r.norm_a += a[i] * a[i];
        r.norm_b += b[i] * b[i];
    }
    return r;
}

int64_t l2sq_i8(const int8_t* a, const int8_t* b, size_t n) {
    int64_t s = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t d = int32_t(a[i]) - int32_t(b[i]);
        s += d * d;
    }
    return s;
}

int64_t dot_i8(const int8_t* a, const int8_t* b, size_t n) {
    int64_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += int32_t(a[i]) * int32_t(b[i]);
    return s;
}

int64_t l1_i8(const int8_t* a, const int8_t* b, size_t n) {
    int64_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += std::abs(int32_t(a[i]) - int32_t(b[i]));
    return s;
}

CosineSumsI8 cosine_i8(const int8_t* a, const int8_t* b, size_t n) {
    CosineSumsI8 r = {0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        r.dot += int32_t(a[i]) * int32_t(b[i]);
        r.norm_a += int32_t(a[i]) * int32_t(a[i]);
        r.norm_b += int32_t(b[i]) * int32_t(b[i]);
    }
    return r;
}

uint64_t popcount(const uint8_t* a, size_t nbytes) {
    uint64_t s = 0;
    for (size_t i = 0; i < nbytes; i++)
        s += __builtin_popcount(a[i]);
    return s;
}

uint64_t hamming(const uint8_t* a, const uint8_t* b, size_t nbytes) {
    uint64_t s = 0;
    for (size_t i = 0; i < nbytes; i++)
        s += __builtin_popcount(a[i] ^ b[i]);
    return s;
}

void and_or_popcount(const uint8_t* a, const uint8_t* b, size_t nbytes, uint64_t* and_count,
                     uint64_t* or_count) {
    uint64_t x = 0, y = 0;
    for (size_t i = 0; i < nbytes; i++) {
        x += __builtin_popcount(a[i] & b[i]);
        y += __builtin_popcount(a[i] | b[i]);
    }
    *and_count = x;
    *or_count = y;
}

}  // namespace

const Kernels kScalarKernels = {
    Isa::scalar, "scalar",
    l2sq_f32, dot_f32, l1_f32, cosine_f32,
    l2sq_i8, dot_i8, l1_i8, cosine_i8,
    popcount, hamming, and_or_popcount,
};

}  // namespace vx::simd
