// Quantizer micro-benchmarks at 768 dimensions: encode throughput and batch
// code-distance throughput (bytes of codes scanned per second) per encoding,
// metric and instruction set. Run: build/vx_bench_kernels --benchmark_filter=Quant
//
// With VX_QUANT_DATA=<dir of make_synthetic.py output> it also measures, per
// level, recall@10 of a flat scan by code distance followed by exact rescoring
// of oversample * 10, clamp(oversample * 10, 100, 10000), 200 and 400
// candidates: the quality a quantizer gives before any graph.
//
// Measured 2026-11-23 on the 2-core AMD EPYC (AVX-512) dev machine, one core,
// other jobs running (medians of 3; quiet-machine bq1 runs reached 9.7 GB/s):
//   code bytes at 768 dims   f32 3072, f16 1536, sq8 768, sq4 384, sq2 192, bq1 96
//   encode (vectors/s)       f16 190k, sq8 1.2M, sq4 960k, sq2 364k, bq1 2.6M
//   distances() GB/s of codes, l2 / ip / cosine:
//            scalar            avx2               avx512
//     f16    1.3 / 1.5 / 1.7   29 / 31 / 25       35 / 36 / 33
//     sq8    1.0 / 1.3 / 0.9   13 / 16 / 8.1      16 / 23 / 10
//     sq4    0.5 / 0.6 / 0.5   4.2 / 5.8 / 4.1    6.2 / 9.5 / 5.7
//     sq2    0.25/ 0.31/ 0.26  2.3 / 2.9 / 1.9    4.1 / 6.4 / 3.1
//     bq1    0.18/ 0.18/ 0.14  4.6 / 4.1 / 3.3    7.5 / 7.5 / 5.0
//   bq1 again 2026-12-04 on the 2-vCPU Xeon (AVX-512 VNNI) VM under heavy load
//   (load average 15-20), medians of 5, one core: AVX-512 5.4 / 5.3 / 3.6 before
//   the four-code batch kernel, 7.6 / 7.4 / 4.5 after; with VNNI (table 3,
//   "avx512vnni", what active_kernels() picks there) 8.4 / 8.6 / 5.2.
//   flat-scan recall@10 (make_synthetic 50k x 768 cosine, 200 queries), candidates
//   oversample*10 / 100 / 200 / 400: sq8 0.988/1/1/1, sq4 0.992/1/1/1,
//   sq2 0.808/0.992/1.0/1, bq1 0.629/0.881/0.955/0.988.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "core/quant/quantizer.h"

