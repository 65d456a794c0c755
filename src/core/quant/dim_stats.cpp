// Training statistics, four dimensions at a time (see dim_stats.h).
#include "core/quant/dim_stats.h"

#include <simde/x86/sse2.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/errors.h"

namespace vx::quant {
namespace {

/// Throws for the first non-finite value of row r.
[[noreturn]] void throw_non_finite(const float* x, size_t r, size_t dim) {
    size_t i = 0;
    while (i + 1 < dim && std::isfinite(x[i]))
        i++;
    throw InvalidArgument("training sample has a non-finite value in row " + std::to_string(r) +
                          ", dimension " + std::to_string(i));
}

/// Four double sums in two registers.
struct Acc4 {
    simde__m128d lo, hi;
    explicit Acc4(const double* p) : lo(simde_mm_loadu_pd(p)), hi(simde_mm_loadu_pd(p + 2)) {}
    /// Adds the four floats of v, widened to double.
    void add(simde__m128 v) {
        lo = simde_mm_add_pd(lo, simde_mm_cvtps_pd(v));
        hi = simde_mm_add_pd(hi, simde_mm_cvtps_pd(simde_mm_movehl_ps(v, v)));
    }
    /// (lo, hi) = op(v widened, (lo, hi)), lane by lane.
    template <class Op>
    void fold(simde__m128 v, Op op) {
        lo = op(simde_mm_cvtps_pd(v), lo);
        hi = op(simde_mm_cvtps_pd(simde_mm_movehl_ps(v, v)), hi);
    }
    void store(double* p) const {
        simde_mm_storeu_pd(p, lo);
        simde_mm_storeu_pd(p + 2, hi);
    }
};

}  // namespace

DimStats dim_stats(const float* data, size_t n, size_t dim, bool want_sd) {
    DimStats s;
    s.min.assign(dim, INFINITY);
    s.max.assign(dim, -INFINITY);
    s.mean.assign(dim, 0);
    s.sd.assign(dim, 0);
    double *mn = s.min.data(), *mx = s.max.data(), *sum = s.mean.data();
    const size_t d4 = dim / 4 * 4;
    const simde__m128 zero = simde_mm_setzero_ps();
    // min_pd(v, m) is (v < m ? v : m) and max_pd(v, m) is (v > m ? v : m):
    // std::min(m, v) and std::max(m, v), signed zeros included.
    auto vmin = [](simde__m128d v, simde__m128d m) { return simde_mm_min_pd(v, m); };
    auto vmax = [](simde__m128d v, simde__m128d m) { return simde_mm_max_pd(v, m); };
    // As in side_sums: a block of rows per four dimensions, in row order.
    constexpr size_t kRows = 8;
    const simde__m128i ones = simde_mm_set1_epi32(-1);
    for (size_t r0 = 0; r0 < n; r0 += kRows) {
        const size_t r1 = std::min(n, r0 + kRows);
        simde__m128 finite = simde_mm_castsi128_ps(ones);
        for (size_t i = 0; i < d4; i += 4) {
            Acc4 lo(mn + i), hi(mx + i), sm(sum + i);
            for (size_t r = r0; r < r1; r++) {
                const simde__m128 v = simde_mm_loadu_ps(data + r * dim + i);
                finite = simde_mm_and_ps(finite, simde_mm_cmpeq_ps(simde_mm_mul_ps(v, zero), zero)); /* x*0 is NaN for inf and NaN */
                lo.fold(v, vmin);
                hi.fold(v, vmax);
                sm.add(v);
            }
            lo.store(mn + i);
            hi.store(mx + i);
            sm.store(sum + i);
        }
        bool ok = simde_mm_movemask_ps(finite) == 0xF;
        for (size_t r = r0; r < r1; r++) {
            const float* x = data + r * dim;
            for (size_t i = d4; i < dim; i++) {
                ok &= std::isfinite(x[i]);
                mn[i] = std::min<double>(mn[i], x[i]);
                mx[i] = std::max<double>(mx[i], x[i]);
                sum[i] += x[i];
            }
        }
        if (!ok) /* the first row of the block with a non-finite value */
            for (size_t r = r0; r < r1; r++)
                if (!std::all_of(data + r * dim, data + (r + 1) * dim, [](float v) { return std::isfinite(v); }))
                    throw_non_finite(data + r * dim, r, dim);
    }
    for (size_t i = 0; i < dim; i++)
        sum[i] /= double(n);
    if (want_sd) {
        double* sd = s.sd.data();
        for (size_t r = 0; r < n; r++)
            for (size_t i = 0; i < dim; i++) {
                const double d = data[r * dim + i] - sum[i];
                sd[i] += d * d;
            }
        for (size_t i = 0; i < dim; i++)
            sd[i] = std::sqrt(sd[i] / double(n));
    }
    return s;
}

void side_sums(const float* data, size_t n, size_t dim, const float* t, double* hi_sum, double* lo_sum,
               double* hi_n) {
    std::fill(hi_sum, hi_sum + dim, 0.0);
    std::fill(lo_sum, lo_sum + dim, 0.0);
    std::fill(hi_n, hi_n + dim, 0.0);
    const size_t d4 = dim / 4 * 4;
    const simde__m128 one = simde_mm_set1_ps(1.0f);
    // Sums of four dimensions stay in registers over a block of rows, added in
    // row order; the side a value is not on gets +0.0, which leaves a sum as it was.
    constexpr size_t kRows = 8;
    for (size_t r0 = 0; r0 < n; r0 += kRows) {
        const size_t r1 = std::min(n, r0 + kRows);
        for (size_t i = 0; i < d4; i += 4) {
            Acc4 h(hi_sum + i), l(lo_sum + i), c(hi_n + i);
            const simde__m128 ti = simde_mm_loadu_ps(t + i);
            for (size_t r = r0; r < r1; r++) {
                const simde__m128 v = simde_mm_loadu_ps(data + r * dim + i);
                const simde__m128 hi = simde_mm_cmpgt_ps(v, ti);
                h.add(simde_mm_and_ps(hi, v));
                l.add(simde_mm_andnot_ps(hi, v));
                c.add(simde_mm_and_ps(hi, one));
            }
            h.store(hi_sum + i);
            l.store(lo_sum + i);
            c.store(hi_n + i);
        }
        for (size_t r = r0; r < r1; r++) {
            const float* x = data + r * dim;
            for (size_t i = d4; i < dim; i++) {
                if (x[i] > t[i]) {
                    hi_sum[i] += x[i];
                    hi_n[i] += 1;
                } else {
                    lo_sum[i] += x[i];
                }
            }
        }
    }
}

}  // namespace vx::quant
