// Quantizers: one interface for every compression level (DESIGN.md §1).
//
//   Quantizer q(Encoding::bq1);
//   q.train(sample, n, dim);            // sample chosen by the caller
//   q.encode(x, code);                  // code_size() bytes per vector
//   PreparedQuery pq;
//   q.prepare_query(query, Metric::l2, &pq);
//   float d = distance(pq, code);       // approximates the exact distance
//   std::vector<uint8_t> blob = q.serialize();  // store in the index
//   Quantizer back = Quantizer::deserialize(blob.data(), blob.size());
//
// Every encoding decodes a code to a vector x̂ (decode()), and code distances
// are the exact distances between the float query and x̂ ("asymmetric"):
//   f32   x̂ = x
//   f16   x̂ = x rounded to half (values clipped to +-65504)
//   sq8/sq4/sq2  x̂[i] = lo[i] + step[i] * c[i], c[i] in [0, 2^bits - 1];
//         sq8 takes [lo, hi] = [min, max] of the sample per dimension; sq4 and
//         sq2 narrow it to mean +- k sigma (k from the optimal uniform quantizer
//         of a Gaussian: 2.51 for 16 levels, 1.49 for 4), because the extremes
//         of a sample waste most of a few levels. Values outside are clipped.
//   bq1   bit i = x[i] > mean[i] (OpenSearch's binary quantization); x̂[i] is
//         the mean of the sample values above (bit 1) or at/below (bit 0) it.
// Metric::cosine divides by the norm of x̂, so stored vectors need not be
// normalized. Callers that normalize vectors for cosine (before training and
// encoding) should still search with Metric::cosine, not inner_product: |x̂|
// varies from code to code, and dividing it out matters a lot at low bit
// counts (make_synthetic 50k x 768 cosine, flat scan + rescoring of 100
// candidates, recall@10: bq1 0.89 with cosine vs 0.53 with inner product).
// bq1 distances use the query's per-dimension weights rounded to 8 bits (so
// the kernel is integer byte sums, several times faster than float adds); the
// result differs from the distance to x̂ by at most (max w - min w) / 510 per
// set bit, far below the error of the 1-bit code itself.
// A cosine distance with a zero query or zero x̂ is 1 (not NaN), so codes of
// zero vectors sort in the middle instead of poisoning a candidate list.
//
// Thread safety: a trained Quantizer and a PreparedQuery are read-only and may
// be shared by threads. Nothing here allocates inside distance()/distances().
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/quant/encoding.h"
#include "core/quant/kernels.h"

namespace vx::quant {

/// Largest dimension count a quantizer accepts (the vector type's limit).
constexpr size_t kMaxDim = 16000;

/// A query made ready for code distances of one quantizer and metric. The
/// per-dimension arrays are copied in, so it does not refer to the quantizer.
struct PreparedQuery {
    Encoding encoding = Encoding::f32;
    Metric metric = Metric::l2;
    size_t dim = 0;
    /// Kernel table used by distance(); active_kernels() unless a test swaps it.
    const QuantKernels* kernels = nullptr;

    float bias = 0;        ///< constant part of the distance (or of the dot product)
    float norm_bias = 0;   ///< bq1 cosine: constant part of |x̂|^2
    float query_norm = 0;  ///< |q|, for cosine
    std::vector<float> a;  ///< per-dimension query terms (see query.cpp)
    std::vector<float> b;
    std::vector<float> c;
    /// bq1: per-dimension weights w[i] ~ wmin + wstep * wq[i], 8 bits each
    /// (bit_weight_bytes(dim) bytes); wq2 is the second set for cosine norms.
    std::vector<uint8_t> wq, wq2;
    float wmin = 0, wstep = 0, wmin2 = 0, wstep2 = 0;
    std::vector<uint8_t> bits;  ///< bq1: the query binarized at the thresholds
};

class Quantizer {
public:
    explicit Quantizer(Encoding encoding = Encoding::f32) : encoding_(encoding) {}

    Encoding encoding() const { return encoding_; }
    size_t dim() const { return dim_; }
    /// Bytes of one code.
    size_t code_size() const { return quant::code_size(encoding_, dim_); }
    /// True once train() (or deserialize()) has set the parameters.
    bool trained() const { return dim_ != 0; }

    /// Learns the parameters from n vectors of dim floats (row-major). f32 and
    /// f16 need no sample (n may be 0); the others need n >= 1 finite vectors.
    /// Throws InvalidArgument on a bad dim, an empty sample or a non-finite value.
    void train(const float* data, size_t n, size_t dim);

    /// Writes code_size() bytes for the dim floats at x (values outside the
    /// trained ranges are clipped; x must be finite; the quantizer trained).
    void encode(const float* x, uint8_t* code) const;

    /// Writes the dim floats x̂ that the code stands for.
    void decode(const uint8_t* code, float* out) const;

    /// Makes q (dim floats) ready for distance() / distances().
    void prepare_query(const float* q, Metric metric, PreparedQuery* out) const;

    /// The trained parameters as a versioned little-endian blob.
    std::vector<uint8_t> serialize() const;
    /// Size of serialize()'s result for an encoding and dim, without training.
    static size_t serialized_size(Encoding encoding, size_t dim);
    /// Reads a serialize() blob; throws InvalidArgument on anything else
    /// (truncated, corrupted, unknown version), never reading past size bytes.
    static Quantizer deserialize(const uint8_t* data, size_t size);

    // Parameters, per dimension (empty for f32 and f16).
    const std::vector<float>& lo() const { return lo_; }      ///< sq: value of code 0; bq1: x̂ of bit 0
    const std::vector<float>& step() const { return step_; }  ///< sq: value per code unit; bq1: hi - lo
    const std::vector<float>& threshold() const { return threshold_; }  ///< bq1 only: the means

private:
    friend struct QuantizerAccess;
    Encoding encoding_;
    size_t dim_ = 0;
    std::vector<float> lo_, step_, threshold_;
};

/// Code distance from a prepared query to one code (smaller is closer).
/// f32 codes are read as floats and f16 codes as uint16, so they must be 4- and
/// 2-byte aligned (MAXALIGNed index tuples are); other codes are plain bytes.
float distance(const PreparedQuery& q, const uint8_t* code);

/// distance() of `count` codes spaced `stride` bytes apart, into out[0..count).
void distances(const PreparedQuery& q, const uint8_t* codes, size_t count, size_t stride, float* out);

/// bq1 only: bits that differ between the binarized query and the code (a
/// cheaper, coarser pass than distance()).
uint64_t hamming(const PreparedQuery& q, const uint8_t* code);

}  // namespace vx::quant
