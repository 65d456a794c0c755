// Picks the kernel table for the running CPU.
#include "core/simd/distance.h"
#include "core/simd/kernel_tables.h"

#include <initializer_list>

namespace vx::simd {

const Kernels* for_isa(Isa isa) {
    switch (isa) {
    case Isa::scalar:
        return &kScalarKernels;
    default:
        return nullptr;
    }
}

const Kernels& active() {
    static const Kernels* best = [] {
        for (Isa isa : {Isa::avx512, Isa::avx2})
            if (const Kernels* k = for_isa(isa))
                return k;
        return &kScalarKernels;
    }();
    return *best;
}

}  // namespace vx::simd
