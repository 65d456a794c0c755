// Picks the quantizer kernel table for the running CPU.
#include "core/quant/kernel_tables.h"

#include <initializer_list>

namespace vx::quant {
namespace {

// The AVX2 table also needs FMA, F16C and POPCNT (its -m flags).
bool cpu_has_avx2() {
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
           __builtin_cpu_supports("f16c") && __builtin_cpu_supports("popcnt");
}

// The AVX-512 table is compiled with F, BW, VL, DQ and VPOPCNTDQ.
bool cpu_has_avx512() {
    return cpu_has_avx2() && __builtin_cpu_supports("avx512f") &&
           __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
           __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vpopcntdq");
}

}  // namespace

const QuantKernels* avx512_vnni_kernels() {
    // Built on first use from the constant AVX-512 table (a function-local
    // static: no dependence on the order of other files' initialization).
    static const QuantKernels* table = []() -> const QuantKernels* {
        if (!cpu_has_avx512() || !__builtin_cpu_supports("avx512vnni"))
            return nullptr;
        static QuantKernels t = kAvx512QuantKernels;
        t.name = "avx512vnni";
        t.bsum_b1_batch = bsum_b1_batch_avx512vnni;
        return &t;
    }();
    return table;
}

const QuantKernels* kernels_for_isa(Isa isa) {
    switch (isa) {
    case Isa::scalar:
        return &kScalarQuantKernels;
    case Isa::avx2:
        return cpu_has_avx2() ? &kAvx2QuantKernels : nullptr;
    case Isa::avx512:
        return cpu_has_avx512() ? &kAvx512QuantKernels : nullptr;
    }
    return nullptr;
}

const QuantKernels& active_kernels() {
    static const QuantKernels* best = [] {
        if (const QuantKernels* k = avx512_vnni_kernels())
            return k;
        for (Isa isa : {Isa::avx512, Isa::avx2})
            if (const QuantKernels* k = kernels_for_isa(isa))
                return k;
        return &kScalarQuantKernels;
    }();
    return *best;
}

}  // namespace vx::quant
