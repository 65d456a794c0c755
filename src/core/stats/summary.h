// Small statistics for index inspection: a summary of a list of numbers (list
// sizes, graph degrees), of a count histogram, and the Wilson score interval
// that vector_ext_estimate_recall reports. Nothing here allocates or throws.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vx::stats {

/// min / median / max / mean / population standard deviation of n numbers
/// (all 0 when n == 0).
struct Summary {
    size_t n = 0;
    double min = 0, median = 0, max = 0, mean = 0, stddev = 0;
};

/// Summary of v[0, n); sorts v in place (the median of an even count is the
/// mean of the two middle values).
Summary summarize(double* v, size_t n) noexcept;

/// Summary of a histogram: counts[i] values equal to i, for i in [0, buckets).
Summary summarize_histogram(const int64_t* counts, size_t buckets) noexcept;

/// Faiss's imbalance factor of list sizes: n * sum(size^2) / (sum size)^2;
/// 1 when every list has the same size, larger when a few lists hold most
/// entries (a scan of p lists then reads about p * factor / n of the entries). 0 when empty.
double imbalance(const double* sizes, size_t n) noexcept;

/// Two-sided Wilson score interval for a proportion p observed over n trials
/// at normal quantile z (1.96: 95 %). For a mean of n values in [0, 1] (one
/// recall per query) it is conservative: such values vary at most as much as
/// 0/1 outcomes with the same mean. n == 0 gives [0, 1].
void wilson_interval(double p, double n, double z, double* low, double* high) noexcept;

}  // namespace vx::stats
