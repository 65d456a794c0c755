// Every kernel of every SIMD table the CPU supports, checked against the scalar
// reference table: random data at many lengths and unaligned offsets, extreme
// int8 values, inputs that end right at an unreadable page, and the dispatcher.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/simd/distance.h"

namespace vx::simd {

/// Failure messages show the instruction set by name (found by gtest via ADL).
void PrintTo(Isa isa, std::ostream* os) {
    *os << (isa == Isa::avx512 ? "avx512" : isa == Isa::avx2 ? "avx2" : "scalar");
}

namespace {

/// Lengths in elements (bytes for the bit kernels): the brief's list plus the
/// edges of the 8/16/32/64-wide loops.
const std::vector<size_t> kLengths = {1, 3, 7, 15, 16, 17, 1000, 16000, 31, 32, 33, 63, 64, 65, 127, 128, 129};
/// Bit dimensions for the bit kernels (stored as ceil(bits / 8) bytes).
const std::vector<size_t> kBitDims = {1, 3, 7, 15, 16, 17, 1000, 16000};
/// Start offsets in elements, so vectors are not 32- or 64-byte aligned.
const std::vector<size_t> kOffsets = {0, 1, 3};

/// CPU flags as Linux reports them (the kernel hides what the OS does not enable).
std::set<std::string> cpu_flags() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("flags", 0) == 0) {
            std::istringstream words(line.substr(line.find(':') + 1));
            return {std::istream_iterator<std::string>(words), std::istream_iterator<std::string>()};
        }
    }
    return {};
}

/// Whether /proc/cpuinfo lists every flag in want.
bool has_flags(std::initializer_list<const char*> want) {
    static const std::set<std::string> flags = cpu_flags();
    for (const char* f : want)
        if (flags.count(f) == 0)
            return false;
    return true;
}

bool cpu_has(Isa isa) {
    switch (isa) {
    case Isa::scalar:
        return true;
    case Isa::avx2:
        return has_flags({"avx2", "fma"});
    case Isa::avx512:
        return has_flags({"avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_vpopcntdq"});
    }
    return false;
}

/// Allowed difference between two float sums of terms whose absolute values
/// add up to magnitude: summation order changes rounding, not more.
double tolerance(double magnitude) {
    return 1e-5 * magnitude + 1e-6;
}

std::vector<float> random_floats(size_t n, uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> v(n);
    for (float& x : v)
        x = u(rng);
    return v;
}

std::vector<int8_t> random_i8(size_t n, uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> u(-128, 127);
    std::vector<int8_t> v(n);
    for (int8_t& x : v)
        x = int8_t(u(rng));
    return v;
}

std::vector<uint8_t> random_bytes(size_t n, uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> u(0, 255);
    std::vector<uint8_t> v(n);
    for (uint8_t& x : v)
        x = uint8_t(u(rng));
    return v;
}

/// Compares the float kernels of t with the scalar table on a[0..n), b[0..n).
void expect_f32_match(const Kernels& t, const float* a, const float* b, size_t n) {
    const Kernels& s = *for_isa(Isa::scalar);
    double m_l2 = 0, m_dot = 0, m_l1 = 0, m_aa = 0, m_bb = 0;
    for (size_t i = 0; i < n; i++) {
        double d = double(a[i]) - double(b[i]);
        m_l2 += d * d;
        m_dot += std::fabs(double(a[i]) * double(b[i]));
        m_l1 += std::fabs(d);
        m_aa += double(a[i]) * double(a[i]);
        m_bb += double(b[i]) * double(b[i]);
    }
    EXPECT_NEAR(t.l2sq_f32(a, b, n), s.l2sq_f32(a, b, n), tolerance(m_l2)) << "l2sq n=" << n;
    EXPECT_NEAR(t.dot_f32(a, b, n), s.dot_f32(a, b, n), tolerance(m_dot)) << "dot n=" << n;
    EXPECT_NEAR(t.l1_f32(a, b, n), s.l1_f32(a, b, n), tolerance(m_l1)) << "l1 n=" << n;
    CosineSums c = t.cosine_f32(a, b, n), r = s.cosine_f32(a, b, n);
    EXPECT_NEAR(c.dot, r.dot, tolerance(m_dot)) << "cosine.dot n=" << n;
    EXPECT_NEAR(c.norm_a, r.norm_a, tolerance(m_aa)) << "cosine.norm_a n=" << n;
    EXPECT_NEAR(c.norm_b, r.norm_b, tolerance(m_bb)) << "cosine.norm_b n=" << n;
}

/// Compares the int8 kernels of t with the scalar table, exactly.
void expect_i8_match(const Kernels& t, const int8_t* a, const int8_t* b, size_t n) {
    const Kernels& s = *for_isa(Isa::scalar);
    EXPECT_EQ(t.l2sq_i8(a, b, n), s.l2sq_i8(a, b, n)) << "l2sq n=" << n;
    EXPECT_EQ(t.dot_i8(a, b, n), s.dot_i8(a, b, n)) << "dot n=" << n;
    EXPECT_EQ(t.l1_i8(a, b, n), s.l1_i8(a, b, n)) << "l1 n=" << n;
    CosineSumsI8 c = t.cosine_i8(a, b, n), r = s.cosine_i8(a, b, n);
    EXPECT_EQ(c.dot, r.dot) << "cosine.dot n=" << n;
    EXPECT_EQ(c.norm_a, r.norm_a) << "cosine.norm_a n=" << n;
    EXPECT_EQ(c.norm_b, r.norm_b) << "cosine.norm_b n=" << n;
}

