// Nearest-centroid assignment (build, many rows, worker threads) and probe
// selection (scan, one query, SIMD kernels from core/simd).
//
// The rule is the one training used (kmeans.h): l2 and l1 take the smallest
// squared L2 distance, cosine and inner_product the largest x . c against
// unit centroids (for cosine, argmax x.c equals argmax cos(x, c), so rows need
// not be normalized). Bits take the smallest Hamming distance. Ties go to the
// lower list number.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/ivf/kmeans.h"

namespace vx::ivf {

/// Writes to out[i] the list of row i for n rows of dim floats. Runs on
/// `threads` std::threads (signals blocked) joined before returning; polls
/// progress on the calling thread (false: vx::Cancelled).
void assign(const float* x, size_t n, const float* centroids, size_t lists, size_t dim, Metric metric,
            uint32_t* out, int threads, const ProgressFn& progress = {});

/// assign() for bit rows of nbytes bytes.
void assign_binary(const uint8_t* bits, size_t n, const uint8_t* centroids, size_t lists,
                   size_t nbytes, uint32_t* out, int threads, const ProgressFn& progress = {});

/// The min(nprobe, lists) lists nearest to query, nearest first, in out (and
/// their distances under the rule above, negated dot for cosine/ip, in
/// out_dist when not null). Returns the count written. No threads.
size_t nearest_lists(const float* query, const float* centroids, size_t lists, size_t dim,
                     Metric metric, size_t nprobe, uint32_t* out, float* out_dist = nullptr);

/// nearest_lists() for a bit query (Hamming distance).
size_t nearest_binary_lists(const uint8_t* query, const uint8_t* centroids, size_t lists,
                            size_t nbytes, size_t nprobe, uint32_t* out, float* out_dist = nullptr);

}  // namespace vx::ivf
