// Training statistics (core/quant/dim_stats): the four-dimension loops give
// the same bits as plain row-by-row loops, for every tail of dimensions and
// rows, and name the first non-finite value.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "core/errors.h"
#include "core/quant/dim_stats.h"

namespace vx::quant {
namespace {

std::vector<float> rows(size_t n, size_t dim, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> g(0.3f, 2.0f);
    std::vector<float> v(n * dim);
    for (float& x : v)
        x = g(rng);
    // Ties with the mean threshold, signed zeros and repeated values.
    if (n * dim > 4) {
        v[0] = 0.0f;
        v[1] = -0.0f;
        v[n * dim - 1] = v[n * dim - 2];
    }
    return v;
}

/// Bitwise equality of doubles (distinguishes -0.0 and 0.0).
::testing::AssertionResult same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size())
        return ::testing::AssertionFailure() << "sizes " << a.size() << " and " << b.size();
    for (size_t i = 0; i < a.size(); i++)
        if (std::memcmp(&a[i], &b[i], sizeof(double)) != 0)
            return ::testing::AssertionFailure() << "element " << i << ": " << a[i] << " vs " << b[i];
    return ::testing::AssertionSuccess();
}

TEST(DimStats, SameBitsAsPlainLoops) {
    for (size_t dim : {1, 3, 4, 5, 8, 13, 768, 770})
        for (size_t n : {1, 2, 7, 8, 9, 17, 100}) {
            SCOPED_TRACE("dim " + std::to_string(dim) + " rows " + std::to_string(n));
            const std::vector<float> x = rows(n, dim, unsigned(dim * 131 + n));
            std::vector<double> mn(dim, INFINITY), mx(dim, -INFINITY), mean(dim, 0), sd(dim, 0);
            for (size_t r = 0; r < n; r++)
                for (size_t i = 0; i < dim; i++) {
                    mn[i] = std::min<double>(mn[i], x[r * dim + i]);
                    mx[i] = std::max<double>(mx[i], x[r * dim + i]);
                    mean[i] += x[r * dim + i];
                }
            for (size_t i = 0; i < dim; i++)
                mean[i] /= double(n);
            for (size_t r = 0; r < n; r++)
                for (size_t i = 0; i < dim; i++) {
                    const double d = x[r * dim + i] - mean[i];
                    sd[i] += d * d;
                }
            for (size_t i = 0; i < dim; i++)
                sd[i] = std::sqrt(sd[i] / double(n));
            const DimStats s = dim_stats(x.data(), n, dim, true);
            EXPECT_TRUE(same_bits(s.min, mn));
            EXPECT_TRUE(same_bits(s.max, mx));
            EXPECT_TRUE(same_bits(s.mean, mean));
            EXPECT_TRUE(same_bits(s.sd, sd));
            EXPECT_TRUE(same_bits(dim_stats(x.data(), n, dim, false).mean, mean));

            std::vector<float> t(dim);
            for (size_t i = 0; i < dim; i++)
                t[i] = float(mean[i]);
            t[0] = x[0]; /* a value equal to its threshold goes low */
            std::vector<double> hs(dim, 0), ls(dim, 0), hn(dim, 0);
            for (size_t r = 0; r < n; r++)
                for (size_t i = 0; i < dim; i++) {
                    const float v = x[r * dim + i];
                    if (v > t[i]) {
                        hs[i] += v;
                        hn[i] += 1;
                    } else {
                        ls[i] += v;
                    }
                }
            std::vector<double> h(dim, 7), l(dim, 7), c(dim, 7); /* overwritten, not added to */
            side_sums(x.data(), n, dim, t.data(), h.data(), l.data(), c.data());
            EXPECT_TRUE(same_bits(h, hs));
            EXPECT_TRUE(same_bits(l, ls));
            EXPECT_TRUE(same_bits(c, hn));
        }
}

TEST(DimStats, NamesFirstNonFiniteValue) {
    for (size_t dim : {3, 4, 9})
        for (float bad : {std::numeric_limits<float>::quiet_NaN(), INFINITY, -INFINITY}) {
            std::vector<float> x = rows(20, dim, 5);
            x[11 * dim + dim - 1] = bad;
            x[13 * dim] = bad;
            try {
                dim_stats(x.data(), 20, dim, false);
                ADD_FAILURE() << "no error for dim " << dim;
            } catch (const InvalidArgument& e) {
                EXPECT_NE(std::string(e.what()).find("row 11, dimension " + std::to_string(dim - 1)),
                          std::string::npos)
                    << e.what();
            }
        }
}

}  // namespace
}  // namespace vx::quant
