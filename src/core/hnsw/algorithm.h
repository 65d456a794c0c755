// The HNSW building blocks as templates over accessors, so the same algorithm
// runs on the in-memory graph (builder.h, search.h) and on page-resident
// graphs (src/pg/hnsw), where ids may be mapped from TIDs.
//
// Accessor concepts (Id: uint32_t in memory, any integer for page graphs):
//   Nbrs:    uint32_t operator()(Id id, int level, Id* out) const
//            copies the node's neighbour ids on `level` to out (room for the
//            layer's max degree) and returns how many.
//   Dist:    float operator()(Id id) const       distance query -> id
//            void prefetch(Id id) const           cache hint (may do nothing)
//   Visited: bool insert(Id id)                   true when id is new
//   PairDist: float operator()(Id a, Id b) const
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
/// Id is uint32_t for the in-memory graph; page-resident graphs may use a
/// wider id (e.g. a packed block/offset).
template <class Id>
struct BasicNeighbor {
    float dist;
    Id id;
};
template <class Id>
inline bool operator<(const BasicNeighbor<Id>& a, const BasicNeighbor<Id>& b) {
    return a.dist < b.dist || (a.dist == b.dist && a.id < b.id);
}
using Neighbor = BasicNeighbor<uint32_t>;

/// Heap order for a min-heap with std::push_heap / pop_heap.
struct FartherFirst {
    template <class Id>
    bool operator()(const BasicNeighbor<Id>& a, const BasicNeighbor<Id>& b) const {
        return b < a;
    }
};

/// Buffers one search reuses, so the hot path allocates nothing once warm.
template <class Id>
struct BasicSearchScratch {
    using N = BasicNeighbor<Id>;
    std::vector<N> candidates;  ///< min-heap: closest unexpanded first
    std::vector<N> results;     ///< max-heap: farthest kept first
    std::vector<Id> links;      ///< neighbour ids of the node expanded
    std::vector<Id> fresh;      ///< unvisited ones among them
    std::vector<N> selected;    ///< output of select_neighbors
    void reserve(size_t ef, uint32_t max_degree) {
        candidates.reserve(ef * 2 + max_degree);
        results.reserve(ef + 1);
        links.resize(max_degree + 1);
        fresh.resize(max_degree + 1);
        selected.reserve(max_degree + 1);
    }
};
using SearchScratch = BasicSearchScratch<uint32_t>;