/// Compares the bit kernels of t with the scalar table, exactly.
void expect_bits_match(const Kernels& t, const uint8_t* a, const uint8_t* b, size_t n) {
    const Kernels& s = *for_isa(Isa::scalar);
    EXPECT_EQ(t.popcount(a, n), s.popcount(a, n)) << "popcount n=" << n;
    EXPECT_EQ(t.hamming(a, b, n), s.hamming(a, b, n)) << "hamming n=" << n;
    uint64_t ta = 0, to = 0, sa = 0, so = 0;
    t.and_or_popcount(a, b, n, &ta, &to);
    s.and_or_popcount(a, b, n, &sa, &so);
    EXPECT_EQ(ta, sa) << "and n=" << n;
    EXPECT_EQ(to, so) << "or n=" << n;
}

/// Maps two pages, the second unreadable; vectors placed to end at the boundary
/// prove a kernel reads nothing past its last element.
class GuardedPage {
  public:
    GuardedPage() {
        page_ = size_t(sysconf(_SC_PAGESIZE));
        void* p = mmap(nullptr, 2 * page_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        base_ = p == MAP_FAILED ? nullptr : static_cast<uint8_t*>(p);
        if (base_ != nullptr)
            mprotect(base_ + page_, page_, PROT_NONE);
    }
    ~GuardedPage() {
        if (base_ != nullptr)
            munmap(base_, 2 * page_);
    }
    bool ok() const { return base_ != nullptr; }
    /// Copies nbytes of src so that they end right before the unreadable page.
    template <class T>
    const T* place_at_end(const std::vector<T>& src) {
        size_t nbytes = src.size() * sizeof(T);
        uint8_t* dst = base_ + page_ - nbytes;
        std::memcpy(dst, src.data(), nbytes);
        return reinterpret_cast<const T*>(dst);
    }

  private:
    size_t page_ = 0;
    uint8_t* base_ = nullptr;
};


class SimdVsScalar : public ::testing::TestWithParam<Isa> {
  protected:
    void SetUp() override {
        table_ = for_isa(GetParam());
        if (table_ == nullptr)
            GTEST_SKIP() << "CPU lacks this instruction set";
    }
    const Kernels* table_ = nullptr;
};

TEST_P(SimdVsScalar, Float32RandomUnaligned) {
    uint32_t seed = 1;
    for (size_t n : kLengths) {
        for (size_t off : kOffsets) {
            std::vector<float> a = random_floats(n + off, seed++), b = random_floats(n + off, seed++);
            expect_f32_match(*table_, a.data() + off, b.data() + off, n);
        }
    }
}

TEST_P(SimdVsScalar, Int8RandomUnaligned) {
    uint32_t seed = 100;
    for (size_t n : kLengths) {
        for (size_t off : kOffsets) {
            std::vector<int8_t> a = random_i8(n + off, seed++), b = random_i8(n + off, seed++);
            expect_i8_match(*table_, a.data() + off, b.data() + off, n);
        }
    }
}

TEST_P(SimdVsScalar, BitsRandomUnalignedByteLengths) {
    uint32_t seed = 200;
    for (size_t n : kLengths) {
        for (size_t off : kOffsets) {
            std::vector<uint8_t> a = random_bytes(n + off, seed++), b = random_bytes(n + off, seed++);
            expect_bits_match(*table_, a.data() + off, b.data() + off, n);
        }
    }
}

TEST_P(SimdVsScalar, BitsRandomBitDimensions) {
    uint32_t seed = 300;
    for (size_t bits : kBitDims) {
        size_t n = (bits + 7) / 8;
        std::vector<uint8_t> a = random_bytes(n, seed++), b = random_bytes(n, seed++);
        if (bits % 8 != 0) {  // padding bits past the dimension are zero
            a[n - 1] &= uint8_t((1u << (bits % 8)) - 1);
            b[n - 1] &= uint8_t((1u << (bits % 8)) - 1);
        }
        expect_bits_match(*table_, a.data(), b.data(), n);
    }
}

TEST_P(SimdVsScalar, ZeroLength) {
    float f = 1;
    int8_t i = 1;
    uint8_t u = 1;
    EXPECT_EQ(table_->l2sq_f32(&f, &f, 0), 0.0f);
    EXPECT_EQ(table_->dot_f32(&f, &f, 0), 0.0f);
    EXPECT_EQ(table_->l1_i8(&i, &i, 0), 0);
    EXPECT_EQ(table_->cosine_i8(&i, &i, 0).norm_a, 0);
    EXPECT_EQ(table_->hamming(&u, &u, 0), 0u);
    EXPECT_EQ(table_->popcount(&u, 0), 0u);
}

// -128 * -128 pairs are where vpmaddubsw would saturate and a 16-bit sum would
// overflow; 70000 elements also cross the int32 flush block and need int64.
TEST_P(SimdVsScalar, Int8ExtremesExact) {
    for (size_t n : {size_t(1), size_t(31), size_t(64), size_t(1000), size_t(70000)}) {
        std::vector<int8_t> lo(n, -128), hi(n, 127);
        const int64_t m = int64_t(n);
        EXPECT_EQ(table_->l2sq_i8(lo.data(), hi.data(), n), m * 255 * 255) << n;
        EXPECT_EQ(table_->dot_i8(lo.data(), lo.data(), n), m * 16384) << n;
        EXPECT_EQ(table_->dot_i8(lo.data(), hi.data(), n), -m * 16256) << n;
        EXPECT_EQ(table_->l1_i8(lo.data(), hi.data(), n), m * 255) << n;
        EXPECT_EQ(table_->l1_i8(hi.data(), lo.data(), n), m * 255) << n;
        CosineSumsI8 c = table_->cosine_i8(lo.data(), hi.data(), n);
        EXPECT_EQ(c.dot, -m * 16256) << n;
        EXPECT_EQ(c.norm_a, m * 16384) << n;
        EXPECT_EQ(c.norm_b, m * 16129) << n;
        // alternating extremes, against the reference
        for (size_t k = 0; k < n; k++)
            lo[k] = (k % 3 == 0) ? int8_t(127) : int8_t(-128);
        expect_i8_match(*table_, lo.data(), hi.data(), n);
    }
}

TEST_P(SimdVsScalar, AllOnesBits) {
    for (size_t n : {size_t(1), size_t(33), size_t(200), size_t(100000)}) {
        std::vector<uint8_t> ones(n, 0xff), zeros(n, 0);
        EXPECT_EQ(table_->popcount(ones.data(), n), 8 * n);
        EXPECT_EQ(table_->hamming(ones.data(), zeros.data(), n), 8 * n);
        uint64_t x = 0, y = 0;
        table_->and_or_popcount(ones.data(), zeros.data(), n, &x, &y);
        EXPECT_EQ(x, 0u);
        EXPECT_EQ(y, 8 * n);
    }
}

// Inputs end right at an unreadable page: any load past the end would crash.
TEST_P(SimdVsScalar, NoReadPastEnd) {
    GuardedPage ga, gb;
    ASSERT_TRUE(ga.ok() && gb.ok());
    uint32_t seed = 400;
    for (size_t n : {size_t(1), size_t(3), size_t(7), size_t(15), size_t(17), size_t(33), size_t(65), size_t(129)}) {
        expect_f32_match(*table_, ga.place_at_end(random_floats(n, seed)), gb.place_at_end(random_floats(n, seed + 1)), n);
        expect_i8_match(*table_, ga.place_at_end(random_i8(n, seed)), gb.place_at_end(random_i8(n, seed + 1)), n);
        expect_bits_match(*table_, ga.place_at_end(random_bytes(n, seed)), gb.place_at_end(random_bytes(n, seed + 1)), n);
        seed += 2;
    }
}

INSTANTIATE_TEST_SUITE_P(Kernels, SimdVsScalar, ::testing::Values(Isa::avx2, Isa::avx512),
                         [](const ::testing::TestParamInfo<Isa>& info) {
                             return std::string(info.param == Isa::avx2 ? "avx2" : "avx512");
                         });

// A table the CPU can run must be there: a build that silently drops to scalar
// on an AVX-512 machine should fail here, not only run slower.
TEST(Dispatch, TablesPresentWhenCpuSupportsThem) {
    for (Isa isa : {Isa::scalar, Isa::avx2, Isa::avx512}) {
        const Kernels* t = for_isa(isa);
        EXPECT_EQ(t != nullptr, cpu_has(isa)) << "isa " << int(isa);
        if (t != nullptr) {
            EXPECT_EQ(t->isa, isa);
        }
    }
}

TEST(Dispatch, ActiveIsBestOrRequested) {
    const Kernels& best = for_name(nullptr);
    Isa want = cpu_has(Isa::avx512) ? Isa::avx512 : cpu_has(Isa::avx2) ? Isa::avx2 : Isa::scalar;
    EXPECT_EQ(best.isa, want);
    const char* env = std::getenv("VECTOR_EXT_ISA");
    EXPECT_EQ(&active(), &for_name(env));
}

TEST(Dispatch, ForNameOverride) {
    const Kernels& best = for_name(nullptr);
    EXPECT_EQ(for_name("scalar").isa, Isa::scalar);
    EXPECT_EQ(&for_name("avx2"), cpu_has(Isa::avx2) ? for_isa(Isa::avx2) : &best);
    EXPECT_EQ(&for_name("avx512"), cpu_has(Isa::avx512) ? for_isa(Isa::avx512) : &best);
    EXPECT_EQ(&for_name("sse9"), &best);
    EXPECT_EQ(&for_name(""), &best);
}

}  // namespace
}  // namespace vx::simd
