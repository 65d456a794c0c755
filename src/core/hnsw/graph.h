// The HNSW graph itself: per-node level and neighbour lists in flat arrays.
//
// Layout (no per-node heap allocation):
//   layer 0:  one slot of (1 + 2m) uint32 per node: [count, id0, id1, ...]
//   layers>0: one slot of (1 + m) uint32 per node and upper level, in one
//             array; upper_start_[i] is the first slot of node i (its level 1).
// Node ids are dense 0..size()-1 and equal the element ids of the Space.
//
// The graph is not synchronized; the builder guards lists with its own locks.
// Once built, it can be read from many threads and written out to pages with
// level(), neighbors(), entry_point() and max_level().
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace vx::hnsw {

constexpr uint32_t kNoNode = UINT32_MAX;
constexpr int kMaxLevel = 31;

/// A neighbour list as stored: `count` ids starting at `ids`.
struct NeighborList {
    const uint32_t* ids;
    uint32_t count;
};

class HnswGraph {
  public:
    /// m: neighbours per node on upper layers (layer 0 holds 2m), 2..100.
    /// seed: makes the level of every node a pure function of (seed, id).
    explicit HnswGraph(int m, uint64_t seed = 42);

    int m() const { return m_; }
    /// Largest number of neighbours a node may hold on this layer.
    uint32_t max_degree(int level) const { return level == 0 ? uint32_t(2 * m_) : uint32_t(m_); }
    size_t size() const { return levels_.size(); }
    int level(uint32_t id) const { return levels_[id]; }
    uint32_t entry_point() const { return entry_point_; }
    /// Level of the entry point; -1 for an empty graph.
    int max_level() const { return max_level_; }
    void set_entry_point(uint32_t id, int level) {
        entry_point_ = id;
        max_level_ = level;
    }

    /// The level a node with this id gets: floor(-ln(u) / ln(m)), u uniform from (seed, id).
    int random_level(uint32_t id) const;

    /// Appends a node with the given level and no neighbours; returns its id.
    uint32_t add_node(int level);
    /// Reserves room for n nodes in total, assuming random_level() for the upper layers.
    void reserve(size_t n);

    NeighborList neighbors(uint32_t id, int level) const {
        const uint32_t* s = slot(id, level);
        return {s + 1, s[0]};
    }
    /// Replaces a node's list on one layer (count <= max_degree(level)).
    void set_neighbors(uint32_t id, int level, const uint32_t* ids, uint32_t count);
    /// Raw slot [count, ids...] for in-place edits by the builder.
    uint32_t* mutable_slot(uint32_t id, int level) { return const_cast<uint32_t*>(slot(id, level)); }

    /// Bytes held by the graph's arrays.
    size_t memory_bytes() const;

  private:
    const uint32_t* slot(uint32_t id, int level) const {
        if (level == 0)
            return &layer0_[size_t(id) * l0_stride_];
        return &upper_[(size_t(upper_start_[id]) + size_t(level - 1)) * up_stride_];
    }

    int m_;
    uint64_t seed_;
    double level_mult_;   ///< 1 / ln(m)
    size_t l0_stride_;    ///< 1 + 2m
    size_t up_stride_;    ///< 1 + m
    std::vector<uint8_t> levels_;
    std::vector<uint32_t> upper_start_;  ///< first upper slot of each node
    std::vector<uint32_t> layer0_;
    std::vector<uint32_t> upper_;
    uint32_t entry_point_ = kNoNode;
    int max_level_ = -1;
};

/// Bytes a build of n elements needs: codes, graph, locks and per-thread
/// search scratch, so the caller can compare with its memory budget.
size_t estimate_bytes(size_t n, size_t dim, size_t code_size, int m, int n_threads = 1);

}  // namespace vx::hnsw
