// HNSW core: recall against brute force per metric, exactness on small sets,
// duplicates, multi-threaded build, cancel, worker errors, iterative search.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/errors.h"
#include "core/hnsw/builder.h"
#include "core/hnsw/graph.h"
#include "core/hnsw/search.h"
#include "core/hnsw/space.h"

using namespace vx::hnsw;

namespace {

// Gaussian clusters with unequal spreads; an offset makes ip/cosine differ from l2.
std::vector<float> clustered(size_t n, size_t dim, uint32_t seed, float offset = 0) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> g(0, 1);
    const size_t clusters = 50;
    std::vector<float> centers(clusters * dim), spread(clusters);
    for (float& c : centers)
        c = g(rng) + offset;
    for (float& s : spread)
        s = 0.2f + 0.4f * std::uniform_real_distribution<float>(0, 1)(rng);
    std::vector<float> x(n * dim);
    std::uniform_int_distribution<size_t> pick(0, clusters - 1);
    for (size_t i = 0; i < n; i++) {
        size_t c = pick(rng);
        for (size_t d = 0; d < dim; d++)
            x[i * dim + d] = centers[c * dim + d] + spread[c] * g(rng);
    }
    return x;
}

// The k smallest distances by exhaustive scan, ascending.
template <class Space>
std::vector<Neighbor> brute_force(const Space& sp, const void* q, size_t k) {
    std::vector<Neighbor> all(sp.size());
    for (uint32_t i = 0; i < sp.size(); i++)
        all[i] = {sp.distance(q, i), i};
    std::partial_sort(all.begin(), all.begin() + std::min(k, all.size()), all.end());
    all.resize(std::min(k, all.size()));
    return all;
}

// Mean recall@k of the graph over nq query rows, searched with ef.
template <class Space>
double recall_at(const HnswGraph& g, const Space& sp, const uint8_t* queries, size_t nq, size_t k,
                 size_t ef) {
    SearchContext ctx;
    size_t hits = 0;
    for (size_t i = 0; i < nq; i++) {
        const uint8_t* q = queries + i * sp.code_size();
        auto truth = brute_force(sp, q, k);
        auto got = search(g, sp, q, k, ef, ctx);
        std::set<uint32_t> t;
        for (auto& n : truth)
            t.insert(n.id);
        for (auto& n : got)
            hits += t.count(n.id);
    }
    return double(hits) / double(nq * k);
}

// Structural invariants every built graph must satisfy.
void check_graph(const HnswGraph& g) {
    ASSERT_NE(g.entry_point(), kNoNode);
    ASSERT_EQ(g.level(g.entry_point()), g.max_level());
    for (uint32_t i = 0; i < g.size(); i++) {
        for (int l = 0; l <= g.level(i); l++) {
            NeighborList nl = g.neighbors(i, l);
            ASSERT_LE(nl.count, g.max_degree(l));
            std::set<uint32_t> seen;
            for (uint32_t j = 0; j < nl.count; j++) {
                uint32_t n = nl.ids[j];
                ASSERT_LT(n, g.size());
                ASSERT_NE(n, i) << "self link";
                ASSERT_GE(g.level(n), l) << "link to a node absent from the layer";
                ASSERT_TRUE(seen.insert(n).second) << "repeated link";
            }
        }
    }
}

void expect_recall(Metric metric, float offset, double min_recall) {
    const size_t n = 20000, dim = 32, nq = 200;
    // Queries are extra rows from the same clusters.
    std::vector<float> both = clustered(n + nq, dim, 7, offset);
    FlatSpace sp(metric, dim, both.data(), n);
    HnswGraph g(16, 1);
    HnswBuilder<FlatSpace>(g, sp, 64).build(2);
    check_graph(g);
    double r = recall_at(g, sp, reinterpret_cast<const uint8_t*>(both.data() + n * dim), nq, 10, 64);
    std::printf("recall@10 metric %d ef 64: %.4f\n", int(metric), r);
    EXPECT_GE(r, min_recall);
}

}  // namespace

