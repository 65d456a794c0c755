// Statistics helpers (see summary.h).
#include "core/stats/summary.h"

#include <algorithm>
#include <cmath>

namespace vx::stats {

Summary summarize(double* v, size_t n) noexcept {
    Summary s;
    if (n == 0)
        return s;
    std::sort(v, v + n);
    s.n = n;
    s.min = v[0];
    s.max = v[n - 1];
    s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    s.mean = sum / n;
    double ss = 0;
    for (size_t i = 0; i < n; i++)
        ss += (v[i] - s.mean) * (v[i] - s.mean);
    s.stddev = std::sqrt(ss / n);
    return s;
}

// The value at 0-based rank r of a histogram (r < total).
static double rank_value(const int64_t* counts, size_t buckets, int64_t r) {
    for (size_t i = 0; i < buckets; i++) {
        if (r < counts[i])
            return (double) i;
        r -= counts[i];
    }
    return (double) (buckets - 1);
}

Summary summarize_histogram(const int64_t* counts, size_t buckets) noexcept {
    Summary s;
    int64_t total = 0;
    double sum = 0;
    for (size_t i = 0; i < buckets; i++) {
        total += counts[i];
        sum += (double) counts[i] * i;
    }
    if (total == 0)
        return s;
    s.n = (size_t) total;
    s.mean = sum / total;
    double ss = 0;
    bool first = true;
    for (size_t i = 0; i < buckets; i++) {
        if (counts[i] == 0)
            continue;
        if (first)
            s.min = (double) i;
        first = false;
        s.max = (double) i;
        ss += counts[i] * ((double) i - s.mean) * ((double) i - s.mean);
    }
    s.stddev = std::sqrt(ss / total);
    s.median = total % 2 ? rank_value(counts, buckets, total / 2)
                         : (rank_value(counts, buckets, total / 2 - 1) + rank_value(counts, buckets, total / 2)) / 2;
    return s;
}

double imbalance(const double* sizes, size_t n) noexcept {
    double sum = 0, sq = 0;
    for (size_t i = 0; i < n; i++) {
        sum += sizes[i];
        sq += sizes[i] * sizes[i];
    }
    return sum > 0 ? n * sq / (sum * sum) : 0;
}

void wilson_interval(double p, double n, double z, double* low, double* high) noexcept {
    if (!(n > 0)) {
        *low = 0;
        *high = 1;
        return;
    }
    p = std::min(1.0, std::max(0.0, p));
    double z2 = z * z;
    double denom = 1 + z2 / n;
    double centre = (p + z2 / (2 * n)) / denom;
    double half = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
    *low = std::max(0.0, centre - half);
    *high = std::min(1.0, centre + half);
}

}  // namespace vx::stats
