// k-means for IVF lists: Faiss k-means for float vectors, our own binary
// k-means (popcount) for bit vectors, and the memory/sample-size rules the
// caller uses to stay within maintenance_work_mem.
//
// Metrics and the rule each trains with (assignment and probing use the same):
//   l2, l1         Euclidean k-means (faiss::Clustering + IndexFlatL2). L1
//                  lists are L2 Voronoi cells: the centroids are L2 means.
//   cosine         spherical k-means on a normalized copy of the sample
//                  (IndexFlatIP, unit centroids); a row goes to argmax x.c.
//   inner_product  spherical k-means on the rows as given (unit centroids,
//                  argmax x.c), so long rows are not all drawn to one list.
//
// Sample size (recommended_sample_size): max(50 x lists, 10000) rows, capped by
// the table size, by 256 x lists (Faiss would subsample beyond that anyway)
// and by the memory budget (training_memory_bytes). 50 points per centroid
// is above Faiss's 39-point warning threshold and gives stable centroids.
//
// Seeding: k-means++ (D^2 sampling) over a random subsample of
// max(4 x lists, 1024) rows, then Faiss's Lloyd iterations. Faiss's own random
// seeding put two seeds in one cluster and none in another often enough to
// merge a quarter of well-separated clusters in tests; k-means++ on the
// subsample costs about a third of one iteration.
//
// lists > n: the result has min(lists, n) centroids; when n <= lists every
// sample row becomes a centroid (normalized for cosine/ip), no k-means runs.
// n == 0 returns no centroids: the caller builds an empty index (for example
// one list whose centroid is filled in later). Callers store the returned count.
//
// Threads: Faiss uses OpenMP (and OpenBLAS for its distance blocks). Training
// runs on a fresh std::thread created and joined inside the call, with every
// signal blocked, so the OpenMP team lives and dies with the call (libgomp
// frees a thread's pool when that thread exits), the calling thread's OpenMP
// settings are untouched, and nothing runs at library load. The calling
// thread only waits and polls `progress`; returning false stops the training
// within one Faiss block (vx::Cancelled; PQ training only stops between
// sub-quantizers' iterations, where Faiss checks). OpenBLAS is held to one
// thread during the call (restored after): OpenMP already uses `threads`, and
// the two pools fighting made training up to 2.5x slower. Note: Debian's
// pthread OpenBLAS starts one idle thread when libopenblas is loaded; that is
// the link's doing, not this code's. faiss::InterruptCallback is process
// global, so two trainings must not run at once in one process (a PostgreSQL
// backend runs one).
//
// Errors: bad arguments throw vx::InvalidArgument; a Faiss failure is rethrown
// as std::runtime_error("k-means training failed: ..."); std::bad_alloc as is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace vx::ivf {

/// The distance an IVF index orders by (bit vectors use the binary functions).
enum class Metric : uint8_t { l2 = 0, inner_product = 1, cosine = 2, l1 = 3 };

/// Called on the calling thread about every 20 ms; returning false cancels.
using ProgressFn = std::function<bool()>;

struct TrainParams {
    int niter = 10;                      ///< Lloyd iterations
    int seed = 1234;                     ///< fixed: builds are reproducible
    int max_points_per_centroid = 256;   ///< Faiss subsamples above lists x this
    int threads = 1;                     ///< OpenMP / worker threads for the call
    ProgressFn progress;                 ///< may be empty
};

/// Float centroids, lists x dim row-major; `lists` is the count actually trained.
struct Centroids {
    size_t lists = 0;
    size_t dim = 0;
    std::vector<float> data;
};

/// Trains min(lists, n) centroids on n sample rows of dim floats (see above).
Centroids train_centroids(const float* sample, size_t n, size_t dim, size_t lists, Metric metric,
                          const TrainParams& params);

/// Bit centroids, lists x nbytes; bit i of a centroid is set when at least half
/// of its rows have bit i set.
struct BinaryCentroids {
    size_t lists = 0;
    size_t nbytes = 0;
    std::vector<uint8_t> data;
};

/// Binary k-means under Hamming distance (our own, not Faiss: assignment by
/// popcount kernels, k-means++ seeds, per-bit majority update, an empty list takes a
/// random row of the largest one). Same lists > n / n == 0 rules as above.
BinaryCentroids train_binary_centroids(const uint8_t* bits, size_t n, size_t nbytes, size_t lists,
                                       const TrainParams& params);

/// k-means++ seeds (k x dim) from a subsample of n rows; used by both k-means.
/// Runs on the calling thread (k x 4k distances: seconds at thousands of
/// lists), so it polls `progress` every few seeds; false throws vx::Cancelled.
std::vector<float> kmeanspp_seeds(const float* x, size_t n, size_t dim, size_t k, uint64_t seed,
                                  const ProgressFn& progress = {});

/// Every this many seeds the seeding polls `progress` (about 1 ms of work at
/// 4000 x 1536 floats per seed).
constexpr size_t kSeedPollEvery = 8;

/// Upper bound of the bytes training allocates besides the caller's sample
/// (which the caller counts itself: n x dim x 4): a normalized copy for cosine,
/// Faiss's assignment buffers, its distance block, and the centroids.
size_t training_memory_bytes(size_t n, size_t dim, size_t lists, Metric metric);

/// Rows to sample for training (see the rule at the top), so that the sample
/// (n x dim x 4) plus training_memory_bytes fits in budget_bytes (at least
/// min(rows, lists) rows are returned, so tiny budgets still train).
size_t recommended_sample_size(size_t rows, size_t dim, size_t lists, Metric metric,
                               size_t budget_bytes);

}  // namespace vx::ivf
