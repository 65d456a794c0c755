// Assignment: rows are cut into blocks handed to worker threads; each row is
// compared with every centroid through the active SIMD table. For l2 the
// per-row constant |x|^2 is dropped: d = |c|^2 - 2 x.c, one dot per pair.
#include "core/ivf/assign.h"

#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

#include "core/hnsw/parallel.h"
#include "core/ivf/faiss_call.h"
#include "core/simd/distance.h"

namespace vx::ivf {
namespace {

constexpr size_t kBlock = 256;  ///< rows per work item

/// Squared norms of the centroids (l2 only; empty otherwise).
std::vector<float> centroid_norms(const simd::Kernels& k, const float* c, size_t lists, size_t dim,
                                  Metric metric) {
    std::vector<float> norms;
    if (metric == Metric::l2 || metric == Metric::l1) {
        norms.resize(lists);
        for (size_t j = 0; j < lists; j++)
            norms[j] = k.dot_f32(c + j * dim, c + j * dim, dim);
    }
    return norms;
}

/// Runs rows [0, n) in blocks on worker threads.
template <typename Fn>
void for_blocks(size_t n, int threads, const ProgressFn& progress, Fn&& fn) {
    size_t blocks = (n + kBlock - 1) / kBlock;
    threads = std::max(1, std::min<int>(threads, int(std::max<size_t>(blocks, 1))));
    hnsw::parallel_for_with_progress(
        blocks, threads,
        [&](int, size_t b) {
            // Cheap (one syscall per 256 rows); keeps signals on the caller's thread.
            detail::block_signals_in_this_thread();
            size_t lo = b * kBlock, hi = std::min(n, lo + kBlock);
            fn(lo, hi);
        },
        [&](size_t) { return !progress || progress(); });
}

}  // namespace

// Nearest centroid of every row, on worker threads.
void assign(const float* x, size_t n, const float* centroids, size_t lists, size_t dim, Metric metric,
            uint32_t* out, int threads, const ProgressFn& progress) {
    if (n == 0 || lists == 0)
        return;
    const simd::Kernels& k = simd::active();
    std::vector<float> norms = centroid_norms(k, centroids, lists, dim, metric);
    bool l2 = !norms.empty();
    for_blocks(n, threads, progress, [&](size_t lo, size_t hi) {
        for (size_t i = lo; i < hi; i++) {
            const float* r = x + i * dim;
            float best = std::numeric_limits<float>::infinity();
            uint32_t arg = 0;
            for (size_t j = 0; j < lists; j++) {
                float dot = k.dot_f32(r, centroids + j * dim, dim);
                float d = l2 ? norms[j] - 2 * dot : -dot;
                if (d < best) {
                    best = d;
                    arg = uint32_t(j);
                }
            }
            out[i] = arg;
        }
    });
}

// Nearest bit centroid of every row, on worker threads.
void assign_binary(const uint8_t* bits, size_t n, const uint8_t* centroids, size_t lists,
                   size_t nbytes, uint32_t* out, int threads, const ProgressFn& progress) {
    if (n == 0 || lists == 0)
        return;
    const simd::Kernels& k = simd::active();
    for_blocks(n, threads, progress, [&](size_t lo, size_t hi) {
        for (size_t i = lo; i < hi; i++) {
            const uint8_t* r = bits + i * nbytes;
            uint64_t best = std::numeric_limits<uint64_t>::max();
            uint32_t arg = 0;
            for (size_t j = 0; j < lists; j++) {
                uint64_t d = k.hamming(r, centroids + j * nbytes, nbytes);
                if (d < best) {
                    best = d;
                    arg = uint32_t(j);
                }
            }
            out[i] = arg;
        }
    });
}

namespace {

/// Keeps the nprobe smallest (distance, list) pairs, sorted, into out.
size_t select_nearest(std::vector<std::pair<float, uint32_t>>& d, size_t nprobe, uint32_t* out,
                      float* out_dist) {
    size_t m = std::min(nprobe, d.size());
    std::partial_sort(d.begin(), d.begin() + m, d.end());
    for (size_t i = 0; i < m; i++) {
        out[i] = d[i].second;
        if (out_dist)
            out_dist[i] = d[i].first;
    }
    return m;
}

}  // namespace

// The nprobe nearest float centroids, nearest first.
size_t nearest_lists(const float* query, const float* centroids, size_t lists, size_t dim,
                     Metric metric, size_t nprobe, uint32_t* out, float* out_dist) {
    const simd::Kernels& k = simd::active();
    std::vector<std::pair<float, uint32_t>> d(lists);
    bool l2 = metric == Metric::l2 || metric == Metric::l1;
    for (size_t j = 0; j < lists; j++) {
        const float* c = centroids + j * dim;
        d[j] = {l2 ? k.l2sq_f32(query, c, dim) : -k.dot_f32(query, c, dim), uint32_t(j)};
    }
    return select_nearest(d, nprobe, out, out_dist);
}

// The nprobe nearest bit centroids, nearest first.
size_t nearest_binary_lists(const uint8_t* query, const uint8_t* centroids, size_t lists,
                            size_t nbytes, size_t nprobe, uint32_t* out, float* out_dist) {
    const simd::Kernels& k = simd::active();
    std::vector<std::pair<float, uint32_t>> d(lists);
    for (size_t j = 0; j < lists; j++)
        d[j] = {float(k.hamming(query, centroids + j * nbytes, nbytes)), uint32_t(j)};
    return select_nearest(d, nprobe, out, out_dist);
}

}  // namespace vx::ivf
