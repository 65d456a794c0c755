// What a trained quantizer learned, summarized over its dimensions, for
// vector_ext_index_info: each per-dimension parameter as min / mean / max
// (and standard deviation) across dimensions.
//   sq8 / sq4 / sq2   lower and upper end of the coded range, and its width
//                     (code 0 stands for lower, the top code for upper)
//   bq1               threshold (the dimension's mean in the sample), the
//                     values bit 0 and bit 1 decode to, and their gap
//   f32 / f16         nothing trained
#pragma once

#include "core/quant/quantizer.h"
#include "core/stats/summary.h"

namespace vx::quant {

struct ParamSummary {
    bool has_range = false;      ///< sq*: lower / upper / width are set
    bool has_threshold = false;  ///< bq1: threshold / bit0 / bit1 / gap are set
    int bits = 0;                ///< bits per dimension of a code
    stats::Summary lower, upper, width;
    stats::Summary threshold, bit0, bit1, gap;
};

/// Summary of q's parameters (median left 0: the parameters are not sorted).
ParamSummary summarize_params(const Quantizer& q) noexcept;

}  // namespace vx::quant
