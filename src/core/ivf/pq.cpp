// PqCodec over faiss::ProductQuantizer (training and encoding); the ADC loop,
// the residual handling and the blob format are ours.
//
// Blob layout (version 1), little-endian:
//   0   uint32  magic 0x51505856 ("VXPQ")
//   4   uint16  version (1)
//   6   uint16  bits per sub-code (8)
//   8   uint32  d
//   12  uint32  M
//   16  float32 codebooks, M x 256 x (d / M)
//   end uint32  FNV-1a hash of every byte before it
#include "core/ivf/pq.h"

#include <cmath>
#include <cstring>
#include <string>

#include <faiss/impl/FaissException.h>
#include <faiss/impl/ProductQuantizer.h>

#include "core/blob.h"
#include "core/errors.h"
#include "core/ivf/faiss_call.h"

namespace vx::ivf {
namespace {

constexpr uint32_t kMagic = 0x51505856u;
constexpr uint16_t kVersion = 1;
constexpr size_t kHeader = 16;
constexpr size_t kMaxDim = 16000;

using blob::fnv1a;
using blob::get_u32;
using blob::put_u32;

/// a - b into out (or a copy of a when b is null); returns the pointer to use.
const float* minus(const float* a, const float* b, size_t d, std::vector<float>& out) {
    if (!b)
        return a;
    out.resize(d);
    for (size_t i = 0; i < d; i++)
        out[i] = a[i] - b[i];
    return out.data();
}

}  // namespace

// Checks d and M, then sets up an untrained quantizer.
PqCodec::PqCodec(size_t d, size_t m) : d_(d), m_(m) {
    if (d == 0 || d > kMaxDim)
        throw InvalidArgument("dimensions (d) must be between 1 and 16000 for product quantization, got " +
                              std::to_string(d));
    if (m == 0 || m > d)
        throw InvalidArgument("pq_m (M) must be between 1 and the dimensions (" + std::to_string(d) +
                              "), got " + std::to_string(m));
    if (d % m != 0)
        throw InvalidArgument("dimensions (d) must be divisible by pq_m (M): d = " + std::to_string(d) +
                              ", M = " + std::to_string(m));
    pq_ = std::make_unique<faiss::ProductQuantizer>(d, m, 8);
    pq_->verbose = false;
}

PqCodec::~PqCodec() = default;
PqCodec::PqCodec(PqCodec&&) noexcept = default;
PqCodec& PqCodec::operator=(PqCodec&&) noexcept = default;

// Faiss k-means per sub-space, or the rows themselves when fewer than 256.
void PqCodec::train(const float* x, size_t n, const TrainParams& params, const float* centroids,
                    const uint32_t* list_of) {
    std::vector<float> resid;
    if (centroids && list_of && n > 0) {
        resid.resize(n * d_);
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < d_; j++)
                resid[i * d_ + j] = x[i * d_ + j] - centroids[size_t(list_of[i]) * d_ + j];
        x = resid.data();
    }
    size_t dsub = d_ / m_;
    if (n < kSub) {
        for (size_t s = 0; s < m_; s++)
            for (size_t k = 0; k < kSub; k++) {
                float* c = pq_->get_centroids(s, k);
                for (size_t j = 0; j < dsub; j++)
                    c[j] = n ? x[(k % n) * d_ + s * dsub + j] : 0.0f;
            }
        pq_->sync_transposed_centroids();
        return;
    }
    pq_->cp.niter = std::max(1, params.niter);
    pq_->cp.seed = params.seed;
    pq_->cp.verbose = false;
    pq_->cp.min_points_per_centroid = 1;  // no stderr warning for small samples
    pq_->cp.max_points_per_centroid = std::max(1, params.max_points_per_centroid);
    detail::run_faiss([&] { pq_->train(n, x); }, params.threads, params.progress,
                      "product quantizer training");
}

// Nearest sub-centroid per sub-space.
void PqCodec::encode(const float* x, uint8_t* code, const float* centroid) const {
    std::vector<float> tmp;
    pq_->compute_code(minus(x, centroid, d_, tmp), code);
}

