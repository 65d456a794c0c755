// Quantizer micro-benchmarks at 768 dimensions: encode throughput and batch
// code-distance throughput (bytes of codes scanned per second) per encoding,
// metric and instruction set. Run: build/vx_bench_kernels --benchmark_filter=Quant
#include <benchmark/benchmark.h>

#include <random>
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
    const Isa isa = Isa(st.range(2));
    if (!kernels_for_isa(isa)) {
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
    pq.kernels = kernels_for_isa(isa);
    std::vector<float> out(kCodes);
    for (auto _ : st) {
        distances(pq, codes.data(), kCodes, cs, out.data());
        benchmark::DoNotOptimize(out.data());
    }
    st.SetItemsProcessed(int64_t(st.iterations() * kCodes));
    st.SetBytesProcessed(int64_t(st.iterations() * kCodes * cs));
    static const char* metric_names[] = {"l2", "ip", "cosine"};
    st.SetLabel(std::string(encoding_name(e)) + " " + metric_names[int(m)] + " " +
                kernels_for_isa(isa)->name);
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
}

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
