// Distance "spaces" for the HNSW graph: the distance from a prepared query, or
// from another element, to element i of a flat array of fixed-size codes.
//
// The graph code (builder.h, search.h) is a template over a Space, so float32,
// int8 and bit codes share one implementation, and a quantized code store can
// later plug in its own Space with the same three members:
//
//   size_t size() const;                                    // elements held
//   float distance(const void* query, uint32_t id) const;   // query -> element
//   float distance_between(uint32_t a, uint32_t b) const;   // element -> element
//   void prefetch(uint32_t id) const;                       // cache hint, may be empty
//   bool is_metric() const;  // d(x, x) = 0 and "closer" is meaningful between
//                            // elements (false for negative inner product)
//
// FlatSpace keeps codes by pointer (it owns nothing): codes of element i start at
// codes + i * code_size. Queries are codes of the same layout.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "core/simd/distance.h"

namespace vx::hnsw {

/// The distance a FlatSpace computes; the name says element type and function.
enum class Metric : uint8_t {
    l2_f32,           ///< squared L2 (ordering equals L2)
    neg_dot_f32,      ///< -(a . b)
    cosine_f32,       ///< 1 - cos(a, b); 1 when either norm is 0
    cosine_norm_f32,  ///< 1 - (a . b), for rows the caller already normalized
    l1_f32,           ///< sum |a - b|
    l2_i8,            ///< squared L2 over int8
    neg_dot_i8,       ///< -(a . b) over int8
    cosine_i8,        ///< 1 - cos(a, b) over int8; 1 when either norm is 0
    l1_i8,            ///< sum |a - b| over int8
    hamming_bits,     ///< differing bits
    jaccard_bits,     ///< 1 - |a & b| / |a | b|; 0 when both are empty
};

/// Bytes per code for a metric over dim dimensions (bits are packed 8 per byte).
size_t code_size_for(Metric metric, size_t dim);

/// Distance between two codes of `dim` dimensions under `metric`.
inline float code_distance(const simd::Kernels& k, Metric metric, size_t dim, const uint8_t* a,
                           const uint8_t* b) {
    const float* fa = reinterpret_cast<const float*>(a);
    const float* fb = reinterpret_cast<const float*>(b);
    const int8_t* ia = reinterpret_cast<const int8_t*>(a);
    const int8_t* ib = reinterpret_cast<const int8_t*>(b);
    switch (metric) {
    case Metric::l2_f32:
        return k.l2sq_f32(fa, fb, dim);
    case Metric::neg_dot_f32:
        return -k.dot_f32(fa, fb, dim);
    case Metric::cosine_f32: {
        simd::CosineSums s = k.cosine_f32(fa, fb, dim);
        float denom = std::sqrt(s.norm_a * s.norm_b);
        return denom > 0 ? 1.0f - s.dot / denom : 1.0f;
    }
    case Metric::cosine_norm_f32:
        return 1.0f - k.dot_f32(fa, fb, dim);
    case Metric::l1_f32:
        return k.l1_f32(fa, fb, dim);
    case Metric::l2_i8:
        return float(k.l2sq_i8(ia, ib, dim));
    case Metric::neg_dot_i8:
        return -float(k.dot_i8(ia, ib, dim));
    case Metric::cosine_i8: {
        simd::CosineSumsI8 s = k.cosine_i8(ia, ib, dim);
        double denom = std::sqrt(double(s.norm_a) * double(s.norm_b));
        return denom > 0 ? float(1.0 - double(s.dot) / denom) : 1.0f;
    }
    case Metric::l1_i8:
        return float(k.l1_i8(ia, ib, dim));
    case Metric::hamming_bits:
        return float(k.hamming(a, b, (dim + 7) / 8));
    case Metric::jaccard_bits: {
        uint64_t both = 0, any = 0;
        k.and_or_popcount(a, b, (dim + 7) / 8, &both, &any);
        return any ? 1.0f - float(both) / float(any) : 0.0f;
    }
    }
    return 0;
}

/// Full-value codes (float32, int8 or packed bits) in one flat array.
class FlatSpace {
  public:
    /// codes: n codes of code_size_for(metric, dim) bytes each, kept alive by the caller.
    FlatSpace(Metric metric, size_t dim, const void* codes, size_t n,
              const simd::Kernels& kernels = simd::active())
        : k_(&kernels), metric_(metric), dim_(dim), code_size_(code_size_for(metric, dim)),
          codes_(static_cast<const uint8_t*>(codes)), n_(n) {}

    size_t size() const { return n_; }
    size_t dim() const { return dim_; }
    size_t code_size() const { return code_size_; }
    Metric metric() const { return metric_; }
    const uint8_t* code(uint32_t id) const { return codes_ + size_t(id) * code_size_; }

    /// Points the space at a (grown or moved) code array, e.g. before inserting more rows.
    void rebind(const void* codes, size_t n) {
        codes_ = static_cast<const uint8_t*>(codes);
        n_ = n;
    }

    /// Distance from a query code (same layout as the stored codes) to element id.
    float distance(const void* query, uint32_t id) const {
        return code_distance(*k_, metric_, dim_, static_cast<const uint8_t*>(query), code(id));
    }

    /// Distance between two stored elements.
    float distance_between(uint32_t a, uint32_t b) const {
        return code_distance(*k_, metric_, dim_, code(a), code(b));
    }

    /// False for negative inner product, where d(x, x) != 0 and many
    /// elements are nobody's nearest neighbour.
    bool is_metric() const { return metric_ != Metric::neg_dot_f32 && metric_ != Metric::neg_dot_i8; }

    /// Brings the first cache lines of a code towards the CPU.
    void prefetch(uint32_t id) const {
        const char* p = reinterpret_cast<const char*>(code(id));
        __builtin_prefetch(p);
        if (code_size_ > 64)
            __builtin_prefetch(p + 64);
        if (code_size_ > 128)
            __builtin_prefetch(p + 128);
    }

  private:
    const simd::Kernels* k_;
    Metric metric_;
    size_t dim_;
    size_t code_size_;
    const uint8_t* codes_;
    size_t n_;
};

}  // namespace vx::hnsw
