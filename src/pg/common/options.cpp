// The memory-optimized index options resolver (see options.h).
#include "pg/common/options.h"

extern "C" {
#include "lib/stringinfo.h"
}

#include <cstring>

namespace vx::pg {

// The level table (OpenSearch k-NN CompressionLevel): encoder, bits, oversample.
static const CompressionInfo kLevels[] = {
    {Compression::x1, "1x", Encoding::full, 32, 0.0},
    {Compression::x2, "2x", Encoding::float16, 16, 0.0},
    {Compression::x4, "4x", Encoding::int8_sq, 8, 1.0},
    {Compression::x8, "8x", Encoding::sq4, 4, 2.0},
    {Compression::x16, "16x", Encoding::sq2, 2, 2.0},
    {Compression::x32, "32x", Encoding::binary, 1, 3.0},
};
static const int kNumLevels = sizeof(kLevels) / sizeof(kLevels[0]);

// The table row of a level.
const CompressionInfo* compression_info(Compression level) { return &kLevels[int(level)]; }

// Name of a mode.
const char* mode_name(Mode mode) { return mode == Mode::on_disk ? "on_disk" : "in_memory"; }

// Level by name, or -1.
static int find_level(const char* name) {
    for (int i = 0; i < kNumLevels; i++)
        if (strcmp(kLevels[i].name, name) == 0)
            return i;
    return -1;
}

// "1x", "2x", ... up to max, quoted and comma separated (palloc'd).
static char* level_list(Compression max) {
    StringInfoData s;
    initStringInfo(&s);
    for (int i = 0; i <= int(max); i++)
        appendStringInfo(&s, "%s\"%s\"", i ? ", " : "", kLevels[i].name);
    return s.data;
}

// Reloption validator for mode.
void validate_mode_option(const char* value) {
    if (value == NULL || strcmp(value, "in_memory") == 0 || strcmp(value, "on_disk") == 0)
        return;
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("invalid value for option \"mode\": \"%s\"", value),
                    errdetail("Valid values are \"in_memory\" and \"on_disk\".")));
}

// Reloption validator for compression_level.
void validate_compression_option(const char* value) {
    if (value == NULL || find_level(value) >= 0)
        return;
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("invalid value for option \"compression_level\": \"%s\"", value),
                    errdetail("Valid values are %s.", level_list(Compression::x32))));
}

// Defaults, then what the column type and the AM allow.
ResolvedOptions resolve_options(const char* mode, const char* level, bool is_vector,
                                Compression max_level) {
    validate_mode_option(mode);
    validate_compression_option(level);
    ResolvedOptions r;
    r.mode = (mode && strcmp(mode, "on_disk") == 0) ? Mode::on_disk : Mode::in_memory;
    r.level = level ? Compression(find_level(level))
                    : (r.mode == Mode::on_disk ? Compression::x32 : Compression::x1);
    if (r.level != Compression::x1 && !is_vector)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("compression_level \"%s\" requires a vector column",
                               compression_info(r.level)->name),
                        errdetail("Valid values for this column type are \"1x\".")));
    if (r.level > max_level) {
        if (level == NULL)
            ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                            errmsg("mode \"%s\" is not supported by this index yet", mode_name(r.mode)),
                            errdetail("Valid values are \"in_memory\".")));
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("compression_level \"%s\" is not supported by this index yet",
                               compression_info(r.level)->name),
                        errdetail("Valid values are %s.", level_list(max_level))));
    }
    const CompressionInfo* info = compression_info(r.level);
    r.encoding = is_vector ? info->vector_encoding : Encoding::full;
    r.oversample = r.mode == Mode::on_disk ? info->default_oversample : 0.0;
    r.rescore = r.oversample > 0;
    return r;
}

}  // namespace vx::pg
