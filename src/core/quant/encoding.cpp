// The compression level table (the only place that maps levels to encodings).
#include "core/quant/encoding.h"

#include <cstring>

namespace vx::quant {

// Default oversample factors are OpenSearch's on_disk defaults; 1x and 2x do not
// rescore by default.
const LevelInfo kLevels[6] = {
    {"1x", 1, Encoding::f32, 32, 0.0f},
    {"2x", 2, Encoding::f16, 16, 0.0f},
    {"4x", 4, Encoding::sq8, 8, 1.0f},
    {"8x", 8, Encoding::sq4, 4, 2.0f},
    {"16x", 16, Encoding::sq2, 2, 2.0f},
    {"32x", 32, Encoding::bq1, 1, 3.0f},
};

const LevelInfo* level_by_name(const char* name) {
    if (name == nullptr)
        return nullptr;
    for (const LevelInfo& l : kLevels)
        if (std::strcmp(l.name, name) == 0)
            return &l;
    return nullptr;
}

const LevelInfo& level_of(Encoding encoding) {
    for (const LevelInfo& l : kLevels)
        if (l.encoding == encoding)
            return l;
    return kLevels[0];
}

const char* encoding_name(Encoding encoding) {
    switch (encoding) {
    case Encoding::f32: return "f32";
    case Encoding::f16: return "f16";
    case Encoding::sq8: return "sq8";
    case Encoding::sq4: return "sq4";
    case Encoding::sq2: return "sq2";
    case Encoding::bq1: return "bq1";
    }
    return "unknown";
}

size_t code_size(Encoding encoding, size_t dim) {
    return (dim * size_t(level_of(encoding).bits_per_dim) + 7) / 8;
}

}  // namespace vx::quant
