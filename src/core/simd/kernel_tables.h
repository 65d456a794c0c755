// The per-instruction-set kernel tables, defined one per file (internal).
#pragma once

#include "core/simd/distance.h"

namespace vx::simd {

extern const Kernels kScalarKernels;

}  // namespace vx::simd
