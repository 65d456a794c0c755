// Summary of a quantizer's trained parameters (see param_summary.h).
#include "core/quant/param_summary.h"

#include <cmath>

namespace vx::quant {

namespace {

// min / mean / max / stddev of f(i) for i in [0, n), in one streaming pass.
template <class F>
stats::Summary over_dims(size_t n, F f) noexcept {
    stats::Summary s;
    if (n == 0)
        return s;
    double sum = 0, sq = 0;
    s.min = s.max = f(0);
    for (size_t i = 0; i < n; i++) {
        double x = f(i);
        s.min = x < s.min ? x : s.min;
        s.max = x > s.max ? x : s.max;
        sum += x;
        sq += x * x;
    }
    s.n = n;
    s.mean = sum / n;
    double var = sq / n - s.mean * s.mean;
    s.stddev = var > 0 ? std::sqrt(var) : 0;
    return s;
}

}  // namespace

ParamSummary summarize_params(const Quantizer& q) noexcept {
    ParamSummary out;
    out.bits = level_of(q.encoding()).bits_per_dim;
    const auto& lo = q.lo();
    const auto& step = q.step();
    size_t n = lo.size() < step.size() ? lo.size() : step.size();
    switch (q.encoding()) {
    case Encoding::sq8:
    case Encoding::sq4:
    case Encoding::sq2: {
        double top = double((1u << out.bits) - 1);
        out.has_range = true;
        out.lower = over_dims(n, [&](size_t i) { return (double) lo[i]; });
        out.upper = over_dims(n, [&](size_t i) { return lo[i] + step[i] * top; });
        out.width = over_dims(n, [&](size_t i) { return step[i] * top; });
        break;
    }
    case Encoding::bq1: {
        const auto& th = q.threshold();
        out.has_threshold = true;
        out.threshold = over_dims(th.size(), [&](size_t i) { return (double) th[i]; });
        out.bit0 = over_dims(n, [&](size_t i) { return (double) lo[i]; });
        out.bit1 = over_dims(n, [&](size_t i) { return (double) lo[i] + step[i]; });
        out.gap = over_dims(n, [&](size_t i) { return (double) step[i]; });
        break;
    }
    default:
        break;
    }
    return out;
}

}  // namespace vx::quant
