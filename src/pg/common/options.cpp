// The memory-optimized index options resolver (see options.h).
#include "pg/common/options.h"

extern "C" {
#include "lib/stringinfo.h"
}

#include <cstring>

namespace vx::pg {

using vx::quant::kLevels;
using vx::quant::LevelInfo;

static const int kNumLevels = sizeof(kLevels) / sizeof(kLevels[0]);

// The table row of a level.
const LevelInfo& level_info(Compression level) { return kLevels[int(level)]; }

// Name of a level.
const char* level_name(Compression level) { return kLevels[int(level)].name; }

// Name of a mode.
const char* mode_name(Mode mode) { return mode == Mode::on_disk ? "on_disk" : "in_memory"; }

// Level by name, or -1.
static int find_level(const char* name) {
    const LevelInfo* l = vx::quant::level_by_name(name);
    return l ? int(l - kLevels) : -1;
}

// "1x", "2x", ... up to max, quoted and comma separated (palloc'd).
static char* level_list(Compression max) {
    StringInfoData s;
    initStringInfo(&s);
    for (int i = 0; i <= int(max) && i < kNumLevels; i++)
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

// Defaults, then what the column type, operator class and AM allow.
ResolvedOptions resolve_options(const char* mode, const char* level, const OptionTarget& t) {
    validate_mode_option(mode);
    validate_compression_option(level);
    ResolvedOptions r;
    r.mode = (mode && strcmp(mode, "on_disk") == 0) ? Mode::on_disk : Mode::in_memory;
    r.level = level ? Compression(find_level(level))
                    : (r.mode == Mode::on_disk ? Compression::x32 : Compression::x1);
    /* Blame the level when it was given, else the mode that implied it. */
    const char* implied = level ? "" : psprintf(" (mode \"%s\" defaults to compression_level \"%s\")",
                                                mode_name(r.mode), level_name(r.level));
    const char* option = level ? "compression_level" : "mode";
    const char* value = level ? level : mode_name(r.mode);
    if (r.level != Compression::x1 && !t.is_vector)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s \"%s\" requires a vector column%s", option, value, implied),
                        errdetail("Valid values of compression_level for type %s are \"1x\".",
                                  t.type_name ? t.type_name : "?")));
    if (r.level != Compression::x1 && !t.quantizable)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s \"%s\" is not supported for operator class %s%s", option, value,
                               t.opclass ? t.opclass : "?", implied),
                        errdetail("Valid values of compression_level for this operator class are \"1x\"; "
                                  "levels above 1x need an l2, inner product or cosine operator class.")));
    if (r.level > t.max_level)
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("%s \"%s\" is not supported by this index yet%s", option, value, implied),
                        errdetail("Valid values of compression_level are %s.", level_list(t.max_level))));
    const LevelInfo& info = level_info(r.level);
    r.encoding = t.is_vector ? info.encoding : vx::quant::Encoding::f32;
    r.oversample = r.mode == Mode::on_disk ? info.default_oversample : 0.0;
    r.rescore = r.oversample > 0;
    return r;
}

}  // namespace vx::pg
