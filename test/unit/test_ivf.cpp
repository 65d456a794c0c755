// ivf core: k-means recovers separated clusters (L2, spherical, binary),
// assignment and probe order match brute force, edge cases (n = 0, lists > n),
// PQ distance quality, dimension errors and blob round trip / rejection.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <random>
#include <set>
#include <vector>

#include "core/errors.h"
#include "core/ivf/assign.h"
#include "core/ivf/kmeans.h"
#include "core/ivf/pq.h"

namespace vx::ivf {
namespace {

/// n rows around k well-separated centers; label[i] is row i's center.
std::vector<float> clustered(size_t n, size_t dim, size_t k, std::vector<uint32_t>* label,
                             std::mt19937& rng, float spread = 0.05f) {
    std::normal_distribution<float> g(0, 1);
    std::vector<float> centers(k * dim);
    for (float& c : centers)
        c = g(rng) * 10;
    std::vector<float> x(n * dim);
    label->resize(n);
    for (size_t i = 0; i < n; i++) {
        size_t c = i % k;
        (*label)[i] = uint32_t(c);
        for (size_t j = 0; j < dim; j++)
            x[i * dim + j] = centers[c * dim + j] + g(rng) * spread * 10;
    }
    return x;
}

/// Fraction of rows whose list's most common true cluster is their own
/// (k-means with random seeds may merge or split a few clusters).
double purity(const std::vector<uint32_t>& label, const std::vector<uint32_t>& got, size_t lists,
              size_t k) {
    std::vector<std::vector<size_t>> count(lists, std::vector<size_t>(k));
    for (size_t i = 0; i < label.size(); i++)
        count[got[i]][label[i]]++;
    size_t ok = 0;
    for (size_t l = 0; l < lists; l++)
        ok += *std::max_element(count[l].begin(), count[l].end());
    return double(ok) / label.size();
}

double l2sq(const float* a, const float* b, size_t d) {
    double s = 0;
    for (size_t i = 0; i < d; i++)
        s += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
    return s;
}

double dot(const float* a, const float* b, size_t d) {
    double s = 0;
    for (size_t i = 0; i < d; i++)
        s += double(a[i]) * b[i];
    return s;
}

TEST(IvfKmeans, RecoversSeparatedClustersL2) {
    std::mt19937 rng(1);
    std::vector<uint32_t> label;
    auto x = clustered(4000, 32, 20, &label, rng);
    TrainParams p;
    p.niter = 20;
    p.threads = 2;
    Centroids c = train_centroids(x.data(), 4000, 32, 20, Metric::l2, p);
    ASSERT_EQ(c.lists, 20u);
    ASSERT_EQ(c.data.size(), 20u * 32);
    std::vector<uint32_t> got(4000);
    assign(x.data(), 4000, c.data.data(), 20, 32, Metric::l2, got.data(), 2);
    EXPECT_GE(purity(label, got, 20, 20), 0.95);
}

TEST(IvfKmeans, SphericalForCosineHasUnitCentroids) {
    std::mt19937 rng(2);
    std::vector<uint32_t> label;
    auto x = clustered(3000, 16, 10, &label, rng, 0.02f);
    // Scale rows randomly: cosine must not care.
    std::uniform_real_distribution<float> s(0.1f, 10);
    for (size_t i = 0; i < 3000; i++) {
        float f = s(rng);
        for (size_t j = 0; j < 16; j++)
            x[i * 16 + j] *= f;
    }
    for (Metric m : {Metric::cosine, Metric::inner_product}) {
        Centroids c = train_centroids(x.data(), 3000, 16, 10, m, TrainParams{});
        for (size_t l = 0; l < c.lists; l++)
            EXPECT_NEAR(dot(&c.data[l * 16], &c.data[l * 16], 16), 1.0, 1e-4);
        if (m == Metric::cosine) {
            std::vector<uint32_t> got(3000);
            assign(x.data(), 3000, c.data.data(), c.lists, 16, m, got.data(), 2);
            EXPECT_GE(purity(label, got, c.lists, 10), 0.95);
        }
    }
}

TEST(IvfKmeans, EdgeCases) {
    std::mt19937 rng(3);
    std::vector<uint32_t> label;
    auto x = clustered(5, 8, 5, &label, rng);
    Centroids none = train_centroids(x.data(), 0, 8, 10, Metric::l2, TrainParams{});
    EXPECT_EQ(none.lists, 0u);
    EXPECT_TRUE(none.data.empty());
    Centroids few = train_centroids(x.data(), 5, 8, 10, Metric::l2, TrainParams{});
    EXPECT_EQ(few.lists, 5u);
    EXPECT_EQ(std::vector<float>(x.begin(), x.end()), few.data);
    Centroids one = train_centroids(x.data(), 5, 8, 1, Metric::l2, TrainParams{});
    ASSERT_EQ(one.lists, 1u);
    for (size_t j = 0; j < 8; j++) {
        double mean = 0;
        for (size_t i = 0; i < 5; i++)
            mean += x[i * 8 + j] / 5;
        EXPECT_NEAR(one.data[j], mean, 1e-3);
    }
    EXPECT_THROW(train_centroids(x.data(), 5, 0, 2, Metric::l2, TrainParams{}), InvalidArgument);
    EXPECT_THROW(train_centroids(x.data(), 5, 8, 0, Metric::l2, TrainParams{}), InvalidArgument);
}

TEST(IvfKmeans, CancelStopsTraining) {
    std::mt19937 rng(4);
    std::vector<uint32_t> label;
    auto x = clustered(20000, 64, 100, &label, rng);
    TrainParams p;
    p.niter = 1000;
    p.progress = [] { return false; };
    EXPECT_THROW(train_centroids(x.data(), 20000, 64, 100, Metric::l2, p), Cancelled);
    std::vector<uint32_t> got(20000);
    EXPECT_THROW(assign(x.data(), 20000, x.data(), 4000, 64, Metric::l2, got.data(), 2, p.progress),
                 Cancelled);
}

// The seeding runs on the calling thread before Faiss does: a cancel must stop
// it within a few seeds, not after all of them (seconds at thousands of lists).
TEST(IvfKmeans, CancelStopsSeeding) {
    std::mt19937 rng(5);
    std::vector<uint32_t> label;
    auto x = clustered(8000, 16, 50, &label, rng);
    size_t calls = 0;
    ProgressFn stop_at_third = [&] { return ++calls < 3; };
    EXPECT_THROW(kmeanspp_seeds(x.data(), 8000, 16, 2000, 1, stop_at_third), Cancelled);
    EXPECT_EQ(calls, 3u);  // polled every kSeedPollEvery seeds, stopped at once
    calls = 0;
    ProgressFn count = [&] { return ++calls > 0; };
    EXPECT_EQ(kmeanspp_seeds(x.data(), 8000, 16, 100, 1, count).size(), 100u * 16);
    EXPECT_EQ(calls, (100 + kSeedPollEvery - 1) / kSeedPollEvery);
    std::vector<uint8_t> bits(8000 * 8, 0x5a);
    for (size_t i = 0; i < bits.size(); i++)
        bits[i] = uint8_t(rng());
    TrainParams p;
    calls = 0;
    p.progress = stop_at_third;
    EXPECT_THROW(train_binary_centroids(bits.data(), 8000, 8, 2000, p), Cancelled);
}

TEST(IvfKmeans, SampleSizeRule) {
    EXPECT_EQ(recommended_sample_size(1000000, 128, 100, Metric::l2, size_t(1) << 30), 10000u);
    EXPECT_EQ(recommended_sample_size(1000000, 128, 1000, Metric::l2, size_t(1) << 30), 50000u);
    EXPECT_EQ(recommended_sample_size(3000, 128, 1000, Metric::l2, size_t(1) << 30), 3000u);
    size_t small = recommended_sample_size(1000000, 128, 1000, Metric::l2, size_t(24) << 20);
    EXPECT_LT(small, 50000u);
    EXPECT_GE(small, 1000u);
    EXPECT_LE(small * 128 * 4 + training_memory_bytes(small, 128, 1000, Metric::l2), size_t(24) << 20);
}

TEST(IvfAssign, MatchesBruteForce) {
    std::mt19937 rng(5);
    std::normal_distribution<float> g;
    size_t n = 1000, lists = 37, dim = 24;
    std::vector<float> x(n * dim), c(lists * dim);
    for (float& v : x)
        v = g(rng);
    for (float& v : c)
        v = g(rng);
    for (Metric m : {Metric::l2, Metric::inner_product}) {
        std::vector<uint32_t> got(n);
        assign(x.data(), n, c.data(), lists, dim, m, got.data(), 2);
        for (size_t i = 0; i < n; i++) {
            double bd = 1e300;
            for (size_t j = 0; j < lists; j++) {
                double d = m == Metric::l2 ? l2sq(&x[i * dim], &c[j * dim], dim)
                                           : -dot(&x[i * dim], &c[j * dim], dim);
                bd = std::min(bd, d);
            }
            double dg = m == Metric::l2 ? l2sq(&x[i * dim], &c[got[i] * dim], dim)
                                        : -dot(&x[i * dim], &c[got[i] * dim], dim);
            EXPECT_NEAR(dg, bd, 1e-3 * (1 + std::fabs(bd))) << "row " << i;
        }
        // nearest_lists: the full order matches brute force.
        for (size_t q = 0; q < 20; q++) {
            std::vector<std::pair<double, uint32_t>> ref;
            for (size_t j = 0; j < lists; j++)
                ref.push_back({m == Metric::l2 ? l2sq(&x[q * dim], &c[j * dim], dim)
                                               : -dot(&x[q * dim], &c[j * dim], dim),
                               uint32_t(j)});
            std::sort(ref.begin(), ref.end());
            std::vector<uint32_t> out(10);
            std::vector<float> od(10);
            ASSERT_EQ(nearest_lists(&x[q * dim], c.data(), lists, dim, m, 10, out.data(), od.data()), 10u);
            for (size_t r = 0; r < 10; r++) {
                EXPECT_NEAR(od[r], ref[r].first, 1e-3 * (1 + std::fabs(ref[r].first)));
                if (r > 0) {
                    EXPECT_LE(od[r - 1], od[r]);
                }
            }
            std::vector<uint32_t> all(lists);
            EXPECT_EQ(nearest_lists(&x[q * dim], c.data(), lists, dim, m, 100, all.data()), lists);
        }
    }
}

TEST(IvfAssign, NearestListsClampsToLists) {
    std::vector<float> c = {0, 0, 1, 1, 5, 5};
    float q[2] = {0.9f, 1.2f};
    std::vector<uint32_t> out(10);
    ASSERT_EQ(nearest_lists(q, c.data(), 3, 2, Metric::l2, 10, out.data()), 3u);
    EXPECT_EQ(out[0], 1u);
    EXPECT_EQ(out[1], 0u);
    EXPECT_EQ(out[2], 2u);
}

TEST(IvfBinary, RecoversBitClusters) {
    std::mt19937 rng(6);
    size_t k = 8, nbytes = 16, n = 2000;
    std::vector<uint8_t> centers(k * nbytes);
    for (auto& b : centers)
        b = uint8_t(rng());
    std::vector<uint8_t> x(n * nbytes);
    std::vector<uint32_t> label(n);
    for (size_t i = 0; i < n; i++) {
        label[i] = uint32_t(i % k);
        for (size_t b = 0; b < nbytes; b++)
            x[i * nbytes + b] = centers[label[i] * nbytes + b] ^ ((rng() % 8 == 0) ? uint8_t(1u << (rng() % 8)) : uint8_t(0));
    }
    TrainParams p;
    p.niter = 20;
    p.threads = 2;
    BinaryCentroids c = train_binary_centroids(x.data(), n, nbytes, k, p);
    ASSERT_EQ(c.lists, k);
    std::vector<uint32_t> got(n);
    assign_binary(x.data(), n, c.data.data(), k, nbytes, got.data(), 2);
    EXPECT_GE(purity(label, got, k, k), 0.95);
    // A pure list's majority-vote centroid is its center exactly (noise: 1 bit in 8 bytes).
    std::set<std::vector<uint8_t>> want;
    size_t exact = 0;
    for (size_t i = 0; i < k; i++)
        want.insert(std::vector<uint8_t>(&centers[i * nbytes], &centers[i * nbytes] + nbytes));
    for (size_t i = 0; i < k; i++)
        exact += want.count(std::vector<uint8_t>(&c.data[i * nbytes], &c.data[i * nbytes] + nbytes));
    EXPECT_GE(exact, k - 1);
    uint32_t probe[3];
    ASSERT_EQ(nearest_binary_lists(&x[0], c.data.data(), k, nbytes, 3, probe), 3u);
    EXPECT_EQ(probe[0], got[0]);
    EXPECT_EQ(train_binary_centroids(x.data(), 0, nbytes, k, p).lists, 0u);
    EXPECT_EQ(train_binary_centroids(x.data(), 3, nbytes, k, p).lists, 3u);
}

TEST(IvfPq, DimsNotDivisible) {
    try {
        PqCodec pq(100, 7);
        FAIL();
    } catch (const InvalidArgument& e) {
        EXPECT_NE(std::string(e.what()).find("dimensions (d) must be divisible by pq_m (M)"), std::string::npos);
    }
    EXPECT_THROW(PqCodec(0, 1), InvalidArgument);
    EXPECT_THROW(PqCodec(8, 0), InvalidArgument);
    EXPECT_THROW(PqCodec(8, 16), InvalidArgument);
}

TEST(IvfPq, AdcRanksLikeExact) {
    std::mt19937 rng(7);
    std::normal_distribution<float> g;
    size_t n = 5000, d = 32, m = 8;
    std::vector<float> x(n * d);
    for (float& v : x)
        v = g(rng);
    PqCodec pq(d, m);
    TrainParams p;
    p.threads = 2;
    pq.train(x.data(), n, p);
    std::vector<uint8_t> codes(n * m), one(m);
    pq.encode_batch(x.data(), n, codes.data(), 2);
    for (size_t i = 0; i < n; i += 97) {
        pq.encode(&x[i * d], one.data());
        EXPECT_EQ(0, std::memcmp(one.data(), &codes[i * m], m));
    }
    std::vector<float> table(pq.table_size()), adc(n);
    double recall = 0, rel_err = 0;
    size_t nq = 20;
    for (size_t q = 0; q < nq; q++) {
        std::vector<float> query(d);
        for (float& v : query)
            v = g(rng);
        for (PqMetric metric : {PqMetric::l2, PqMetric::inner_product}) {
            float bias = pq.distance_table(query.data(), metric, table.data());
            pq.adc_distances(table.data(), codes.data(), n, adc.data());
            std::vector<std::pair<double, uint32_t>> exact(n), approx(n);
            for (size_t i = 0; i < n; i++) {
                double e = metric == PqMetric::l2 ? l2sq(query.data(), &x[i * d], d)
                                                  : -dot(query.data(), &x[i * d], d);
                exact[i] = {e, uint32_t(i)};
                approx[i] = {bias + adc[i], uint32_t(i)};
                // ADC equals the exact distance to the decoded vector.
                if (i < 50) {
                    std::vector<float> rec(d);
                    pq.decode(&codes[i * m], rec.data());
                    double r = metric == PqMetric::l2 ? l2sq(query.data(), rec.data(), d)
                                                      : -dot(query.data(), rec.data(), d);
                    EXPECT_NEAR(approx[i].first, r, 1e-3 * (1 + std::fabs(r)));
                }
                if (metric == PqMetric::l2)
                    rel_err += std::fabs(approx[i].first - e) / e;
            }
            std::sort(exact.begin(), exact.end());
            std::partial_sort(approx.begin(), approx.begin() + 100, approx.end());
            std::set<uint32_t> top100;
            for (size_t i = 0; i < 100; i++)
                top100.insert(approx[i].second);
            for (size_t i = 0; i < 10; i++)
                recall += top100.count(exact[i].second);
        }
    }
    recall /= 10.0 * nq * 2;
    rel_err /= double(n) * nq;
    EXPECT_GE(recall, 0.9);
    EXPECT_LT(rel_err, 0.3);
}

TEST(IvfPq, ResidualsAndSmallSamples) {
    std::mt19937 rng(8);
    std::normal_distribution<float> g;
    size_t d = 8, m = 4;
    std::vector<float> x(100 * d), cen(2 * d);
    for (float& v : x)
        v = g(rng);
    for (float& v : cen)
        v = g(rng);
    std::vector<uint32_t> list(100);
    for (size_t i = 0; i < 100; i++)
        list[i] = uint32_t(i % 2);
    PqCodec pq(d, m);
    pq.train(x.data(), 100, TrainParams{}, cen.data(), list.data());  // < 256 rows: exact
    std::vector<uint8_t> code(m);
    std::vector<float> rec(d), table(pq.table_size());
    for (size_t i = 0; i < 100; i++) {
        const float* c = &cen[list[i] * d];
        pq.encode(&x[i * d], code.data(), c);
        pq.decode(code.data(), rec.data(), c);
        for (size_t j = 0; j < d; j++)
            EXPECT_NEAR(rec[j], x[i * d + j], 1e-5);
        float b = pq.distance_table(&x[0], PqMetric::inner_product, table.data(), c);
        EXPECT_NEAR(b + pq.adc_distance(table.data(), code.data()), -dot(&x[0], &x[i * d], d), 1e-3);
        b = pq.distance_table(&x[0], PqMetric::l2, table.data(), c);
        EXPECT_NEAR(b + pq.adc_distance(table.data(), code.data()), l2sq(&x[0], &x[i * d], d), 1e-3);
    }
    PqCodec empty(d, m);
    empty.train(x.data(), 0);
    empty.encode(&x[0], code.data());
}

TEST(IvfPq, SerializeRoundTripAndRejects) {
    std::mt19937 rng(9);
    std::normal_distribution<float> g;
    size_t n = 300, d = 16, m = 4;
    std::vector<float> x(n * d);
    for (float& v : x)
        v = g(rng);
    PqCodec pq(d, m);
    pq.train(x.data(), n);
    std::vector<uint8_t> blob = pq.serialize();
    PqCodec back = PqCodec::deserialize(blob.data(), blob.size());
    EXPECT_EQ(back.dim(), d);
    EXPECT_EQ(back.m(), m);
    EXPECT_EQ(back.serialize(), blob);
    std::vector<uint8_t> c1(m), c2(m);
    for (size_t i = 0; i < 50; i++) {
        pq.encode(&x[i * d], c1.data());
        back.encode(&x[i * d], c2.data());
        EXPECT_EQ(c1, c2);
    }
    EXPECT_THROW(PqCodec::deserialize(blob.data(), blob.size() - 1), InvalidArgument);
    EXPECT_THROW(PqCodec::deserialize(blob.data(), 10), InvalidArgument);
    EXPECT_THROW(PqCodec::deserialize(nullptr, 0), InvalidArgument);
    std::vector<uint8_t> junk(blob.size(), 0xAB);
    EXPECT_THROW(PqCodec::deserialize(junk.data(), junk.size()), InvalidArgument);
    std::vector<uint8_t> flipped = blob;
    flipped[100] ^= 1;
    EXPECT_THROW(PqCodec::deserialize(flipped.data(), flipped.size()), InvalidArgument);
    std::vector<uint8_t> badver = blob;
    badver[4] = 2;
    EXPECT_THROW(PqCodec::deserialize(badver.data(), badver.size()), InvalidArgument);
}

}  // namespace
}  // namespace vx::ivf
