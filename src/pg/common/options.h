// One resolver for the memory-optimized index options of every access method
// (DESIGN §1): reloptions `mode` and `compression_level`, the column type and
// the AM's support turn into an encoding, a default oversample factor and
// whether scans rescore. The level table below is the only place that knows
// what a level means.
#pragma once

extern "C" {
#include "postgres.h"
}

namespace vx::pg {

enum class Mode : uint8 { in_memory = 0, on_disk = 1 };
enum class Compression : uint8 { x1 = 0, x2, x4, x8, x16, x32 };
/// How a code stores one element: the value itself, or a quantizer's code.
enum class Encoding : uint8 { full = 0, float16, int8_sq, sq4, sq2, binary };

/// One row of the level table.
struct CompressionInfo {
    Compression level;
    const char* name;           ///< "1x" .. "32x"
    Encoding vector_encoding;   ///< encoder for vector columns
    int bits_per_dim;           ///< code bits per dimension of a vector column
    double default_oversample;  ///< on_disk default; 0 = no rescoring
};

/// What an index uses, after defaults and checks.
struct ResolvedOptions {
    Mode mode;
    Compression level;
    Encoding encoding;
    double oversample;  ///< 0 when rescoring is off by default
    bool rescore;
};

/// The table row of a level.
const CompressionInfo* compression_info(Compression level);
/// Name of a mode ("in_memory", "on_disk").
const char* mode_name(Mode mode);

/// Reloption validators (error naming the option and the allowed values).
void validate_mode_option(const char* value);
void validate_compression_option(const char* value);

/// Resolves the options of index `index_name`. mode/level may be NULL (unset).
/// is_vector: the column is `vector` (levels above 1x need it); max_level is
/// the highest level the AM supports so far (Compression::x1 until quantized
/// codes land); anything else is an error naming the option and allowed values.
ResolvedOptions resolve_options(const char* mode, const char* level, bool is_vector,
                                Compression max_level);

}  // namespace vx::pg
