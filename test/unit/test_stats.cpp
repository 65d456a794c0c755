// Statistics helpers of index inspection (core/stats) and the quantizer
// parameter summary (core/quant/param_summary), against hand-computed values.
#include <gtest/gtest.h>

#include <vector>

#include "core/quant/param_summary.h"
#include "core/stats/summary.h"

namespace vx {
namespace {

TEST(Stats, SummarizeSortsAndComputes) {
    std::vector<double> v = {5, 1, 3, 2, 4, 9};
    stats::Summary s = stats::summarize(v.data(), v.size());
    EXPECT_EQ(s.n, 6u);
    EXPECT_DOUBLE_EQ(s.min, 1);
    EXPECT_DOUBLE_EQ(s.max, 9);
    EXPECT_DOUBLE_EQ(s.median, 3.5);
    EXPECT_DOUBLE_EQ(s.mean, 4);
    EXPECT_NEAR(s.stddev, 2.5820, 1e-4);  // sqrt((9 + 4 + 1 + 0 + 1 + 25) / 6)
    EXPECT_EQ(stats::summarize(v.data(), 0).n, 0u);
}

TEST(Stats, HistogramMatchesTheValues) {
    // values 0, 2, 2, 3, 3, 3, 7
    std::vector<int64_t> h = {1, 0, 2, 3, 0, 0, 0, 1};
    std::vector<double> v = {0, 2, 2, 3, 3, 3, 7};
    stats::Summary a = stats::summarize_histogram(h.data(), h.size());
    stats::Summary b = stats::summarize(v.data(), v.size());
    EXPECT_EQ(a.n, b.n);
    EXPECT_DOUBLE_EQ(a.min, b.min);
    EXPECT_DOUBLE_EQ(a.max, b.max);
    EXPECT_DOUBLE_EQ(a.median, b.median);
    EXPECT_DOUBLE_EQ(a.mean, b.mean);
    EXPECT_NEAR(a.stddev, b.stddev, 1e-12);
    h.push_back(1);  // an even count: median of 3 and 3
    EXPECT_DOUBLE_EQ(stats::summarize_histogram(h.data(), h.size()).median, 3);
}

TEST(Stats, Imbalance) {
    std::vector<double> even = {10, 10, 10, 10};
    std::vector<double> skew = {40, 0, 0, 0};
    EXPECT_DOUBLE_EQ(stats::imbalance(even.data(), 4), 1);
    EXPECT_DOUBLE_EQ(stats::imbalance(skew.data(), 4), 4);
    EXPECT_DOUBLE_EQ(stats::imbalance(skew.data(), 0), 0);
}

TEST(Stats, WilsonInterval) {
    double lo, hi;
    stats::wilson_interval(0.5, 100, 1.96, &lo, &hi);
    EXPECT_NEAR(lo, 0.4038, 1e-4);
    EXPECT_NEAR(hi, 0.5962, 1e-4);
    stats::wilson_interval(1.0, 100, 1.96, &lo, &hi);  // never degenerate at 1
    EXPECT_NEAR(lo, 100 / (100 + 1.96 * 1.96), 1e-9);
    EXPECT_DOUBLE_EQ(hi, 1);
    stats::wilson_interval(0.0, 10, 1.96, &lo, &hi);
    EXPECT_DOUBLE_EQ(lo, 0);
    EXPECT_GT(hi, 0.2);
    stats::wilson_interval(0.3, 0, 1.96, &lo, &hi);
    EXPECT_DOUBLE_EQ(lo, 0);
    EXPECT_DOUBLE_EQ(hi, 1);
}

TEST(ParamSummary, Sq8RangesAreTheSampleMinMax) {
    // dimension 0 in [-1, 3], dimension 1 in [2, 4]
    std::vector<float> x = {-1, 2, 3, 4, 0, 3};
    quant::Quantizer q(quant::Encoding::sq8);
    q.train(x.data(), 3, 2);
    quant::ParamSummary s = quant::summarize_params(q);
    ASSERT_TRUE(s.has_range);
    EXPECT_FALSE(s.has_threshold);
    EXPECT_EQ(s.bits, 8);
    EXPECT_NEAR(s.lower.min, -1, 1e-6);
    EXPECT_NEAR(s.lower.max, 2, 1e-6);
    EXPECT_NEAR(s.upper.min, 3, 1e-5);
    EXPECT_NEAR(s.upper.max, 4, 1e-5);
    EXPECT_NEAR(s.width.mean, 3, 1e-5);  // (4 + 2) / 2
}

TEST(ParamSummary, Bq1ThresholdsAreTheMeans) {
    std::vector<float> x = {0, 10, 2, 20, 4, 30};
    quant::Quantizer q(quant::Encoding::bq1);
    q.train(x.data(), 3, 2);
    quant::ParamSummary s = quant::summarize_params(q);
    ASSERT_TRUE(s.has_threshold);
    EXPECT_EQ(s.bits, 1);
    EXPECT_NEAR(s.threshold.min, 2, 1e-6);
    EXPECT_NEAR(s.threshold.max, 20, 1e-6);
    EXPECT_NEAR(s.threshold.mean, 11, 1e-6);
    EXPECT_GT(s.gap.min, 0);
    EXPECT_FALSE(quant::summarize_params(quant::Quantizer(quant::Encoding::f16)).has_range);
}

}  // namespace
}  // namespace vx
