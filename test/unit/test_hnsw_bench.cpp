// HNSW build and search figures on a 200k x 128 clustered set (disabled by
// default; a benchmark, not a timed test). Run with
//   VX_HNSW_BENCH_DIR=/tmp/syn200k ./build/vx_unit_tests
//     --gtest_also_run_disabled_tests --gtest_filter='*HnswBench*'
// where the directory holds make_synthetic.py output (base.fvecs, query.fvecs,
// groundtruth.ivecs). VX_HNSW_BENCH_THREADS (default 2) sets build threads;
// VX_HNSW_BENCH_AVX2=1 swaps in a local AVX2 l2 kernel to project figures
// before the real AVX2 table lands in src/core/simd.
#include <gtest/gtest.h>

#include <immintrin.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "core/hnsw/builder.h"
#include "core/hnsw/search.h"
#include "core/hnsw/space.h"

using namespace vx::hnsw;

namespace {

// Reads an fvecs/ivecs file (int32 dim, then dim 4-byte values per row).
template <class T>
std::vector<T> read_vecs(const std::string& path, size_t& dim, size_t& rows) {
    std::ifstream f(path, std::ios::binary);
    std::vector<T> out;
    rows = 0;
    int32_t d = 0;
    while (f.read(reinterpret_cast<char*>(&d), 4)) {
        dim = size_t(d);
        size_t old = out.size();
        out.resize(old + dim);
        f.read(reinterpret_cast<char*>(out.data() + old), std::streamsize(dim * 4));
        rows++;
    }
    return out;
}

__attribute__((target("avx2,fma"))) float l2sq_avx2_local(const float* a, const float* b,
                                                           size_t n) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
        __m256 d1 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8));
        s0 = _mm256_fmadd_ps(d0, d0, s0);
        s1 = _mm256_fmadd_ps(d1, d1, s1);
    }
    s0 = _mm256_add_ps(s0, s1);
    __m128 h = _mm_add_ps(_mm256_castps256_ps128(s0), _mm256_extractf128_ps(s0, 1));
    h = _mm_add_ps(h, _mm_movehl_ps(h, h));
    h = _mm_add_ss(h, _mm_movehdup_ps(h));
    float s = _mm_cvtss_f32(h);
    for (; i < n; i++)
        s += (a[i] - b[i]) * (a[i] - b[i]);
    return s;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST(HnswBench, DISABLED_Build200kSearch) {
    const char* dir = std::getenv("VX_HNSW_BENCH_DIR");
    if (!dir)
        GTEST_SKIP() << "set VX_HNSW_BENCH_DIR";
    size_t dim = 0, n = 0, qdim = 0, nq = 0, k_gt = 0, gq = 0;
    std::vector<float> base = read_vecs<float>(std::string(dir) + "/base.fvecs", dim, n);
    std::vector<float> queries = read_vecs<float>(std::string(dir) + "/query.fvecs", qdim, nq);
    std::vector<int32_t> gt = read_vecs<int32_t>(std::string(dir) + "/groundtruth.ivecs", k_gt, gq);
    ASSERT_GT(n, 0u);
    ASSERT_EQ(dim, qdim);
    ASSERT_EQ(nq, gq);

    vx::simd::Kernels kernels = vx::simd::active();
    const char* avx2 = std::getenv("VX_HNSW_BENCH_AVX2");
    if (avx2 && *avx2 == '1') {
        kernels.l2sq_f32 = l2sq_avx2_local;
        kernels.name = "scalar+local avx2 l2";
    }
    const char* th = std::getenv("VX_HNSW_BENCH_THREADS");
    int threads = th ? std::atoi(th) : 2;

    FlatSpace sp(Metric::l2_f32, dim, base.data(), n, kernels);
    HnswGraph g(16, 42);
    auto t0 = std::chrono::steady_clock::now();
    size_t polls = 0;
    HnswBuilder<FlatSpace> builder(g, sp, 64);
    if (const char* sel = std::getenv("VX_HNSW_BENCH_L0_SELECT"))
        builder.set_layer0_select(size_t(std::atoi(sel)));
    builder.build(threads, [&](size_t) {
        polls++;
        return true;
    });
    double build_s = seconds_since(t0);
    std::printf("kernels %s: n %zu dim %zu m 16 efc 64 threads %d: build %.2f s (%zu polls), "
                "graph %.1f MB, estimate %.1f MB\n",
                kernels.name, n, dim, threads, build_s, polls, g.memory_bytes() / 1e6,
                estimate_bytes(n, dim, dim * 4, 16, threads) / 1e6);

    SearchContext ctx;
    for (size_t ef : {10, 20, 40, 80, 120, 200}) {
        size_t hits = 0;
        auto t1 = std::chrono::steady_clock::now();
        for (size_t i = 0; i < nq; i++) {
            auto r = search(g, sp, queries.data() + i * dim, 10, ef, ctx);
            std::set<int32_t> truth(gt.begin() + long(i * k_gt), gt.begin() + long(i * k_gt + 10));
            for (auto& x : r)
                hits += truth.count(int32_t(x.id));
        }
        double s = seconds_since(t1);
        std::printf("  ef %3zu: recall@10 %.4f, %.0f QPS (1 thread)\n", ef,
                    double(hits) / double(nq * 10), double(nq) / s);
    }
}
