// One resolver for the memory-optimized index options of every access method
// (DESIGN §1): reloptions `mode` and `compression_level`, the column type and
// the operator class turn into an encoding, a default oversample factor and
// whether scans rescore. What a level means (encoding, bits, oversample) is
// the core table vx::quant::kLevels; this file adds the SQL-facing rules.
#pragma once

extern "C" {
#include "postgres.h"
}

#include "core/quant/encoding.h"

namespace vx::pg {

enum class Mode : uint8 { in_memory = 0, on_disk = 1 };
/// Index into vx::quant::kLevels ("1x" .. "32x"); stored in metapages.
enum class Compression : uint8 { x1 = 0, x2, x4, x8, x16, x32 };

/// What an index uses, after defaults and checks (stored in its metapage).
struct ResolvedOptions {
    Mode mode;
    Compression level;
    vx::quant::Encoding encoding;  ///< f32 (the value itself) at 1x and for non-vector columns
    double oversample;             ///< default oversample factor; 0 = no rescoring by default
    bool rescore;                  ///< scans rescore by default
};

/// What the resolver needs to know about the indexed column and operator class.
struct OptionTarget {
    bool is_vector;          ///< a `vector` column (levels above 1x need it)
    bool quantizable;        ///< the operator class has a quantized distance (l2, ip, cosine)
    const char* opclass;     ///< operator class name, for error messages
    const char* type_name;   ///< column type name, for error messages
    Compression max_level;   ///< highest level the access method implements
};

/// The level table row of a level.
const vx::quant::LevelInfo& level_info(Compression level);
/// Name of a level ("1x" .. "32x").
const char* level_name(Compression level);
/// Name of a mode ("in_memory", "on_disk").
const char* mode_name(Mode mode);

/// Reloption validators (error naming the option and the allowed values).
void validate_mode_option(const char* value);
void validate_compression_option(const char* value);

/// Resolves mode / compression_level (either may be NULL: unset). Defaults:
/// in_memory -> 1x, on_disk -> 32x; on_disk rescoring with the level's
/// oversample (none at 1x and 2x); in_memory never rescores by default.
/// Every rejected combination is an ERROR naming the option and allowed values.
ResolvedOptions resolve_options(const char* mode, const char* level, const OptionTarget& target);

}  // namespace vx::pg
