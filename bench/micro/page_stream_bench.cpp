// The binary index scan's memory pattern, without PostgreSQL: 12659 pages of
// 8 kB scattered in a 100 MB arena (as shared buffers are), 79 bq1 codes of
// 768 bits on each, code distances of every page in turn. What the scan
// should tell the CPU about the pages ahead (src/pg/binary/scan.cpp):
//   ahead = 0    no hint
//   ahead = -1   prefetch the whole next page before scanning a page
//   ahead = k    after each slice of `slice` codes, prefetch the same share
//                of the page k ahead
// Run: build/vx_bench_kernels --benchmark_filter=PageStream
//
// Measured 2026-12-04 on the 2-vCPU Xeon (AVX-512 VNNI) VM, quiet, one core,
// medians of 3 (ms per pass over the 96 MB of codes):
//   none 18.8, whole next page 21.1; slices of 8 codes, 1 / 2 / 3 / 5 pages
//   ahead 13.6 / 13.5 / 13.9 / 14.5; slices of 4 / 40 codes, 3 ahead 14.3 / 18.1.
// In the server (bench/binary_scan.sh), 3 ahead beat 2 and 4 by 2-5 %.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

#include "core/quant/quantizer.h"

namespace vx::quant {
namespace {

constexpr size_t kDim = 768, kStride = kDim / 8, kPerPage = 79, kPages = 12659, kPageSize = 8192,
                 kHeader = 24;

void PageStream(benchmark::State& st) {
    const int ahead = int(st.range(0));
    const size_t slice = size_t(st.range(1));
    std::mt19937 rng(7);
    std::normal_distribution<float> g(0.0f, 1.0f);
    std::vector<float> x(200 * kDim);
    for (float& v : x)
        v = g(rng);
    Quantizer q(Encoding::bq1);
    q.train(x.data(), 200, kDim);
    PreparedQuery pq;
    q.prepare_query(x.data(), Metric::l2, &pq);
    std::vector<uint8_t> arena(kPages * kPageSize);
    for (uint8_t& b : arena)
        b = uint8_t(rng());
    std::vector<size_t> order(kPages);
    std::iota(order.begin(), order.end(), size_t(0));
    std::shuffle(order.begin(), order.end(), rng);
    auto page = [&](size_t b) { return arena.data() + order[std::min(b, kPages - 1)] * kPageSize; };
    float out[kPerPage];
    for (auto _ : st) {
        for (size_t b = 0; b < kPages; b++) {
            const uint8_t* codes = page(b) + kHeader;
            if (ahead == -1)
                for (size_t o = 0; o < kPageSize; o += 64)
                    __builtin_prefetch(page(b + 1) + o);
            if (ahead <= 0) {
                distances(pq, codes, kPerPage, kStride, out);
            } else {
                const uint8_t* next = page(b + size_t(ahead));
                size_t hinted = 0;
                for (size_t from = 0; from < kPerPage; from += slice) {
                    const size_t n = std::min(slice, kPerPage - from);
                    for (const size_t upto = kPageSize * (from + n) / kPerPage; hinted < upto; hinted += 64)
                        __builtin_prefetch(next + hinted);
                    distances(pq, codes + from * kStride, n, kStride, out + from);
                }
            }
            benchmark::DoNotOptimize(out);
        }
    }
    st.SetBytesProcessed(int64_t(st.iterations() * kPages * kPerPage * kStride));
}

BENCHMARK(PageStream)
    ->Args({0, 79})
    ->Args({-1, 79})
    ->Args({1, 8})
    ->Args({2, 8})
    ->Args({3, 8})
    ->Args({5, 8})
    ->Args({3, 4})
    ->Args({3, 40})
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace vx::quant