TEST(Hnsw, RecallL2) { expect_recall(Metric::l2_f32, 0, 0.95); }
TEST(Hnsw, RecallInnerProduct) { expect_recall(Metric::neg_dot_f32, 0.5f, 0.95); }
TEST(Hnsw, RecallCosine) { expect_recall(Metric::cosine_f32, 0.5f, 0.95); }
TEST(Hnsw, RecallL1) { expect_recall(Metric::l1_f32, 0, 0.95); }

TEST(Hnsw, MultiThreadedRecallMatchesSingleThreaded) {
    const size_t n = 10000, dim = 32, nq = 100;
    std::vector<float> both = clustered(n + nq, dim, 11);
    FlatSpace sp(Metric::l2_f32, dim, both.data(), n);
    const uint8_t* q = reinterpret_cast<const uint8_t*>(both.data() + n * dim);
    HnswGraph g1(12, 3), g2(12, 3);
    HnswBuilder<FlatSpace>(g1, sp, 48).build(1);
    HnswBuilder<FlatSpace>(g2, sp, 48).build(2);
    check_graph(g1);
    check_graph(g2);
    double r1 = recall_at(g1, sp, q, nq, 10, 32), r2 = recall_at(g2, sp, q, nq, 10, 32);
    std::printf("recall@10 ef 32: 1 thread %.4f, 2 threads %.4f\n", r1, r2);
    EXPECT_NEAR(r1, r2, 0.03);
    EXPECT_GE(r2, 0.9);
    // Levels depend only on (seed, id), not on thread timing.
    for (uint32_t i = 0; i < n; i++)
        ASSERT_EQ(g1.level(i), g2.level(i));
}

// Small int8 and bit sets: with ef >= n the search visits every node it can
// reach, so in metric spaces (where the builder keeps every node reachable)
// it is exact. With inner product the builder lets nodes lose their last
// in-link (HnswBuilder::set_protect_orphans), which with 2 threads depends on
// timing: there the search must still be near exact, and every distance it
// reports must be the node's true distance.
template <class T>
void expect_exact(Metric metric, size_t dim, const std::vector<T>& codes, size_t n) {
    FlatSpace sp(metric, dim, codes.data(), n);
    HnswGraph g(8, 5);
    HnswBuilder<FlatSpace>(g, sp, 32).build(2);
    check_graph(g);
    SearchContext ctx;
    size_t hits = 0, total = 0;
    for (uint32_t qi = 0; qi < 50; qi++) {
        const uint8_t* q = sp.code(qi * 7 % n);
        auto truth = brute_force(sp, q, 10);
        auto got = search(g, sp, q, 10, n, ctx);
        ASSERT_EQ(got.size(), truth.size());
        for (size_t j = 0; j < got.size(); j++) {
            ASSERT_EQ(got[j].dist, sp.distance(q, got[j].id)) << "metric " << int(metric) << " rank " << j;
        }
        if (sp.is_metric()) {
            for (size_t j = 0; j < truth.size(); j++) {  // ties may swap ids, never distances
                ASSERT_EQ(got[j].dist, truth[j].dist) << "metric " << int(metric) << " rank " << j;
            }
        } else {
            for (const Neighbor& t : truth)
                hits += std::count_if(got.begin(), got.end(), [&](const Neighbor& x) { return x.dist == t.dist; }) > 0;
            total += truth.size();
        }
    }
    if (!sp.is_metric()) {
        std::printf("metric %d: recall@10 at ef = n %.3f\n", int(metric), double(hits) / double(total));
        EXPECT_GE(double(hits) / double(total), 0.97) << "metric " << int(metric);
    }
}

TEST(Hnsw, BytevectorExactOnSmallSet) {
    const size_t n = 600, dim = 24;
    std::mt19937 rng(3);
    std::uniform_int_distribution<int> v(-128, 127);
    std::vector<int8_t> codes(n * dim);
    for (auto& c : codes)
        c = int8_t(v(rng));
    for (Metric m : {Metric::l2_i8, Metric::neg_dot_i8, Metric::cosine_i8, Metric::l1_i8})
        expect_exact(m, dim, codes, n);
}

