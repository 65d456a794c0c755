// Binary k-means (Hamming): our own rather than Faiss's float k-means on
// expanded bits, which would need 32x the memory and an L2 search over
// thousands of float dimensions. Each iteration assigns rows with the popcount
// kernels (assign_binary) and sets each centroid bit by majority of its rows.
// Seeds: k-means++ on a subsample, as for float k-means (kmeans.h).
#include <algorithm>
#include <limits>
#include <numeric>
#include <random>
#include <string>

#include "core/errors.h"
#include "core/ivf/assign.h"
#include "core/ivf/kmeans.h"
#include "core/simd/distance.h"

namespace vx::ivf {
namespace {

/// Centroid of rows idx[0..m): bit set when at least half the rows have it.
void majority(const uint8_t* bits, size_t nbytes, const uint32_t* idx, size_t m, uint32_t* count,
              uint8_t* centroid) {
    std::fill(count, count + nbytes * 8, 0u);
    for (size_t r = 0; r < m; r++) {
        const uint8_t* row = bits + size_t(idx[r]) * nbytes;
        for (size_t b = 0; b < nbytes; b++)
            for (int t = 0; t < 8; t++)
                count[b * 8 + t] += (row[b] >> t) & 1u;
    }
    for (size_t b = 0; b < nbytes; b++) {
        uint8_t v = 0;
        for (int t = 0; t < 8; t++)
            if (2 * size_t(count[b * 8 + t]) >= m)
                v |= uint8_t(1u << t);
        centroid[b] = v;
    }
}

/// k-means++ seeds over the first min(m, max(4k, 1024)) rows of the shuffled
/// sample (same rule as the float kmeanspp_seeds, Hamming distance).
void binary_seeds(const uint8_t* x, size_t m, size_t nbytes, size_t k, std::mt19937_64& rng,
                  uint8_t* seeds, const ProgressFn& progress) {
    const simd::Kernels& kern = simd::active();
    size_t s = std::min(m, std::max<size_t>(4 * k, 1024));
    std::vector<double> dmin(s, std::numeric_limits<double>::infinity());
    size_t pick = rng() % s;
    for (size_t c = 0; c < k; c++) {
        if (progress && c % kSeedPollEvery == 0 && !progress())
            throw Cancelled();  // on the calling thread, as kmeanspp_seeds
        const uint8_t* chosen = x + pick * nbytes;
        std::copy_n(chosen, nbytes, seeds + c * nbytes);
        double total = 0;
        for (size_t i = 0; i < s; i++) {
            double d = double(kern.hamming(x + i * nbytes, chosen, nbytes));
            dmin[i] = std::min(dmin[i], d * d);
            total += dmin[i];
        }
        double r = std::uniform_real_distribution<double>(0, total)(rng);
        pick = rng() % s;
        for (size_t i = 0; i < s && total > 0; i++) {
            r -= dmin[i];
            if (r <= 0 && dmin[i] > 0) {
                pick = i;
                break;
            }
        }
    }
}

}  // namespace

// Binary k-means with majority-vote centroids.
BinaryCentroids train_binary_centroids(const uint8_t* bits, size_t n, size_t nbytes, size_t lists,
                                       const TrainParams& params) {
    if (nbytes == 0)
        throw InvalidArgument("binary k-means: bit vectors must have at least one byte");
    if (lists == 0 || lists > UINT32_MAX)
        throw InvalidArgument("binary k-means: lists must be between 1 and " +
                              std::to_string(UINT32_MAX) + ", got " + std::to_string(lists));
    BinaryCentroids out;
    out.nbytes = nbytes;
    if (n == 0)
        return out;
    if (n <= lists) {
        out.lists = n;
        out.data.assign(bits, bits + n * nbytes);
        return out;
    }
    std::mt19937_64 rng(uint64_t(params.seed));
    // Subsample like Faiss: at most lists x max_points_per_centroid rows.
    size_t cap = lists * size_t(std::max(1, params.max_points_per_centroid));
    std::vector<uint32_t> rows(n);
    std::iota(rows.begin(), rows.end(), 0u);
    std::shuffle(rows.begin(), rows.end(), rng);
    size_t m = std::min(n, cap);
    std::vector<uint8_t> x(m * nbytes);
    for (size_t i = 0; i < m; i++)
        std::copy_n(bits + size_t(rows[i]) * nbytes, nbytes, x.data() + i * nbytes);
    out.lists = lists;
    out.data.resize(lists * nbytes);
    binary_seeds(x.data(), m, nbytes, lists, rng, out.data.data(), params.progress);

    std::vector<uint32_t> assigned(m), prev(m, UINT32_MAX), order(m), start(lists + 1);
    std::vector<uint32_t> count(nbytes * 8);
    for (int it = 0; it < std::max(1, params.niter); it++) {
        assign_binary(x.data(), m, out.data.data(), lists, nbytes, assigned.data(), params.threads,
                      params.progress);
        if (assigned == prev)
            break;
        prev = assigned;
        // Group rows by list (counting sort), then recompute each centroid.
        std::fill(start.begin(), start.end(), 0u);
        for (uint32_t a : assigned)
            start[a + 1]++;
        std::partial_sum(start.begin(), start.end(), start.begin());
        std::vector<uint32_t> pos(start.begin(), start.end() - 1);
        for (size_t i = 0; i < m; i++)
            order[pos[assigned[i]]++] = uint32_t(i);
        size_t largest = 0;
        for (size_t c = 0; c < lists; c++)
            if (start[c + 1] - start[c] > start[largest + 1] - start[largest])
                largest = c;
        for (size_t c = 0; c < lists; c++) {
            size_t sz = start[c + 1] - start[c];
            uint8_t* cen = out.data.data() + c * nbytes;
            if (sz > 0) {
                majority(x.data(), nbytes, order.data() + start[c], sz, count.data(), cen);
            } else {
                // Empty list: restart it at a random row of the largest list.
                size_t sz_l = start[largest + 1] - start[largest];
                uint32_t r = order[start[largest] + rng() % sz_l];
                std::copy_n(x.data() + size_t(r) * nbytes, nbytes, cen);
            }
        }
    }
    return out;
}

}  // namespace vx::ivf
