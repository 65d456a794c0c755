// Float k-means through faiss::Clustering, plus the memory and sample rules.
#include "core/ivf/kmeans.h"

#include <algorithm>
#include <cmath>
#include <climits>
#include <limits>
#include <numeric>
#include <random>
#include <string>

#include <faiss/Clustering.h>
#include <faiss/IndexFlat.h>

#include "core/errors.h"
#include "core/ivf/faiss_call.h"
#include "core/simd/distance.h"

namespace vx::ivf {
namespace {

/// Whether a metric trains spherical k-means (unit centroids, max inner product).
bool spherical(Metric m) {
    return m == Metric::cosine || m == Metric::inner_product;
}

/// Scales each of n rows to unit length in place (zero rows stay zero).
void normalize_rows(float* x, size_t n, size_t dim) {
    for (size_t i = 0; i < n; i++) {
        float* r = x + i * dim;
        double s = 0;
        for (size_t j = 0; j < dim; j++)
            s += double(r[j]) * r[j];
        if (s > 0) {
            float inv = float(1.0 / std::sqrt(s));
            for (size_t j = 0; j < dim; j++)
                r[j] *= inv;
        }
    }
}

/// Rejects sizes Faiss cannot take (it counts dims and lists in int).
void check_sizes(size_t dim, size_t lists) {
    if (dim == 0 || dim > INT_MAX)
        throw InvalidArgument("k-means: dimensions must be between 1 and " + std::to_string(INT_MAX) +
                              ", got " + std::to_string(dim));
    if (lists == 0 || lists > INT_MAX)
        throw InvalidArgument("k-means: lists must be between 1 and " + std::to_string(INT_MAX) +
                              ", got " + std::to_string(lists));
}

}  // namespace

// k-means++ seeds from a random subsample (see kmeans.h).
std::vector<float> kmeanspp_seeds(const float* x, size_t n, size_t dim, size_t k, uint64_t seed,
                                  const ProgressFn& progress) {
    std::mt19937_64 rng(seed);
    size_t s = std::min(n, std::max<size_t>(4 * k, 1024));
    std::vector<uint32_t> rows(n);
    std::iota(rows.begin(), rows.end(), 0u);
    for (size_t i = 0; i < s; i++)  // partial Fisher-Yates: rows[0..s) is the subsample
        std::swap(rows[i], rows[i + rng() % (n - i)]);
    const simd::Kernels& kern = simd::active();
    std::vector<float> seeds(k * dim);
    std::vector<double> dmin(s, std::numeric_limits<double>::infinity());
    size_t pick = rng() % s;
    for (size_t c = 0; c < k; c++) {
        if (progress && c % kSeedPollEvery == 0 && !progress())
            throw Cancelled();
        const float* chosen = x + size_t(rows[pick]) * dim;
        std::copy_n(chosen, dim, seeds.data() + c * dim);
        double total = 0;
        for (size_t i = 0; i < s; i++) {
            double d = kern.l2sq_f32(x + size_t(rows[i]) * dim, chosen, dim);
            dmin[i] = std::min(dmin[i], d);
            total += dmin[i];
        }
        // Next seed: drawn with probability proportional to dmin (squared distance).
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
    return seeds;
}

// Faiss k-means (spherical for cosine and inner product).
Centroids train_centroids(const float* sample, size_t n, size_t dim, size_t lists, Metric metric,
                          const TrainParams& params) {
    check_sizes(dim, lists);
    Centroids out;
    out.dim = dim;
    if (n == 0)
        return out;
    bool sph = spherical(metric);
    if (n <= lists) {
        // Too few rows for k-means: each row is a centroid.
        out.lists = n;
        out.data.assign(sample, sample + n * dim);
        if (sph)
            normalize_rows(out.data.data(), n, dim);
        return out;
    }
    const float* x = sample;
    std::vector<float> normalized;
    if (metric == Metric::cosine) {
        normalized.assign(sample, sample + n * dim);
        normalize_rows(normalized.data(), n, dim);
        x = normalized.data();
    }
    faiss::ClusteringParameters cp;
    cp.niter = std::max(1, params.niter);
    cp.seed = params.seed;
    cp.spherical = sph;
    cp.verbose = false;
    cp.min_points_per_centroid = 1;  // no stderr warning for small samples
    cp.max_points_per_centroid = std::max(1, params.max_points_per_centroid);
    faiss::Clustering clus(int(dim), int(lists), cp);
    clus.centroids = kmeanspp_seeds(x, n, dim, lists, uint64_t(params.seed), params.progress);
    if (sph)
        normalize_rows(clus.centroids.data(), lists, dim);
    detail::run_faiss(
        [&] {
            if (sph) {
                faiss::IndexFlatIP index{faiss::Index::idx_t(dim)};
                clus.train(faiss::Index::idx_t(n), x, index);
            } else {
                faiss::IndexFlatL2 index{faiss::Index::idx_t(dim)};
                clus.train(faiss::Index::idx_t(n), x, index);
            }
        },
        params.threads, params.progress, "k-means training");
    out.lists = lists;
    out.data = std::move(clus.centroids);
    return out;
}

// Bytes training allocates besides the sample.
size_t training_memory_bytes(size_t n, size_t dim, size_t lists, Metric metric) {
    size_t b = lists * dim * sizeof(float) * 2;     // centroids + Faiss's copy
    b += n * (sizeof(int64_t) + sizeof(float));     // assignment + distance per row
    b += size_t(4096) * 1024 * sizeof(float);       // Faiss's BLAS distance block
    b += lists * (sizeof(float) + sizeof(int64_t)); // per-centroid sizes
    if (metric == Metric::cosine)
        b += n * dim * sizeof(float);               // the normalized copy
    return b;
}

// Sample size rule: max(50 x lists, 10000), capped by rows, 256 x lists and memory.
size_t recommended_sample_size(size_t rows, size_t dim, size_t lists, Metric metric,
                               size_t budget_bytes) {
    size_t want = std::max<size_t>(50 * lists, 10000);
    want = std::min(want, std::max<size_t>(256 * lists, 1));
    want = std::min(want, rows);
    while (want > 0 && want * dim * sizeof(float) + training_memory_bytes(want, dim, lists, metric) >
                           budget_bytes)
        want = want * 7 / 8;
    return std::max(want, std::min(rows, lists));
}

}  // namespace vx::ivf
