// The HNSW building blocks as templates over accessors, so the same algorithm
// runs on the in-memory graph (builder.h, search.h) and on page-resident
// graphs (src/pg/hnsw), where ids may be mapped from TIDs.
//
// Accessor concepts:
//   Nbrs:    uint32_t operator()(uint32_t id, int level, uint32_t* out) const
//            copies the node's neighbour ids on `level` to out (room for the
//            layer's max degree) and returns how many.
//   Dist:    float operator()(uint32_t id) const     distance query -> id
//            void prefetch(uint32_t id) const         cache hint (may do nothing)
//   Visited: bool insert(uint32_t id)                 true when id is new
//   PairDist: float operator()(uint32_t a, uint32_t b) const
//
// Search follows the HNSW paper (Malkov & Yashunin, alg. 2 and 4): a best-first
// walk that keeps the ef closest found so far and stops when the next
// candidate is farther than all of them.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace vx::hnsw {

/// An element and its distance to the current query (or base element).
struct Neighbor {
    float dist;
    uint32_t id;
};
inline bool operator<(const Neighbor& a, const Neighbor& b) {
    return a.dist < b.dist || (a.dist == b.dist && a.id < b.id);
}
/// Heap order for a min-heap with std::push_heap / pop_heap.
struct FartherFirst {
    bool operator()(const Neighbor& a, const Neighbor& b) const { return b < a; }
};

/// Buffers one search reuses, so the hot path allocates nothing once warm.
struct SearchScratch {
    std::vector<Neighbor> candidates;  ///< min-heap: closest unexpanded first
    std::vector<Neighbor> results;     ///< max-heap: farthest kept first
    std::vector<uint32_t> links;       ///< neighbour ids of the node expanded
    std::vector<uint32_t> fresh;       ///< unvisited ones among them
    std::vector<Neighbor> selected;    ///< output of select_neighbors
    void reserve(size_t ef, uint32_t max_degree) {
        candidates.reserve(ef * 2 + max_degree);
        results.reserve(ef + 1);
        links.resize(max_degree + 1);
        fresh.resize(max_degree + 1);
        selected.reserve(max_degree + 1);
    }
};

/// Greedy walk on one layer: moves to any closer neighbour until none is closer (ef = 1).
template <class Nbrs, class Dist>
Neighbor greedy_closest(const Nbrs& nbrs, const Dist& dist, int level, Neighbor cur,
                        SearchScratch& s) {
    for (bool moved = true; moved;) {
        moved = false;
        uint32_t n = nbrs(cur.id, level, s.links.data());
        for (uint32_t j = 0; j < n; j++) {
            if (j + 1 < n)
                dist.prefetch(s.links[j + 1]);
            float d = dist(s.links[j]);
            if (d < cur.dist) {
                cur = {d, s.links[j]};
                moved = true;
            }
        }
    }
    return cur;
}

/// Best-first search of one layer from `entries` (already in `visited` or not).
/// Leaves the ef closest found in s.results as a max-heap (use sorted_results()).
/// When `discarded` is given (iterative scans), every visited element that is
/// not kept in s.results is pushed to it as a FartherFirst min-heap, so a later
/// call can resume from them.
template <class Nbrs, class Dist, class Visited>
void search_layer(const Nbrs& nbrs, const Dist& dist, Visited& visited, int level, size_t ef,
                  const Neighbor* entries, size_t n_entries, SearchScratch& s,
                  std::vector<Neighbor>* discarded = nullptr) {
    auto& cand = s.candidates;
    auto& res = s.results;
    cand.clear();
    res.clear();
    for (size_t i = 0; i < n_entries; i++) {
        visited.insert(entries[i].id);
        cand.push_back(entries[i]);
        std::push_heap(cand.begin(), cand.end(), FartherFirst());
        res.push_back(entries[i]);
        std::push_heap(res.begin(), res.end());
        if (res.size() > ef) {
            if (discarded) {
                discarded->push_back(res.front());
                std::push_heap(discarded->begin(), discarded->end(), FartherFirst());
            }
            std::pop_heap(res.begin(), res.end());
            res.pop_back();
        }
    }
    while (!cand.empty()) {
        Neighbor c = cand.front();
        if (res.size() >= ef && c.dist > res.front().dist)
            break;
        std::pop_heap(cand.begin(), cand.end(), FartherFirst());
        cand.pop_back();

        uint32_t n = nbrs(c.id, level, s.links.data());
        uint32_t nf = 0;
        for (uint32_t j = 0; j < n; j++) {
            uint32_t id = s.links[j];
            if (visited.insert(id))
                s.fresh[nf++] = id;
        }
        if (nf)
            dist.prefetch(s.fresh[0]);
        for (uint32_t j = 0; j < nf; j++) {
            if (j + 1 < nf)
                dist.prefetch(s.fresh[j + 1]);
            Neighbor e{dist(s.fresh[j]), s.fresh[j]};
            if (res.size() < ef || e.dist < res.front().dist) {
                cand.push_back(e);
                std::push_heap(cand.begin(), cand.end(), FartherFirst());
                res.push_back(e);
                std::push_heap(res.begin(), res.end());
                if (res.size() > ef) {
                    if (discarded) {
                        discarded->push_back(res.front());
                        std::push_heap(discarded->begin(), discarded->end(), FartherFirst());
                    }
                    std::pop_heap(res.begin(), res.end());
                    res.pop_back();
                }
            } else if (discarded) {
                discarded->push_back(e);
                std::push_heap(discarded->begin(), discarded->end(), FartherFirst());
            }
        }
    }
}

/// Turns s.results (a max-heap) into a list sorted by ascending distance.
inline void sort_results(SearchScratch& s) { std::sort_heap(s.results.begin(), s.results.end()); }

/// Orders candidates by distance to `owner`; exact ties (duplicates) get a
/// pseudo-random order that depends on the owner, so that many identical
/// vectors end up in a random, well connected subgraph rather than all
/// pointing at the same few nodes.
inline void sort_candidates(uint32_t owner, std::vector<Neighbor>& c) {
    auto key = [owner](uint32_t id) {
        uint64_t x = (uint64_t(owner) << 32 | id) * 0x9e3779b97f4a7c15ULL;
        return x ^ (x >> 29);
    };
    std::sort(c.begin(), c.end(), [&](const Neighbor& a, const Neighbor& b) {
        if (a.dist != b.dist)
            return a.dist < b.dist;
        return key(a.id) < key(b.id);
    });
}

/// The neighbour selection heuristic (paper alg. 4, no extension): walks the
/// candidates in ascending distance to the base element and keeps one unless an
/// already kept neighbour is strictly closer to it than the base is, which
/// favours neighbours in different directions. Equal distances do not prune,
/// so duplicates of the base stay linked. `sorted` must be ascending
/// (sort_candidates); the kept ones go to `out` (at most max_count).
template <class PairDist>
void select_neighbors(const std::vector<Neighbor>& sorted, size_t max_count,
                      const PairDist& pair_dist, std::vector<Neighbor>& out) {
    out.clear();
    for (const Neighbor& c : sorted) {
        if (out.size() >= max_count)
            break;
        bool keep = true;
        for (const Neighbor& r : out) {
            if (pair_dist(c.id, r.id) < c.dist) {
                keep = false;
                break;
            }
        }
        if (keep)
            out.push_back(c);
    }
}

}  // namespace vx::hnsw