// Batched nearest sub-centroids through Faiss (OpenMP on a joined thread).
void PqCodec::encode_batch(const float* x, size_t n, uint8_t* codes, int threads) const {
    if (n == 0)
        return;
    detail::run_faiss([&] { pq_->compute_codes(x, codes, n); }, threads, {}, "product quantizer encoding");
}

// Sub-centroids concatenated (plus the list centroid).
void PqCodec::decode(const uint8_t* code, float* x, const float* centroid) const {
    pq_->decode(code, x);
    if (centroid)
        for (size_t i = 0; i < d_; i++)
            x[i] += centroid[i];
}

// Squared L2 or negated inner product from each query sub-vector to each sub-centroid.
float PqCodec::distance_table(const float* query, PqMetric metric, float* table,
                              const float* centroid) const {
    if (metric == PqMetric::l2) {
        std::vector<float> tmp;
        pq_->compute_distance_table(minus(query, centroid, d_, tmp), table);
        return 0;
    }
    pq_->compute_inner_prod_table(query, table);
    for (size_t i = 0; i < table_size(); i++)
        table[i] = -table[i];
    float bias = 0;
    if (centroid)
        for (size_t i = 0; i < d_; i++)
            bias -= query[i] * centroid[i];
    return bias;
}

// M lookups per code, for n codes.
void PqCodec::adc_distances(const float* table, const uint8_t* codes, size_t n, float* out) const {
    for (size_t i = 0; i < n; i++)
        out[i] = adc_distance(table, codes + i * m_);
}

// Header, codebooks, hash.
std::vector<uint8_t> PqCodec::serialize() const {
    size_t nf = pq_->centroids.size();
    std::vector<uint8_t> b(kHeader + nf * 4 + 4);
    put_u32(b.data(), kMagic);
    b[4] = uint8_t(kVersion);
    b[5] = uint8_t(kVersion >> 8);
    b[6] = 8;
    b[7] = 0;
    put_u32(b.data() + 8, uint32_t(d_));
    put_u32(b.data() + 12, uint32_t(m_));
    blob::put_f32s(b.data() + kHeader, pq_->centroids.data(), nf);
    put_u32(b.data() + b.size() - 4, fnv1a(b.data(), b.size() - 4));
    return b;
}

// Validates every field before trusting it.
PqCodec PqCodec::deserialize(const uint8_t* data, size_t size) {
    auto bad = [](const std::string& why) {
        return InvalidArgument("invalid product quantizer data: " + why);
    };
    if (!data || size < kHeader + 4)
        throw bad("too short (" + std::to_string(size) + " bytes)");
    if (get_u32(data) != kMagic)
        throw bad("wrong magic number");
    uint16_t version = uint16_t(data[4] | data[5] << 8);
    if (version != kVersion)
        throw bad("unsupported version " + std::to_string(version) + " (expected 1); REINDEX");
    if (data[6] != 8 || data[7] != 0)
        throw bad("unsupported code width " + std::to_string(data[6]) + " bits");
    size_t d = get_u32(data + 8), m = get_u32(data + 12);
    if (d == 0 || d > kMaxDim || m == 0 || m > d || d % m != 0)
        throw bad("bad sizes d = " + std::to_string(d) + ", M = " + std::to_string(m));
    size_t nf = m * kSub * (d / m);
    if (size != kHeader + nf * 4 + 4)
        throw bad("size " + std::to_string(size) + " bytes, expected " +
                  std::to_string(kHeader + nf * 4 + 4));
    if (get_u32(data + size - 4) != fnv1a(data, size - 4))
        throw bad("checksum mismatch");
    PqCodec c(d, m);
    if (!blob::get_f32s(data + kHeader, nf, c.pq_->centroids.data()))
        throw bad("non-finite codebook value");
    c.pq_->sync_transposed_centroids();
    return c;
}

}  // namespace vx::ivf
