// Every quantizer kernel of every instruction set against the scalar reference,
// on inputs that end exactly at a guard page so an over-read faults.
#include <gtest/gtest.h>
#include <immintrin.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "core/quant/code_layout.h"
#include "core/quant/encoding.h"
#include "core/quant/half.h"
#include "core/quant/kernels.h"

namespace vx::quant {
namespace {

/// Memory whose last byte sits just before an inaccessible page.
class Guarded {
public:
    explicit Guarded(size_t bytes) {
        page_ = size_t(sysconf(_SC_PAGESIZE));
        span_ = (bytes + page_ - 1) / page_ * page_ + page_;
        base_ = static_cast<uint8_t*>(mmap(nullptr, span_, PROT_READ | PROT_WRITE,
                                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
        mprotect(base_ + span_ - page_, page_, PROT_NONE);
        data_ = base_ + span_ - page_ - bytes;
    }
    ~Guarded() { munmap(base_, span_); }
    Guarded(const Guarded&) = delete;
    Guarded& operator=(const Guarded&) = delete;
    uint8_t* bytes() { return data_; }
    float* floats() { return reinterpret_cast<float*>(data_); }

private:
    size_t page_, span_;
    uint8_t* base_;
    uint8_t* data_;
};

/// n floats at the end of a guarded region.
struct GuardedFloats {
    Guarded g;
    float* p;
    GuardedFloats(size_t n, std::mt19937& rng, float lo, float hi) : g(n * 4), p(g.floats()) {
        std::uniform_real_distribution<float> u(lo, hi);
        for (size_t i = 0; i < n; i++)
            p[i] = u(rng);
    }
};

const size_t kDims[] = {1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 100,
                        127, 128, 129, 200, 255, 256, 300, 768, 1000, 1536};

std::vector<const QuantKernels*> simd_tables() {
    std::vector<const QuantKernels*> v;
    for (Isa isa : {Isa::avx2, Isa::avx512})
        if (const QuantKernels* k = kernels_for_isa(isa))
            v.push_back(k);
    if (const QuantKernels* k = avx512_vnni_kernels())
        v.push_back(k);
    return v;
}

/// |a - b| within a relative tolerance of the magnitude `scale` of the sum's terms.
void expect_close(float got, float want, float scale, const char* what, const char* isa, size_t n) {
    EXPECT_NEAR(got, want, 1e-5f * scale + 1e-5f) << what << " isa=" << isa << " n=" << n;
}

TEST(QuantKernels, TablesPresentOnThisCpu) {
    EXPECT_EQ(kernels_for_isa(Isa::scalar)->isa, Isa::scalar);
    const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                        __builtin_cpu_supports("avx512vpopcntdq");
    if (avx512) {
        EXPECT_EQ(active_kernels().isa, Isa::avx512);
    }
    std::printf("active quantizer kernels: %s\n", active_kernels().name);
}

TEST(QuantKernels, UintKernelsMatchScalar) {
    const QuantKernels& ref = *kernels_for_isa(Isa::scalar);
    std::mt19937 rng(1);
    for (const QuantKernels* k : simd_tables())
        for (int bits : {8, 4, 2})
            for (size_t n : kDims) {
                const size_t cs = code_size(bits == 8 ? Encoding::sq8 : bits == 4 ? Encoding::sq4 : Encoding::sq2, n);
                Guarded code(cs);
                for (size_t i = 0; i < cs; i++)
                    code.bytes()[i] = uint8_t(rng());
                // wl2 weights are step^2 >= 0 and u spans the code range and beyond.
                GuardedFloats w(n, rng, -1, 1), w2(n, rng, 0, 1), u(n, rng, -2, 260), lo(n, rng, -1, 1),
                    st(n, rng, 0, 0.1f), q(n, rng, -1, 1);
                const UintKernels& r = bits == 8 ? ref.u8 : bits == 4 ? ref.u4 : ref.u2;
                const UintKernels& s = bits == 8 ? k->u8 : bits == 4 ? k->u4 : k->u2;
                const float top = float((1 << bits) - 1);
                expect_close(s.wdot(w.p, code.bytes(), n), r.wdot(w.p, code.bytes(), n), n * top, "wdot", k->name, n);
                float want = r.wl2(u.p, w2.p, code.bytes(), n);
                expect_close(s.wl2(u.p, w2.p, code.bytes(), n), want, std::fabs(want), "wl2", k->name, n);
                DotNorm a = s.cosine(q.p, lo.p, st.p, code.bytes(), n);
                DotNorm b = r.cosine(q.p, lo.p, st.p, code.bytes(), n);
                expect_close(a.dot, b.dot, n * 30, "cosine.dot", k->name, n);
                expect_close(a.norm, b.norm, n * 300, "cosine.norm", k->name, n);
            }
}

TEST(QuantKernels, HalfKernelsMatchScalar) {
    const QuantKernels& ref = *kernels_for_isa(Isa::scalar);
    std::mt19937 rng(2);
    std::uniform_real_distribution<float> u(-4, 4);
    for (const QuantKernels* k : simd_tables())
        for (size_t n : kDims) {
            Guarded code(n * 2);
            uint16_t* h = reinterpret_cast<uint16_t*>(code.bytes());
            for (size_t i = 0; i < n; i++)
                h[i] = float_to_half(u(rng));
            GuardedFloats q(n, rng, -4, 4);
            expect_close(k->l2_f16(q.p, h, n), ref.l2_f16(q.p, h, n), n * 64, "l2_f16", k->name, n);
            expect_close(k->dot_f16(q.p, h, n), ref.dot_f16(q.p, h, n), n * 16, "dot_f16", k->name, n);
            DotNorm a = k->cosine_f16(q.p, h, n), b = ref.cosine_f16(q.p, h, n);
            expect_close(a.dot, b.dot, n * 16, "cosine_f16.dot", k->name, n);
            expect_close(a.norm, b.norm, n * 16, "cosine_f16.norm", k->name, n);
        }
}

void expect_same(const BitSums& a, const BitSums& b, const char* isa, size_t n) {
    EXPECT_EQ(a.sum, b.sum) << isa << " n=" << n;
    EXPECT_EQ(a.count, b.count) << isa << " n=" << n;
    EXPECT_EQ(a.sum2, b.sum2) << isa << " n=" << n;
}

TEST(QuantKernels, BitKernelsMatchScalar) {
    const QuantKernels& ref = *kernels_for_isa(Isa::scalar);
    std::mt19937 rng(3);
    for (const QuantKernels* k : simd_tables())
        for (size_t n : kDims) {
            const size_t cs = (n + 7) / 8;
            Guarded code(cs), wq(bit_weight_bytes(n)), wq2(bit_weight_bytes(n));
            for (size_t i = 0; i < cs; i++)
                code.bytes()[i] = uint8_t(rng());
            for (size_t i = 0; i < bit_weight_bytes(n); i++) {
                wq.bytes()[i] = i < n ? uint8_t(rng()) : 0;
                wq2.bytes()[i] = i < n ? uint8_t(rng()) : 0;
            }
            for (const uint8_t* w2 : {static_cast<const uint8_t*>(nullptr), static_cast<const uint8_t*>(wq2.bytes())}) {
                expect_same(k->bsum_b1(wq.bytes(), w2, code.bytes(), n), ref.bsum_b1(wq.bytes(), w2, code.bytes(), n),
                            k->name, n);

                // Batches of every size around the 4-code groups of the SIMD
                // kernels, packed (stride = code size, as on index pages) and
                // spaced; the last code ends against the guard page.
                for (size_t count : {1, 2, 3, 4, 5, 7, 8, 9, 78})
                    for (size_t stride : {cs, cs + 3}) {
                        Guarded codes(stride * (count - 1) + cs);
                        for (size_t i = 0; i < stride * (count - 1) + cs; i++)
                            codes.bytes()[i] = uint8_t(rng());
                        std::vector<BitSums> got(count), want(count);
                        k->bsum_b1_batch(wq.bytes(), w2, codes.bytes(), count, stride, n, got.data());
                        ref.bsum_b1_batch(wq.bytes(), w2, codes.bytes(), count, stride, n, want.data());
                        for (size_t j = 0; j < count; j++) {
                            expect_same(got[j], want[j], k->name, n);
                            expect_same(want[j], ref.bsum_b1(wq.bytes(), w2, codes.bytes() + j * stride, n),
                                        "scalar", n);
                        }
                    }
            }
        }
}

/// Largest sums: every bit set, every weight 255, up to the type's 16000
/// dimensions (no lane of a SIMD accumulator may overflow).
TEST(QuantKernels, BitKernelsLargestSums) {
    const QuantKernels& ref = *kernels_for_isa(Isa::scalar);
    for (const QuantKernels* k : simd_tables())
        for (size_t n : {768, 1536, 16000}) {
            const size_t cs = (n + 7) / 8, count = 9;
            std::vector<uint8_t> w(bit_weight_bytes(n), 0), codes(cs * count, 0xff);
            std::fill(w.begin(), w.begin() + long(n), 255);
            std::vector<BitSums> got(count);
            k->bsum_b1_batch(w.data(), w.data(), codes.data(), count, cs, n, got.data());
            for (size_t j = 0; j < count; j++) {
                EXPECT_EQ(got[j].sum, uint32_t(255 * n)) << k->name << " n=" << n;
                EXPECT_EQ(got[j].count, uint32_t(n)) << k->name << " n=" << n;
                EXPECT_EQ(got[j].sum2, uint32_t(255 * n)) << k->name << " n=" << n;
                expect_same(got[j], ref.bsum_b1(w.data(), w.data(), codes.data() + j * cs, n), "scalar", n);
            }
        }
}

/// The scalar kernels must read codes as code_layout.h places them.
TEST(QuantKernels, ScalarFollowsCodeLayout) {
    const QuantKernels& ref = *kernels_for_isa(Isa::scalar);
    std::mt19937 rng(4);
    for (size_t n : kDims) {
        std::vector<uint8_t> c8((n + 1) / 2);
        for (auto& b : c8) b = uint8_t(rng());
        std::vector<float> w(n, 0);
        std::vector<uint8_t> wq(bit_weight_bytes(n), 0);
        for (size_t i = 0; i < n; i++) {
            std::fill(w.begin(), w.end(), 0.0f);
            w[i] = 1;
            ASSERT_EQ(ref.u4.wdot(w.data(), c8.data(), n), float(code_at<4>(c8.data(), i, n)));
            ASSERT_EQ(ref.u2.wdot(w.data(), c8.data(), n), float(code_at<2>(c8.data(), i, n)));
            std::fill(wq.begin(), wq.end(), 0);
            wq[i] = 1;
            ASSERT_EQ(ref.bsum_b1(wq.data(), wq.data(), c8.data(), n).sum2, bit_at(c8.data(), i));
        }
    }
}

/// set_code and code_at agree, and each dimension owns distinct bits.
TEST(QuantKernels, CodeLayoutRoundTrip) {
    std::mt19937 rng(5);
    for (size_t n : kDims) {
        std::vector<unsigned> v4(n), v2(n);
        std::vector<uint8_t> c4((n + 1) / 2, 0), c2((n + 3) / 4, 0);
        for (size_t i = 0; i < n; i++) {
            v4[i] = rng() & 15;
            v2[i] = rng() & 3;
            set_code<4>(c4.data(), i, n, v4[i]);
            set_code<2>(c2.data(), i, n, v2[i]);
        }
        for (size_t i = 0; i < n; i++) {
            ASSERT_EQ(code_at<4>(c4.data(), i, n), v4[i]) << n << " " << i;
            ASSERT_EQ(code_at<2>(c2.data(), i, n), v2[i]) << n << " " << i;
        }
    }
}

__attribute__((target("f16c"))) uint16_t hw_half(float f) {
    return uint16_t(_cvtss_sh(f, 0));
}

/// The portable conversion rounds exactly like F16C (nearest, ties to even).
TEST(QuantKernels, HalfConversionMatchesF16C) {
    if (!__builtin_cpu_supports("f16c"))
        GTEST_SKIP() << "no F16C";
    std::mt19937 rng(6);
    for (int i = 0; i < 2000000; i++) {
        uint32_t bits = rng();
        float f;
        std::memcpy(&f, &bits, 4);
        if (std::isnan(f))
            continue;
        ASSERT_EQ(float_to_half(f), hw_half(f)) << f;
    }
    for (uint32_t h = 0; h < 0x7c00; h++) {  // every finite half round-trips
        ASSERT_EQ(float_to_half(half_to_float(uint16_t(h))), h);
        ASSERT_EQ(float_to_half(-half_to_float(uint16_t(h))), h | 0x8000u);
    }
}

}  // namespace
}  // namespace vx::quant
