// The per-instruction-set quantizer kernel tables, one per file (internal).
#pragma once

#include "core/quant/kernels.h"

namespace vx::quant {

extern const QuantKernels kScalarQuantKernels;
extern const QuantKernels kAvx2QuantKernels;
extern const QuantKernels kAvx512QuantKernels;

/// kernels_avx512vnni.cpp: bsum_b1_batch with vpdpbusd (the AVX-512 table's
/// other entries are used as they are).
void bsum_b1_batch_avx512vnni(const uint8_t* wq, const uint8_t* wq2, const uint8_t* codes,
                              size_t count, size_t stride, size_t n, BitSums* out);

}  // namespace vx::quant
