// Per-dimension statistics of a training sample (row-major floats), for the
// quantizers' train(). Every dimension adds its rows in row order in double,
// so the results are the same bits as the plain loops they replace; the
// loops run four dimensions at a time (SSE2 through simde, which every
// x86-64 CPU has), which made training 100k x 768 several times faster.
#pragma once

#include <cstddef>
#include <vector>

namespace vx::quant {

struct DimStats {
    std::vector<double> min, max, mean, sd;  ///< sd is all zero unless asked for
};

/// min, max and mean of each dimension, and sd when want_sd. Throws
/// InvalidArgument naming the row and dimension of the first non-finite value.
DimStats dim_stats(const float* data, size_t n, size_t dim, bool want_sd);

/// Per dimension i, over the rows: the sum of the values above t[i] (hi_sum),
/// of the others (lo_sum), and how many were above (hi_n). Arrays of dim.
void side_sums(const float* data, size_t n, size_t dim, const float* t, double* hi_sum, double* lo_sum,
               double* hi_n);

}  // namespace vx::quant
