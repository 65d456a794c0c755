// The algorithm templates on a graph seen through accessors, the way the
// PostgreSQL side runs them over pages: 64-bit ids, a hash-set visited set.
#include <gtest/gtest.h>

#include <random>
#include <unordered_set>
#include <vector>

#include "core/hnsw/algorithm.h"
#include "core/hnsw/builder.h"
#include "core/hnsw/search.h"
#include "core/hnsw/space.h"

using namespace vx::hnsw;

namespace {

constexpr uint64_t kOffset = uint64_t(1) << 40;  // ids wider than 32 bits

// Neighbour lists of the in-memory graph, renamed to 64-bit ids.
struct WideNbrs {
    const HnswGraph& g;
    uint32_t operator()(uint64_t id, int level, uint64_t* out) const {
        NeighborList nl = g.neighbors(uint32_t(id - kOffset), level);
        for (uint32_t j = 0; j < nl.count; j++)
            out[j] = nl.ids[j] + kOffset;
        return nl.count;
    }
};

struct WideDist {
    const FlatSpace& sp;
    const float* q;
    float operator()(uint64_t id) const { return sp.distance(q, uint32_t(id - kOffset)); }
    void prefetch(uint64_t) const {}
};

struct HashVisited {
    std::unordered_set<uint64_t> seen;
    bool insert(uint64_t id) { return seen.insert(id).second; }
};

}  // namespace

TEST(HnswAccessors, WideIdsGiveTheSameResultsAsTheGraphSearch) {
    const size_t n = 3000, dim = 12;
    std::mt19937 rng(5);
    std::normal_distribution<float> g(0, 1);
    std::vector<float> data((n + 20) * dim);
    for (float& x : data)
        x = g(rng);
    FlatSpace sp(Metric::l2_f32, dim, data.data(), n);
    HnswGraph graph(8, 3);
    HnswBuilder<FlatSpace>(graph, sp, 40).build(2);

    for (size_t qi = 0; qi < 20; qi++) {
        const float* q = data.data() + (n + qi) * dim;
        WideNbrs nbrs{graph};
        WideDist dist{sp, q};
        BasicSearchScratch<uint64_t> s;
        s.reserve(32, graph.max_degree(0));
        uint64_t ep = graph.entry_point() + kOffset;
        BasicNeighbor<uint64_t> cur{dist(ep), ep};
        for (int l = graph.max_level(); l > 0; l--)
            cur = greedy_closest(nbrs, dist, l, cur, s);
        HashVisited visited;
        search_layer(nbrs, dist, visited, 0, 32, &cur, 1, s);
        sort_results(s);

        auto expect = search(graph, sp, q, 32, 32);
        ASSERT_EQ(s.results.size(), expect.size());
        for (size_t j = 0; j < expect.size(); j++)
            EXPECT_EQ(s.results[j].id, expect[j].id + kOffset);
    }
}

TEST(HnswAccessors, SelectNeighborsPrefersDiverseDirections) {
    // Base at the origin; b is just behind a (pruned), c is in another direction.
    std::vector<float> pts = {0, 0, 1, 0, 1.2f, 0, 0, 1.5f};
    FlatSpace sp(Metric::l2_f32, 2, pts.data(), 4);
    auto pair = [&](uint32_t x, uint32_t y) { return sp.distance_between(x, y); };
    std::vector<Neighbor> cands = {{sp.distance_between(0, 1), 1},
                                   {sp.distance_between(0, 2), 2},
                                   {sp.distance_between(0, 3), 3}};
    sort_candidates(uint32_t(0), cands);
    std::vector<Neighbor> out;
    select_neighbors(cands, 3, pair, out);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].id, 1u);
    EXPECT_EQ(out[1].id, 3u);
    select_neighbors(cands, 3, pair, out, /*keep_pruned=*/true);
    EXPECT_EQ(out.size(), 3u);
}
