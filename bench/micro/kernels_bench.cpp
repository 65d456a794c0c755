// Google Benchmark of every distance kernel in every table the CPU supports, at
// 128, 768 and 1536 dimensions. Throughput counts the bytes of both operands
// (one operand for popcount), so the output reads as GB/s per kernel and ISA.
// Bit kernels take the dimension in bits: 768 dims = 96 bytes per vector.
//
//   build/vx_bench_kernels --benchmark_min_time=0.1
//   build/vx_bench_kernels --benchmark_filter='l2sq_f32/.*/768'
#include <benchmark/benchmark.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "core/simd/distance.h"

namespace {

using vx::simd::Isa;
using vx::simd::Kernels;

enum class Elem { f32, i8, bits };

/// One kernel: its element type, operands read, and a call through a table.
struct KernelCase {
    const char* name;
    Elem elem;
    int operands;
    void (*run)(const Kernels& k, const void* a, const void* b, size_t n);
};

template <class T>
const T* as(const void* p) {
    return static_cast<const T*>(p);
}

const KernelCase kCases[] = {
    {"l2sq_f32", Elem::f32, 2,
     [](const Kernels& k, const void* a, const void* b, size_t n) {
         benchmark::DoNotOptimize(k.l2sq_f32(as<float>(a), as<float>(b), n));
     }},
    {"dot_f32", Elem::f32, 2,
     [](const Kernels& k, const void* a, const void* b, size_t n) {
         benchmark::DoNotOptimize(k.dot_f32(as<float>(a), as<float>(b), n));
     }},
    {"l1_f32", Elem::f32, 2,
     [](const Kernels& k, const void* a, const void* b, size_t n) {
         benchmark::DoNotOptimize(k.l1_f32(as<float>(a), as<float>(b), n));
     }},
    {"cosine_f32", Elem::f32, 2,
     [](const Kernels& k, const void* a, const void* b, size_t n) {
         benchmark::DoNotOptimize(k.cosine_f32(as<float>(a), as<float>(b), n));
     }},
    {"l2sq_i8", Elem::i8, 2,
     [](const Kernels& k, const void* a, const void* b, size_t n) {
         benchmark::DoNotOptimize(k.l2sq_i8(as<int8_t>(a), as<int8_t>(b), n));
     }},
    {"dot_i8", Elem::i8, 2,
     [](const Kernels& k, const void* a, const void* b, size_t n) {
         benchmark::DoNotOptimize(k.dot_i8(as<int8_t>(a), as<int8_t>(b), n));
     }},
    {"l1_i8", Elem::i8, 2,
     [](const Kernels& k, const void* a, const void* b, size_t n) {
         benchmark::DoNotOptimize(k.l1_i8(as<int8_t>(a), as<int8_t>(b), n));
     }},
    {"cosine_i8", Elem::i8, 2,
     [](const Kernels& k, const void* a, const void* b, size_t n) {
         benchmark::DoNotOptimize(k.cosine_i8(as<int8_t>(a), as<int8_t>(b), n));
     }},
    {"popcount", Elem::bits, 1,
     [](const Kernels& k, const void* a, const void*, size_t n) {
         benchmark::DoNotOptimize(k.popcount(as<uint8_t>(a), n));
     }},
    {"hamming", Elem::bits, 2,
     [](const Kernels& k, const void* a, const void* b, size_t n) {
         benchmark::DoNotOptimize(k.hamming(as<uint8_t>(a), as<uint8_t>(b), n));
     }},
    {"and_or_popcount", Elem::bits, 2,
     [](const Kernels& k, const void* a, const void* b, size_t n) {
         uint64_t x, y;
         k.and_or_popcount(as<uint8_t>(a), as<uint8_t>(b), n, &x, &y);
         benchmark::DoNotOptimize(x);
         benchmark::DoNotOptimize(y);
     }},
};

/// Random bytes; valid as floats too (the generator keeps them finite).
std::vector<uint8_t> random_operand(Elem elem, size_t nbytes, uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<uint8_t> v(nbytes);
    if (elem == Elem::f32) {
        std::uniform_real_distribution<float> u(-1.0f, 1.0f);
        for (size_t i = 0; i + 4 <= nbytes; i += 4) {
            float f = u(rng);
            std::memcpy(&v[i], &f, 4);
        }
    } else {
        for (uint8_t& x : v)
            x = uint8_t(rng());
    }
    return v;
}

/// Runs one kernel of one table at state.range(0) dimensions.
void run_case(benchmark::State& state, const Kernels* table, const KernelCase* c) {
    const size_t dims = size_t(state.range(0));
    const size_t n = c->elem == Elem::bits ? dims / 8 : dims;  // kernel length argument
    const size_t nbytes = c->elem == Elem::f32 ? dims * 4 : n;
    std::vector<uint8_t> a = random_operand(c->elem, nbytes, 1), b = random_operand(c->elem, nbytes, 2);
    for (auto _ : state)
        c->run(*table, a.data(), b.data(), n);
    state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(nbytes) * c->operands);
}

}  // namespace

int main(int argc, char** argv) {
    for (const KernelCase& c : kCases) {
        for (Isa isa : {Isa::scalar, Isa::avx2, Isa::avx512}) {
            const Kernels* t = vx::simd::for_isa(isa);
            if (t == nullptr)
                continue;
            std::string name = std::string(c.name) + "/" + t->name;
            benchmark::RegisterBenchmark(name.c_str(), run_case, t, &c)->Arg(128)->Arg(768)->Arg(1536);
        }
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
