// The per-instruction-set kernel tables, defined one per file (internal).
#pragma once

#include "core/simd/distance.h"

namespace vx::simd {

extern const Kernels kScalarKernels;
extern const Kernels kAvx2Kernels;    ///< kernels_avx2.cpp, AVX2 + FMA
extern const Kernels kAvx512Kernels;  ///< kernels_avx512.cpp, AVX-512 F/BW/VL/DQ + VPOPCNTDQ

}  // namespace vx::simd