namespace vx::quant {
namespace {

constexpr size_t kDim = 768;
constexpr size_t kCodes = 20000;

const std::vector<float>& sample() {
    static const std::vector<float> data = [] {
        std::mt19937 rng(42);
        std::normal_distribution<float> g(0.2f, 1.0f);
        std::vector<float> v(kCodes * kDim);
        for (float& x : v)
            x = g(rng);
        return v;
    }();
    return data;
}

Quantizer trained(Encoding e) {
    Quantizer q(e);
    q.train(sample().data(), 5000, kDim);
    return q;
}

/// Encodes vectors of the sample; items are vectors.
void QuantEncode(benchmark::State& st) {
    const Encoding e = Encoding(st.range(0));
    Quantizer q = trained(e);
    std::vector<uint8_t> code(q.code_size());
    size_t r = 0;
    for (auto _ : st) {
        q.encode(&sample()[r * kDim], code.data());
        benchmark::DoNotOptimize(code.data());
        r = (r + 1) % kCodes;
    }
    st.SetItemsProcessed(int64_t(st.iterations()));
    st.SetBytesProcessed(int64_t(st.iterations() * kDim * 4));
    st.SetLabel(encoding_name(e));
}

/// distances() over kCodes contiguous codes; bytes are code bytes scanned.
void QuantDistances(benchmark::State& st) {
    const Encoding e = Encoding(st.range(0));
    const Metric m = Metric(st.range(1));
    // Table 3 is the AVX-512 table with the VNNI 1-bit batch kernel.
    const QuantKernels* table = st.range(2) == 3 ? avx512_vnni_kernels() : kernels_for_isa(Isa(st.range(2)));
    if (!table) {
        st.SkipWithError("ISA not available");
        return;
    }
    Quantizer q = trained(e);
    const size_t cs = q.code_size();
    std::vector<uint8_t> codes(kCodes * cs);
    for (size_t r = 0; r < kCodes; r++)
        q.encode(&sample()[r * kDim], &codes[r * cs]);
    PreparedQuery pq;
    q.prepare_query(&sample()[7 * kDim], m, &pq);
    pq.kernels = table;
    std::vector<float> out(kCodes);
    for (auto _ : st) {
        distances(pq, codes.data(), kCodes, cs, out.data());
        benchmark::DoNotOptimize(out.data());
    }
    st.SetItemsProcessed(int64_t(st.iterations() * kCodes));
    st.SetBytesProcessed(int64_t(st.iterations() * kCodes * cs));
    static const char* metric_names[] = {"l2", "ip", "cosine"};
    st.SetLabel(std::string(encoding_name(e)) + " " + metric_names[int(m)] + " " + table->name);
}

/// bq1 hamming pass (binarized query, popcount) over kCodes codes.
void QuantBq1Hamming(benchmark::State& st) {
    Quantizer q = trained(Encoding::bq1);
    const size_t cs = q.code_size();
    std::vector<uint8_t> codes(kCodes * cs);
    for (size_t r = 0; r < kCodes; r++)
        q.encode(&sample()[r * kDim], &codes[r * cs]);
    PreparedQuery pq;
    q.prepare_query(&sample()[7 * kDim], Metric::l2, &pq);
    for (auto _ : st) {
        uint64_t s = 0;
        for (size_t r = 0; r < kCodes; r++)
            s += hamming(pq, &codes[r * cs]);
        benchmark::DoNotOptimize(s);
    }
    st.SetBytesProcessed(int64_t(st.iterations() * kCodes * cs));
}

void encodings(benchmark::internal::Benchmark* b) {
    for (int e = 0; e <= int(Encoding::bq1); e++)
        b->Arg(e);
}

void distance_args(benchmark::internal::Benchmark* b) {
    for (int e = 0; e <= int(Encoding::bq1); e++)
        for (int m = 0; m < 3; m++)
            for (int isa : {0, 1, 2})
                if (e != 0 || isa == 0)  // f32 uses vx::simd's kernels, not these tables
                    b->Args({e, m, isa});
    for (int m = 0; m < 3; m++)  // bq1 with the VNNI batch kernel
        b->Args({int(Encoding::bq1), m, 3});
}

/// Rows of an .fvecs / .ivecs file (little-endian int32 dim, then dim values).
template <class T>
std::vector<T> read_vecs(const std::string& path, size_t* dim) {
    std::ifstream f(path, std::ios::binary);
    std::vector<T> out;
    int32_t d = 0;
    while (f.read(reinterpret_cast<char*>(&d), 4)) {
        const size_t at = out.size();
        out.resize(at + size_t(d));
        f.read(reinterpret_cast<char*>(&out[at]), std::streamsize(d) * std::streamsize(sizeof(T)));
    }
    *dim = size_t(d);
    return out;
}

/// Exact distance of metric m (for rescoring).
float exact_distance(const float* a, const float* b, size_t n, Metric m) {
    double dot = 0, na = 0, nb = 0, l2 = 0;
    for (size_t i = 0; i < n; i++) {
        dot += double(a[i]) * b[i];
        na += double(a[i]) * a[i];
        nb += double(b[i]) * b[i];
        l2 += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
    }
    return m == Metric::l2 ? float(l2) : m == Metric::inner_product ? float(-dot)
                                                                    : float(1 - dot / std::sqrt(na * nb));
}

/// Flat-scan recall of one level on the VX_QUANT_DATA set (see the file comment).
void QuantRecall(benchmark::State& st, std::string dir, Encoding e) {
    static size_t dim = 0, qdim = 0, k_gt = 0;  // the data set is read once
    static std::vector<float> base, queries;
    static std::vector<int32_t> gt;
    static Metric metric = Metric::l2;
    if (base.empty()) {
        base = read_vecs<float>(dir + "/base.fvecs", &dim);
        queries = read_vecs<float>(dir + "/query.fvecs", &qdim);
        gt = read_vecs<int32_t>(dir + "/groundtruth.ivecs", &k_gt);
        std::ifstream info(dir + "/info.json");
        std::string text((std::istreambuf_iterator<char>(info)), std::istreambuf_iterator<char>());
        metric = text.find("\"cosine\"") != std::string::npos ? Metric::cosine
                 : text.find("\"ip\"") != std::string::npos   ? Metric::inner_product
                                                                : Metric::l2;
    }
    const size_t n = base.size() / dim, nq = queries.size() / dim, k = 10;
    // VX_QUANT_NORMALIZE=1: cosine data normalized before training and encoding
    // (as an index that normalizes for cosine does); =ip: then searched by
    // inner product instead of cosine.
    static const bool normalize = [&] {
        const char* v = std::getenv("VX_QUANT_NORMALIZE");
        if (v == nullptr || metric != Metric::cosine)
            return false;
        for (std::vector<float>* m : {&base, &queries})
            for (size_t r = 0; r < m->size() / dim; r++) {
                float* x = &(*m)[r * dim];
                double s = 0;
                for (size_t i = 0; i < dim; i++)
                    s += double(x[i]) * x[i];
                for (size_t i = 0; i < dim; i++)
                    x[i] = float(x[i] / std::sqrt(s));
            }
        if (std::getenv("VX_QUANT_NORMALIZE")[0] == 'i')
            metric = Metric::inner_product;
        return true;
    }();
    (void)normalize;
    Quantizer q(e);
    q.train(base.data(), std::min<size_t>(n, 20000), dim);
    const size_t cs = q.code_size();
    std::vector<uint8_t> codes(n * cs);
    for (size_t r = 0; r < n; r++)
        q.encode(&base[r * dim], &codes[r * cs]);
    const float over = std::max(1.0f, level_of(e).default_oversample);
    const size_t raw = size_t(std::ceil(over * k));
    // Candidate counts: oversample * k, its clamp to [100, 10000], and more.
    const size_t counts[] = {raw, std::clamp<size_t>(raw, 100, 10000), 200, 400};
    double hits[4] = {0, 0, 0, 0};
    std::vector<float> d(n);
    std::vector<size_t> id(n);
    for (auto _ : st)
        for (size_t j = 0; j < nq; j++) {
            PreparedQuery pq;
            q.prepare_query(&queries[j * dim], metric, &pq);
            distances(pq, codes.data(), n, cs, d.data());
            std::iota(id.begin(), id.end(), 0);
            std::partial_sort(id.begin(), id.begin() + 400, id.end(),
                              [&](size_t a, size_t b) { return d[a] < d[b]; });
            for (int c = 0; c < 4; c++) {
                std::vector<std::pair<float, size_t>> rs;
                for (size_t t = 0; t < counts[c]; t++)
                    rs.push_back({exact_distance(&queries[j * dim], &base[id[t] * dim], dim, metric), id[t]});
                std::partial_sort(rs.begin(), rs.begin() + long(k), rs.end());
                for (size_t t = 0; t < k; t++)
                    hits[c] += double(std::count(&gt[j * k_gt], &gt[j * k_gt] + k, int32_t(rs[t].second)));
            }
        }
    st.counters["r_raw"] = hits[0] / double(nq * k);
    st.counters["r_clamped"] = hits[1] / double(nq * k);
    st.counters["r_200"] = hits[2] / double(nq * k);
    st.counters["r_400"] = hits[3] / double(nq * k);
    st.counters["raw"] = double(raw);
    st.counters["code_bytes"] = double(cs);
    st.SetLabel(std::string(level_of(e).name) + " " + encoding_name(e));
}

/// Registers QuantRecall per level when VX_QUANT_DATA names a data directory.
const bool kRecallRegistered = [] {
    const char* dir = std::getenv("VX_QUANT_DATA");
    if (dir == nullptr)
        return false;
    for (const LevelInfo& l : kLevels)
        benchmark::RegisterBenchmark((std::string("QuantRecall/") + l.name).c_str(),
                                     [d = std::string(dir), e = l.encoding](benchmark::State& st) {
                                         QuantRecall(st, d, e);
                                     })
            ->Iterations(1)
            ->Unit(benchmark::kSecond);
    return true;
}();

BENCHMARK(QuantEncode)->Apply(encodings);
BENCHMARK(QuantDistances)->Apply(distance_args);
BENCHMARK(QuantBq1Hamming);

}  // namespace
}  // namespace vx::quant

// The kernel benchmark file of src/core/simd brings its own main(), which runs
// these too (they register statically); this weak one only serves a binary
// built without it.
__attribute__((weak)) int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
