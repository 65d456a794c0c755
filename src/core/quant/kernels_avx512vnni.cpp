// The 1-bit code batch kernel with AVX-512 VNNI (compiled with the
// *_avx512vnni.cpp flags: the AVX-512 set plus -mavx512vnni). vpdpbusd by a
// vector of ones sums the selected weight bytes into dword lanes in one
// instruction where vpsadbw needs an add after it, and it issues on a port
// the mask moves and vpsadbw do not compete for. Only kernel_dispatch.cpp
// decides, from the running CPU, whether this may be used.
#include "core/quant/bits_avx512.h"
#include "core/quant/kernel_tables.h"

namespace vx::quant {
namespace {

/// Sum::add with vpdpbusd: bytes (unsigned) times ones (signed), 4 per dword.
struct DotOnesSum {
    static __m512i add(__m512i acc, __m512i bytes) {
        return _mm512_dpbusd_epi32(acc, bytes, _mm512_set1_epi8(1));
    }
};

}  // namespace

void bsum_b1_batch_avx512vnni(const uint8_t* wq, const uint8_t* wq2, const uint8_t* codes,
                              size_t count, size_t stride, size_t n, BitSums* out) {
    if (wq2)
        bsum_batch<true, DotOnesSum>(wq, wq2, codes, count, stride, n, out);
    else
        bsum_batch<false, DotOnesSum>(wq, wq2, codes, count, stride, n, out);
}

}  // namespace vx::quant
