// Picks the kernel table for the running CPU (and the VECTOR_EXT_ISA override).
#include <cstdlib>
#include <cstring>
#include <initializer_list>

#include "core/simd/distance.h"
#include "core/simd/kernel_tables.h"

namespace vx::simd {
namespace {

/// Whether the CPU (and the OS, which must save the wider registers) has AVX2 + FMA.
bool cpu_has_avx2() {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

/// Whether the CPU has every AVX-512 subset kernels_avx512.cpp is compiled for.
bool cpu_has_avx512() {
    __builtin_cpu_init();
    return cpu_has_avx2() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512vpopcntdq");
}

/// The best supported table.
const Kernels* best_supported() {
    for (Isa isa : {Isa::avx512, Isa::avx2})
        if (const Kernels* k = for_isa(isa))
            return k;
    return &kScalarKernels;
}

}  // namespace

// The table for isa, if the CPU can run it.
const Kernels* for_isa(Isa isa) {
    switch (isa) {
    case Isa::scalar:
        return &kScalarKernels;
    case Isa::avx2:
        return cpu_has_avx2() ? &kAvx2Kernels : nullptr;
    case Isa::avx512:
        return cpu_has_avx512() ? &kAvx512Kernels : nullptr;
    }
    return nullptr;
}

// The table with this name if supported, else the best one.
const Kernels& for_name(const char* name) {
    const Kernels* k = nullptr;
    if (name != nullptr) {
        for (Isa isa : {Isa::scalar, Isa::avx2, Isa::avx512}) {
            const Kernels* t = for_isa(isa);
            if (t != nullptr && std::strcmp(name, t->name) == 0)
                k = t;
        }
    }
    return k != nullptr ? *k : *best_supported();
}

// The table chosen at first use (VECTOR_EXT_ISA, else the best one).
const Kernels& active() {
    static const Kernels& chosen = for_name(std::getenv("VECTOR_EXT_ISA"));
    return chosen;
}

}  // namespace vx::simd