TEST(Hnsw, BitvectorExactOnSmallSet) {
    const size_t n = 600, dim = 100;
    std::mt19937 rng(4);
    std::vector<uint8_t> codes(n * code_size_for(Metric::hamming_bits, dim));
    for (auto& c : codes)
        c = uint8_t(rng());
    for (size_t i = 0; i < n; i++)
        codes[i * 13 + 12] &= 0x0f;  // bits past dim 100 stay zero
    for (Metric m : {Metric::hamming_bits, Metric::jaccard_bits})
        expect_exact(m, dim, codes, n);
}

TEST(Hnsw, ManyDuplicatesStayReachable) {
    const size_t dim = 16, dups = 1000, others = 1000;
    std::vector<float> data = clustered(dups + others, dim, 21);
    for (size_t i = 0; i < dups; i++)  // rows 0, 2, 4, ... are one vector
        std::copy(data.begin() + (dups + others - 1) * dim, data.end(), data.begin() + 2 * i * dim);
    FlatSpace sp(Metric::l2_f32, dim, data.data(), dups + others);
    HnswGraph g(16, 9);
    HnswBuilder<FlatSpace>(g, sp, 64).build(2);
    check_graph(g);
    const float* q = data.data() + (dups + others - 1) * dim;
    // The identical rows (plus the last row itself) are all at distance 0.
    auto got = search(g, sp, q, 10, 40);
    ASSERT_EQ(got.size(), 10u);
    for (auto& n : got)
        EXPECT_EQ(n.dist, 0.0f);
    // Every node is reachable from the entry point.
    IterativeSearch<FlatSpace> it(g, sp, q, 40);
    std::set<uint32_t> seen;
    size_t zero = 0;
    for (auto* b = &it.next(); !b->empty(); b = &it.next()) {
        for (auto& n : *b) {
            ASSERT_TRUE(seen.insert(n.id).second);
            zero += n.dist == 0;
        }
    }
    EXPECT_EQ(seen.size(), dups + others);
    EXPECT_EQ(zero, dups + 1);
}

TEST(Hnsw, IterativeSearchYieldsEveryElementOnce) {
    const size_t n = 5000, dim = 16;
    std::vector<float> data = clustered(n + 1, dim, 31);
    FlatSpace sp(Metric::l2_f32, dim, data.data(), n);
    HnswGraph g(8, 2);
    HnswBuilder<FlatSpace>(g, sp, 40).build(2);
    const float* q = data.data() + n * dim;
    auto first = search(g, sp, q, 40, 40);
    IterativeSearch<FlatSpace> it(g, sp, q, 40);
    const auto& b0 = it.next();
    ASSERT_EQ(b0.size(), first.size());
    for (size_t j = 0; j < b0.size(); j++)
        EXPECT_EQ(b0[j].id, first[j].id);
    std::set<uint32_t> seen;
    for (auto& nb : b0)
        seen.insert(nb.id);
    size_t batches = 1;
    for (auto* b = &it.next(); !b->empty(); b = &it.next(), batches++) {
        for (size_t j = 0; j < b->size(); j++) {
            ASSERT_TRUE(seen.insert((*b)[j].id).second) << "returned twice";
            if (j) {
                ASSERT_LE((*b)[j - 1].dist, (*b)[j].dist);
            }
        }
    }
    EXPECT_EQ(seen.size(), n);
    EXPECT_EQ(it.returned(), n);
    EXPECT_TRUE(it.next().empty());
    std::printf("iterative: %zu batches\n", batches);
}

TEST(Hnsw, InsertAfterBuild) {
    const size_t n = 8000, dim = 32, nq = 100;
    std::vector<float> both = clustered(n + nq, dim, 41);
    FlatSpace sp(Metric::l2_f32, dim, both.data(), n / 2);
    HnswGraph g(16, 4);
    HnswBuilder<FlatSpace> b(g, sp, 64);
    b.build(2);
    sp.rebind(both.data(), n);
    for (size_t i = n / 2; i < n; i++)
        ASSERT_EQ(b.insert_next(), i);
    ASSERT_EQ(g.size(), n);
    check_graph(g);
    double r = recall_at(g, sp, reinterpret_cast<const uint8_t*>(both.data() + n * dim), nq, 10, 64);
    EXPECT_GE(r, 0.95);
}

