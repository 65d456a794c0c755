// Distance kernels over raw element arrays, one table per instruction set.
//
// Callers take the table once (`active()`) and call through it; the table is
// chosen at first use from what the CPU supports (AVX-512, AVX2+FMA, scalar).
// Every kernel in every table must agree with the scalar table (see
// test/unit/test_distance.cpp). No kernel allocates or throws.
//
// Override: the environment variable VECTOR_EXT_ISA=scalar|avx2|avx512, read
// once at first use, forces that table (for benchmarks and for comparing
// results). A value the CPU does not support, or an unknown value, falls back
// to the best supported table. For a PostgreSQL server, set it in the
// environment of the postmaster.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vx::simd {

enum class Isa { scalar = 0, avx2 = 1, avx512 = 2 };

/// Partial sums for cosine distance, computed in one pass.
struct CosineSums {
    float dot;
    float norm_a;  ///< sum of a[i]^2
    float norm_b;  ///< sum of b[i]^2
};

struct CosineSumsI8 {
    int64_t dot;
    int64_t norm_a;
    int64_t norm_b;
};

struct Kernels {
    Isa isa;
    const char* name;  ///< "scalar", "avx2", "avx512"

    // float32
    float (*l2sq_f32)(const float* a, const float* b, size_t n);
    float (*dot_f32)(const float* a, const float* b, size_t n);
    float (*l1_f32)(const float* a, const float* b, size_t n);
    CosineSums (*cosine_f32)(const float* a, const float* b, size_t n);

    // int8 (exact integer arithmetic)
    int64_t (*l2sq_i8)(const int8_t* a, const int8_t* b, size_t n);
    int64_t (*dot_i8)(const int8_t* a, const int8_t* b, size_t n);
    int64_t (*l1_i8)(const int8_t* a, const int8_t* b, size_t n);
    CosineSumsI8 (*cosine_i8)(const int8_t* a, const int8_t* b, size_t n);

    // packed bits, nbytes bytes each
    uint64_t (*popcount)(const uint8_t* a, size_t nbytes);
    uint64_t (*hamming)(const uint8_t* a, const uint8_t* b, size_t nbytes);
    /// |a AND b| and |a OR b|, for jaccard
    void (*and_or_popcount)(const uint8_t* a, const uint8_t* b, size_t nbytes,
                            uint64_t* and_count, uint64_t* or_count);
};

/// The best table the running CPU supports, or the one VECTOR_EXT_ISA names
/// (see above). Fixed at the first call.
const Kernels& active();

/// The table for one instruction set, or nullptr when it is not compiled in or
/// the CPU lacks it (AVX2 needs avx2+fma; AVX-512 needs avx512f, bw, vl, dq and
/// vpopcntdq). Ignores VECTOR_EXT_ISA. Used by tests and benchmarks.
const Kernels* for_isa(Isa isa);

/// The table named "scalar", "avx2" or "avx512" if the CPU supports it, else
/// (also for nullptr or an unknown name) the best supported one. active() is
/// for_name(getenv("VECTOR_EXT_ISA")).
const Kernels& for_name(const char* name);

}  // namespace vx::simd
