// k-nearest-neighbour search on a built HnswGraph, one-shot or resumable.
//
// Both descend greedily from the entry point to layer 1, then run a
// best-first search of layer 0 with ef candidates (paper alg. 5). The graph
// must not change during a search (the PG side guards pages itself).
#pragma once

#include <cstring>
#include <vector>

#include "core/hnsw/algorithm.h"
#include "core/hnsw/graph.h"
#include "core/hnsw/visited.h"

namespace vx::hnsw {

/// Neighbour lists of an HnswGraph read without locks (graph not changing).
struct GraphNbrs {
    const HnswGraph& g;
    uint32_t operator()(uint32_t id, int level, uint32_t* out) const {
        NeighborList nl = g.neighbors(id, level);
        std::memcpy(out, nl.ids, nl.count * sizeof(uint32_t));
        return nl.count;
    }
};

/// Distance from a prepared query to stored elements of a Space.
template <class Space>
struct QueryDist {
    const Space& sp;
    const void* query;
    float operator()(uint32_t id) const { return sp.distance(query, id); }
    void prefetch(uint32_t id) const { sp.prefetch(id); }
};

/// Buffers one thread reuses across searches (visited set sized to the graph).
struct SearchContext {
    VisitedSet visited;
    SearchScratch s;
};

/// Greedy descent through the upper layers; returns the layer-0 entry.
template <class Space>
Neighbor descend(const HnswGraph& g, const QueryDist<Space>& dist, SearchScratch& s) {
    uint32_t ep = g.entry_point();
    Neighbor cur{dist(ep), ep};
    for (int l = g.max_level(); l > 0; l--)
        cur = greedy_closest(GraphNbrs{g}, dist, l, cur, s);
    return cur;
}

/// The k nearest elements to query (ascending distance), searching with
/// max(ef, k) candidates. Empty for an empty graph.
template <class Space>
std::vector<Neighbor> search(const HnswGraph& g, const Space& sp, const void* query, size_t k,
                             size_t ef, SearchContext& ctx) {
    std::vector<Neighbor> out;
    if (g.entry_point() == kNoNode || k == 0)
        return out;
    ef = ef < k ? k : ef;
    ctx.visited.resize(g.size());
    ctx.visited.clear();
    ctx.s.reserve(ef, g.max_degree(0));
    QueryDist<Space> dist{sp, query};
    Neighbor entry = descend(g, dist, ctx.s);
    search_layer(GraphNbrs{g}, dist, ctx.visited, 0, ef, &entry, 1, ctx.s);
    sort_results(ctx.s);
    size_t n = std::min(k, ctx.s.results.size());
    out.assign(ctx.s.results.begin(), ctx.s.results.begin() + n);
    return out;
}

/// Convenience form that allocates its own context (fine for one-off calls).
template <class Space>
std::vector<Neighbor> search(const HnswGraph& g, const Space& sp, const void* query, size_t k,
                             size_t ef) {
    SearchContext ctx;
    return search(g, sp, query, k, ef, ctx);
}

/// A resumable search for iterative scans: each next() returns up to ef
/// elements not returned before, ascending within the batch. The first batch
/// is exactly what search(k = ef) returns; later batches resume from every
/// element seen but not yet returned (kept with its distance), so repeated
/// calls eventually return every element reachable from the entry point, each
/// once. Across batches the order is only roughly ascending ("relaxed"); a
/// caller wanting strict order keeps its own heap. The query must stay alive.
template <class Space>
class IterativeSearch {
  public:
    IterativeSearch(const HnswGraph& g, const Space& sp, const void* query, size_t ef)
        : g_(g), dist_{sp, query}, ef_(ef < 1 ? 1 : ef), visited_(g.size()) {
        s_.reserve(ef_, g.max_degree(0));
    }

    /// The next batch; empty once every reachable element has been returned.
    const std::vector<Neighbor>& next() {
        batch_.clear();
        if (g_.entry_point() == kNoNode)
            return batch_;
        if (!started_) {
            started_ = true;
            visited_.clear();
            Neighbor entry = descend(g_, dist_, s_);
            search_layer(GraphNbrs{g_}, dist_, visited_, 0, ef_, &entry, 1, s_, &discarded_);
        } else {
            // Resume: candidates left unexpanded last time stay in s_.candidates
            // (already returned, still to expand); the closest unreturned
            // elements seed the new batch.
            if (discarded_.empty() && s_.candidates.empty())
                return batch_;
            s_.results.clear();
            while (!discarded_.empty() && s_.results.size() < ef_) {
                std::pop_heap(discarded_.begin(), discarded_.end(), FartherFirst());
                Neighbor e = discarded_.back();
                discarded_.pop_back();
                s_.candidates.push_back(e);
                std::push_heap(s_.candidates.begin(), s_.candidates.end(), FartherFirst());
                s_.results.push_back(e);
                std::push_heap(s_.results.begin(), s_.results.end());
            }
            search_layer_run(GraphNbrs{g_}, dist_, visited_, 0, ef_, s_, &discarded_);
        }
        sort_results(s_);
        batch_.assign(s_.results.begin(), s_.results.end());
        returned_ += batch_.size();
        return batch_;
    }

    /// Elements returned so far.
    size_t returned() const { return returned_; }
    /// Elements seen but not returned yet (held for later batches).
    size_t pending() const { return discarded_.size(); }

  private:
    const HnswGraph& g_;
    QueryDist<Space> dist_;
    size_t ef_;
    VisitedSet visited_;
    SearchScratch s_;
    std::vector<Neighbor> discarded_;  ///< FartherFirst min-heap
    std::vector<Neighbor> batch_;
    size_t returned_ = 0;
    bool started_ = false;
};

}  // namespace vx::hnsw