TEST(Hnsw, CancelStopsPromptly) {
    const size_t n = 100000, dim = 64;
    std::vector<float> data = clustered(n, dim, 51);
    FlatSpace sp(Metric::l2_f32, dim, data.data(), n);
    HnswGraph g(16, 1);
    HnswBuilder<FlatSpace> b(g, sp, 200);
    std::chrono::steady_clock::time_point cancel_at;
    std::thread::id caller = std::this_thread::get_id();
    size_t calls = 0;
    auto progress = [&](size_t done) {
        EXPECT_EQ(std::this_thread::get_id(), caller) << "progress called from a worker";
        if (++calls < 5)  // let the workers run for a few polls
            return true;
        cancel_at = std::chrono::steady_clock::now();
        EXPECT_LT(done, n);
        return false;
    };
    EXPECT_THROW(b.build(2, progress, 10), vx::Cancelled);
    auto stop = std::chrono::steady_clock::now() - cancel_at;
    EXPECT_EQ(calls, 5u);
    EXPECT_LT(std::chrono::duration<double>(stop).count(), 0.2);
}

namespace {
// A space whose distance throws once enough calls happened (on some worker).
struct FailingSpace {
    const FlatSpace& base;
    mutable std::atomic<size_t> calls{0};
    size_t size() const { return base.size(); }
    bool is_metric() const { return true; }
    void prefetch(uint32_t) const {}
    float distance(const void* q, uint32_t id) const { return base.distance(q, id); }
    float distance_between(uint32_t a, uint32_t b) const {
        if (++calls == 50000)
            throw std::runtime_error("injected failure");
        return base.distance_between(a, b);
    }
};
}  // namespace

TEST(Hnsw, WorkerExceptionIsRethrownOnCaller) {
    const size_t n = 20000, dim = 16;
    std::vector<float> data = clustered(n, dim, 61);
    FlatSpace sp(Metric::l2_f32, dim, data.data(), n);
    FailingSpace fs{sp};
    HnswGraph g(8, 1);
    HnswBuilder<FailingSpace> b(g, fs, 40);
    try {
        b.build(2);
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "injected failure");
    }
}

TEST(Hnsw, RejectsBadParameters) {
    EXPECT_THROW(HnswGraph(1), vx::InvalidArgument);
    EXPECT_THROW(HnswGraph(101), vx::InvalidArgument);
    HnswGraph g(16);
    std::vector<float> one(4, 1.0f);
    FlatSpace sp(Metric::l2_f32, 4, one.data(), 1);
    EXPECT_THROW(HnswBuilder<FlatSpace>(g, sp, 0), vx::InvalidArgument);
}

TEST(Hnsw, EmptyAndSingleElement) {
    std::vector<float> one(4, 1.0f);
    FlatSpace sp(Metric::l2_f32, 4, one.data(), 0);
    HnswGraph g(4);
    HnswBuilder<FlatSpace> b(g, sp, 10);
    b.build(2);
    EXPECT_TRUE(search(g, sp, one.data(), 5, 10).empty());
    sp.rebind(one.data(), 1);
    b.build(2);
    auto r = search(g, sp, one.data(), 5, 10);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].id, 0u);
}

TEST(Hnsw, MemoryEstimateCoversGraph) {
    const size_t n = 20000, dim = 8;
    std::vector<float> data = clustered(n, dim, 71);
    FlatSpace sp(Metric::l2_f32, dim, data.data(), n);
    HnswGraph g(16);
    HnswBuilder<FlatSpace>(g, sp, 20).build(1);
    size_t est = estimate_bytes(n, dim, dim * 4, 16, 1);
    size_t actual = g.memory_bytes() + n * dim * 4;
    EXPECT_GE(est, actual);
    EXPECT_LE(est, actual * 2);
}