/// Greedy walk on one layer: moves to any closer neighbour until none is closer (ef = 1).
template <class Nbrs, class Dist, class Id>
BasicNeighbor<Id> greedy_closest(const Nbrs& nbrs, const Dist& dist, int level,
                                 BasicNeighbor<Id> cur, BasicSearchScratch<Id>& s) {
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

/// Keeps e among the ef closest in s.results; what falls out goes to discarded.
template <class Id>
void keep_closest(BasicSearchScratch<Id>& s, size_t ef, const BasicNeighbor<Id>& e,
                  std::vector<BasicNeighbor<Id>>* discarded) {
    auto& res = s.results;
    res.push_back(e);
    std::push_heap(res.begin(), res.end());
    if (res.size() <= ef)
        return;
    if (discarded) {
        discarded->push_back(res.front());
        std::push_heap(discarded->begin(), discarded->end(), FartherFirst());
    }
    std::pop_heap(res.begin(), res.end());
    res.pop_back();
}

/// The best-first loop of search_layer over whatever s.candidates and
/// s.results hold; stops when the closest candidate is farther than the ef
/// closest found (candidates left unexpanded stay in s.candidates, so an
/// iterative scan can resume from them).
template <class Nbrs, class Dist, class Visited, class Id>
void search_layer_run(const Nbrs& nbrs, const Dist& dist, Visited& visited, int level, size_t ef,
                      BasicSearchScratch<Id>& s,
                      std::vector<BasicNeighbor<Id>>* discarded = nullptr) {
    auto& cand = s.candidates;
    auto& res = s.results;
    while (!cand.empty()) {
        BasicNeighbor<Id> c = cand.front();
        if (res.size() >= ef && c.dist > res.front().dist)
            break;
        std::pop_heap(cand.begin(), cand.end(), FartherFirst());
        cand.pop_back();

        uint32_t n = nbrs(c.id, level, s.links.data());
        uint32_t nf = 0;
        for (uint32_t j = 0; j < n; j++) {
            Id id = s.links[j];
            if (visited.insert(id))
                s.fresh[nf++] = id;
        }
        // Start every load now: each distance then mostly finds its code in cache.
        for (uint32_t j = 0; j < nf; j++)
            dist.prefetch(s.fresh[j]);
        for (uint32_t j = 0; j < nf; j++) {
            BasicNeighbor<Id> e{dist(s.fresh[j]), s.fresh[j]};
            if (res.size() < ef || e.dist < res.front().dist) {
                cand.push_back(e);
                std::push_heap(cand.begin(), cand.end(), FartherFirst());
                keep_closest(s, ef, e, discarded);
            } else if (discarded) {
                discarded->push_back(e);
                std::push_heap(discarded->begin(), discarded->end(), FartherFirst());
            }
        }
    }
}

/// Best-first search of one layer from `entries` (already in `visited` or not).
/// Leaves the ef closest found in s.results as a max-heap (see sort_results).
/// When `discarded` is given (iterative scans), every visited element that is
/// not kept in s.results is pushed to it as a FartherFirst min-heap, so a later
/// call can resume from them.
template <class Nbrs, class Dist, class Visited, class Id>
void search_layer(const Nbrs& nbrs, const Dist& dist, Visited& visited, int level, size_t ef,
                  const BasicNeighbor<Id>* entries, size_t n_entries, BasicSearchScratch<Id>& s,
                  std::vector<BasicNeighbor<Id>>* discarded = nullptr) {
    s.candidates.clear();
    s.results.clear();
    for (size_t i = 0; i < n_entries; i++) {
        visited.insert(entries[i].id);
        s.candidates.push_back(entries[i]);
        std::push_heap(s.candidates.begin(), s.candidates.end(), FartherFirst());
        keep_closest(s, ef, entries[i], discarded);
    }
    search_layer_run(nbrs, dist, visited, level, ef, s, discarded);
}

/// Turns s.results (a max-heap) into a list sorted by ascending distance.
template <class Id>
void sort_results(BasicSearchScratch<Id>& s) {
    std::sort_heap(s.results.begin(), s.results.end());
}

/// Orders candidates by distance to `owner`; exact ties (duplicates) get a
/// pseudo-random order that depends on the owner, so that many identical
/// vectors end up in a random, well connected subgraph rather than all
/// pointing at the same few nodes.
template <class Id>
void sort_candidates(Id owner, std::vector<BasicNeighbor<Id>>& c) {
    auto key = [owner](Id id) {
        uint64_t x = (uint64_t(owner) * 0x9e3779b97f4a7c15ULL) ^ uint64_t(id);
        x *= 0xbf58476d1ce4e5b9ULL;
        return x ^ (x >> 31);
    };
    std::sort(c.begin(), c.end(), [&](const BasicNeighbor<Id>& a, const BasicNeighbor<Id>& b) {
        if (a.dist != b.dist)
            return a.dist < b.dist;
        return key(a.id) < key(b.id);
    });
}

/// The neighbour selection heuristic (paper alg. 4): walks the candidates in
/// ascending distance to the base element and keeps one unless an already
/// kept neighbour is strictly closer to it than the base is, which favours
/// neighbours in different directions. `sorted` must be ascending
/// (sort_candidates); the kept ones go to `out` (at most max_count).
///
/// Exact duplicates of the base (distance 0; metrics where d(x, x) = 0, so not
/// negative inner product) get special care, or many
/// identical vectors would form a trap the search cannot leave: at most half
/// the list goes to duplicates (in the owner-dependent order sort_candidates
/// gives them, so they form a random, connected subgraph), and a duplicate
/// kept never prunes other candidates, so the list still points outwards.
/// With keep_pruned, pruned candidates then fill the list up to max_count
/// (used when a full list is shrunk, so that nodes keep their in-links).
template <class PairDist, class Id>
void select_neighbors(const std::vector<BasicNeighbor<Id>>& sorted, size_t max_count,
                      const PairDist& pair_dist, std::vector<BasicNeighbor<Id>>& out,
                      bool keep_pruned = false) {
    out.clear();
    // Which kept entries are duplicates (max_count <= 200 = 2 * largest m).
    uint64_t is_dup[4] = {0, 0, 0, 0};
    size_t dups = 0, max_dups = max_count / 2 > 0 ? max_count / 2 : 1;
    for (const BasicNeighbor<Id>& c : sorted) {
        if (out.size() >= max_count)
            break;
        if (c.dist == 0) {
            if (dups < max_dups && out.size() < 256) {
                is_dup[out.size() / 64] |= uint64_t(1) << (out.size() % 64);
                out.push_back(c);
                dups++;
            }
            continue;
        }
        bool keep = true;
        for (size_t i = 0; i < out.size() && keep; i++) {
            if (!(is_dup[i / 64] >> (i % 64) & 1) && pair_dist(c.id, out[i].id) < c.dist)
                keep = false;
        }
        if (keep)
            out.push_back(c);
    }
    if (!keep_pruned || out.size() >= max_count || out.size() == sorted.size())
        return;
    // Fill up with the closest pruned ones (out is short, so a linear check is cheap).
    for (const BasicNeighbor<Id>& c : sorted) {
        if (out.size() >= max_count)
            break;
        bool present = false;
        for (const BasicNeighbor<Id>& r : out)
            present |= r.id == c.id;
        if (!present)
            out.push_back(c);
    }
}

}  // namespace vx::hnsw
