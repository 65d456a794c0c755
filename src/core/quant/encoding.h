// Encodings of quantized codes and the one table that maps a compression level
// ("1x".."32x", DESIGN.md §1, OpenSearch k-NN semantics) to an encoding.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vx::quant {

/// How one vector is stored in an index code. Values are stored in index pages:
/// never renumber.
enum class Encoding : uint8_t {
    f32 = 0,  ///< float32, the value itself (1x)
    f16 = 1,  ///< IEEE half precision (2x)
    sq8 = 2,  ///< 8-bit scalar quantization, per-dimension [lo, hi] (4x)
    sq4 = 3,  ///< 4-bit scalar quantization, per-dimension range (8x)
    sq2 = 4,  ///< 2-bit scalar quantization, per-dimension range (16x)
    bq1 = 5,  ///< 1 bit per dimension, thresholded at the dimension's mean (32x)
};

/// Distance a code distance approximates. Smaller is closer for all three.
enum class Metric : uint8_t {
    l2 = 0,             ///< squared euclidean distance
    inner_product = 1,  ///< negative inner product
    cosine = 2,         ///< 1 - cosine similarity
};

/// One row of the compression level table.
struct LevelInfo {
    const char* name;         ///< "1x" .. "32x"
    int factor;               ///< 1, 2, 4, 8, 16, 32
    Encoding encoding;
    int bits_per_dim;         ///< 32, 16, 8, 4, 2, 1
    float default_oversample; ///< 0 when the level rescores not by default (1x, 2x)
};

/// All six levels, in increasing compression.
extern const LevelInfo kLevels[6];

/// The level named `name` ("1x".."32x"), or nullptr for anything else.
const LevelInfo* level_by_name(const char* name);

/// The level that uses `encoding` (every encoding has exactly one).
const LevelInfo& level_of(Encoding encoding);

/// A short lowercase name: "f32", "f16", "sq8", "sq4", "sq2", "bq1".
const char* encoding_name(Encoding encoding);

/// Bytes of one code of `dim` dimensions: ceil(dim * bits / 8).
size_t code_size(Encoding encoding, size_t dim);

}  // namespace vx::quant
