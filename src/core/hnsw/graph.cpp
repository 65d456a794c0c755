// HnswGraph storage: levels, flat neighbour slots, memory estimate.
#include "core/hnsw/graph.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "core/errors.h"
#include "core/hnsw/visited.h"

namespace vx::hnsw {
namespace {

// splitmix64: a well-mixed 64-bit hash, so levels need no shared RNG state.
uint64_t mix64(uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

}  // namespace

// Checks m and sets the per-layer strides.
HnswGraph::HnswGraph(int m, uint64_t seed)
    : m_(m), seed_(seed), level_mult_(0), l0_stride_(0), up_stride_(0) {
    if (m < 2 || m > 100)
        throw InvalidArgument("hnsw m must be between 2 and 100, got " + std::to_string(m));
    level_mult_ = 1.0 / std::log(double(m));
    l0_stride_ = 1 + 2 * size_t(m);
    up_stride_ = 1 + size_t(m);
}

// Level from a hash of (seed, id): deterministic whatever the thread order.
int HnswGraph::random_level(uint32_t id) const {
    uint64_t h = mix64(seed_ ^ mix64(id));
    double u = (double((h >> 11) + 1)) * (1.0 / 9007199254740992.0);  // (0, 1]
    double l = -std::log(u) * level_mult_;
    return l >= kMaxLevel ? kMaxLevel : int(l);
}

// Appends one node; its slots start empty (count 0).
uint32_t HnswGraph::add_node(int level) {
    if (level < 0 || level > kMaxLevel)
        throw InvalidArgument("hnsw level out of range: " + std::to_string(level));
    if (levels_.size() >= size_t(kNoNode))
        throw LimitError("hnsw graph cannot hold more than 4294967294 nodes");
    size_t first_upper = upper_.size() / up_stride_;
    if (first_upper + size_t(level) > UINT32_MAX)
        throw LimitError("hnsw graph upper layers too large");
    uint32_t id = uint32_t(levels_.size());
    levels_.push_back(uint8_t(level));
    upper_start_.push_back(uint32_t(first_upper));
    layer0_.resize(layer0_.size() + l0_stride_, 0);
    upper_.resize(upper_.size() + size_t(level) * up_stride_, 0);
    return id;
}

// Reserves all arrays for n nodes, counting upper slots from random_level().
void HnswGraph::reserve(size_t n) {
    size_t upper_slots = upper_.size() / up_stride_;
    for (size_t i = levels_.size(); i < n; i++)
        upper_slots += size_t(random_level(uint32_t(i)));
    levels_.reserve(n);
    upper_start_.reserve(n);
    layer0_.reserve(n * l0_stride_);
    upper_.reserve(upper_slots * up_stride_);
}

// Copies ids into the node's slot for one layer.
void HnswGraph::set_neighbors(uint32_t id, int level, const uint32_t* ids, uint32_t count) {
    if (count > max_degree(level))
        throw InvalidArgument("hnsw neighbour list longer than the layer allows");
    uint32_t* s = mutable_slot(id, level);
    std::memcpy(s + 1, ids, count * sizeof(uint32_t));
    s[0] = count;
}

// Sum of the capacity of every array.
size_t HnswGraph::memory_bytes() const {
    return levels_.capacity() + upper_start_.capacity() * 4 + layer0_.capacity() * 4 +
           upper_.capacity() * 4;
}

// Codes + layer 0 + expected upper layers (n / (m - 1) slots) + per-node
// build state + per-thread visited sets and heaps.
size_t estimate_bytes(size_t n, size_t dim, size_t code_size, int m, int n_threads) {
    size_t mm = size_t(std::max(m, 2));
    size_t layer0 = n * (1 + 2 * mm) * 4;
    size_t upper = (n / (mm - 1) + 1) * (1 + mm) * 4;
    size_t per_node = 1 /*level*/ + 4 /*upper start*/ + 1 /*lock*/ + 4 /*in-degree*/;
    size_t scratch = size_t(std::max(n_threads, 1)) * (n * sizeof(VisitedSet::Tag) + dim * 4 + 65536);
    return n * code_size + layer0 + upper + n * per_node + scratch;
}

}  // namespace vx::hnsw
