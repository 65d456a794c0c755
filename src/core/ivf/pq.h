// Product quantization for ivf posting lists (pq_m = M): a vector of d floats
// is cut into M sub-vectors of d/M floats, each stored as the 8-bit number of
// its nearest sub-centroid (256 per sub-space, trained by Faiss k-means), so a
// code is M bytes.
//
//   PqCodec pq(d, M);                  // throws unless d % M == 0
//   pq.train(sample, n);               // or with residuals, see below
//   pq.encode(x, code);
//   std::vector<float> table(pq.table_size());
//   float bias = pq.distance_table(q, PqMetric::l2, table.data());
//   float d = bias + pq.adc_distance(table.data(), code);
//
// Distances are asymmetric (ADC): the query stays float, the table holds the
// distance from each query sub-vector to each sub-centroid (squared L2, or the
// negated inner product), and a code's distance is the sum of M lookups.
// Cosine is inner product over vectors the caller normalized.
//
// Residuals (optional): IVF-PQ usually encodes x - c(x), the offset from the
// row's list centroid, which is smaller and so quantized better. Pass the
// centroid to train()/encode()/distance_table(): for l2 the table is built on
// q - c; for inner product on q, and the returned bias adds -q.c.
//
// Training cost grows with rows x 256 x d per iteration: 16384 rows (64 per
// sub-centroid) is a good sample; 65536 rows took 4.8 s at d = 128, M = 16.
//
// Training with fewer than 256 rows: sub-centroids are the rows' sub-vectors,
// repeated (no k-means), so small tables still encode exactly; zero rows give
// all-zero codebooks. Thread count, cancel and Faiss errors as in kmeans.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/ivf/kmeans.h"

namespace faiss {
struct ProductQuantizer;
}

namespace vx::ivf {

enum class PqMetric : uint8_t { l2 = 0, inner_product = 1 };

class PqCodec {
public:
    static constexpr size_t kSub = 256;  ///< sub-centroids per sub-quantizer (8 bits)

    /// Throws vx::InvalidArgument unless 1 <= m <= d, d % m == 0, d <= 16000.
    PqCodec(size_t d, size_t m);
    ~PqCodec();
    PqCodec(PqCodec&&) noexcept;
    PqCodec& operator=(PqCodec&&) noexcept;

    size_t dim() const { return d_; }
    size_t m() const { return m_; }
    size_t code_size() const { return m_; }
    size_t table_size() const { return m_ * kSub; }  ///< floats in a distance table

    /// Trains on n rows (or on x[i] - centroids[list_of[i] * d] when both given).
    void train(const float* x, size_t n, const TrainParams& params = {},
               const float* centroids = nullptr, const uint32_t* list_of = nullptr);

    /// Encodes one vector (minus centroid, if given) into code_size() bytes.
    void encode(const float* x, uint8_t* code, const float* centroid = nullptr) const;
    /// Encodes n rows (no residual) with Faiss's batched search on `threads`
    /// OpenMP threads: several times faster than n encode() calls.
    void encode_batch(const float* x, size_t n, uint8_t* codes, int threads = 1) const;
    /// Decodes a code into d floats (plus centroid, if given).
    void decode(const uint8_t* code, float* x, const float* centroid = nullptr) const;

    /// Fills table (table_size() floats) for query; returns the bias to add.
    float distance_table(const float* query, PqMetric metric, float* table,
                         const float* centroid = nullptr) const;

    /// Sum of M table lookups for one code.
    float adc_distance(const float* table, const uint8_t* code) const {
        float s = 0;
        for (size_t j = 0; j < m_; j++)
            s += table[j * kSub + code[j]];
        return s;
    }
    /// adc_distance() for n consecutive codes.
    void adc_distances(const float* table, const uint8_t* codes, size_t n, float* out) const;

    /// Versioned little-endian blob of the codebooks (see pq.cpp).
    std::vector<uint8_t> serialize() const;
    /// Reads serialize()'s blob; vx::InvalidArgument on anything malformed.
    static PqCodec deserialize(const uint8_t* data, size_t size);

private:
    size_t d_, m_;
    std::unique_ptr<faiss::ProductQuantizer> pq_;
};

}  // namespace vx::ivf
