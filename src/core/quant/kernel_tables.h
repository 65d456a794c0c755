// The per-instruction-set quantizer kernel tables, one per file (internal).
#pragma once

#include "core/quant/kernels.h"

namespace vx::quant {

extern const QuantKernels kScalarQuantKernels;
extern const QuantKernels kAvx2QuantKernels;
extern const QuantKernels kAvx512QuantKernels;

}  // namespace vx::quant
