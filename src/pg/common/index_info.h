// vector_ext_index_info(regclass): what an index of ours holds, for every
// access method. Each AM has one callback (its row of the table in
// index_access.cpp) that fills an IndexInfoReport from its metapage and pages:
// the common columns, and two JSON objects, `structure` (the AM's own shape:
// graph layers and degrees for hnsw, list sizes for ivf, page fill for binary)
// and `quantizer` (what a quantized index's encoder learned; empty at 1x).
// The info_json_* helpers append "key": value members to those objects.
//
// Callbacks read pages through the buffer manager, one page at a time under a
// share lock, and check for interrupts on every page. They are C-style code
// (no C++ object alive), so an ERROR may longjmp anywhere.
#pragma once

extern "C" {
#include "postgres.h"
#include "lib/stringinfo.h"
#include "utils/relcache.h"
}

#include "core/stats/summary.h"
#include "pg/common/options.h"

namespace vx::quant {
class Quantizer;
}

namespace vx::pg {

/// Most page kinds an AM reports.
constexpr int kMaxPageKinds = 8;

/// One index, as vector_ext_index_info shows it (strings are static or palloc'd).
struct IndexInfoReport {
    const char* mode;               ///< "in_memory" / "on_disk"
    const char* compression_level;  ///< "1x" .. "32x"
    const char* encoding;           ///< vx::quant::encoding_name ("f32", "sq8", ...)
    int dimensions;
    int64 elements;                 ///< live (not deleted) indexed rows
    int64 dead;                     ///< deleted elements still taking room (hnsw, until VACUUM frees them)
    double oversample;              ///< default oversample factor (0: none)
    bool rescore;                   ///< scans rescore by default
    int nkinds;
    const char* kind_name[kMaxPageKinds];  ///< e.g. "meta", "element", "upper", "quantizer"
    int64 kind_bytes[kMaxPageKinds];       ///< bytes of pages of that kind
    StringInfoData structure;       ///< members of the `structure` JSON object
    StringInfoData quantizer;       ///< members of the `quantizer` JSON object (empty: NULL)
};

/// Fills a report for an index of this AM (index opened with AccessShareLock;
/// structure and quantizer initialized and empty).
typedef void (*IndexInfoFn)(Relation index, IndexInfoReport* out);

/// Sets the columns every AM's metapage gives: mode, level, encoding, dimensions, rescoring defaults.
void index_info_options(IndexInfoReport* out, Mode mode, Compression level, const char* encoding, uint32 dims,
                        double oversample, bool rescore);

/// Adds bytes to a page kind of a report (creating the kind on first use).
void index_info_add_pages(IndexInfoReport* out, const char* kind, int64 bytes);

/// JSON members: "key": value (a comma first unless s is empty).
void info_json_int(StringInfo s, const char* key, int64 v);
void info_json_float(StringInfo s, const char* key, double v);  ///< null when not finite
void info_json_text(StringInfo s, const char* key, const char* v);
void info_json_bool(StringInfo s, const char* key, bool v);
/// "key": {"min", "median", "max", "mean", "stddev"} (median left out when with_median is false).
void info_json_summary(StringInfo s, const char* key, const vx::stats::Summary& sm, bool with_median = true);
/// "key": [c0, c1, ...] (n counts).
void info_json_counts(StringInfo s, const char* key, const int64* c, int n);
/// Members describing a vx::quant quantizer: whether it was trained (an index
/// built on an empty table has default parameters), its stored bytes,
/// encoding, bits and per-dimension ranges or thresholds summarized over dimensions.
void info_json_quantizer(StringInfo s, const vx::quant::Quantizer* q, bool trained, int64 bytes);

}  // namespace vx::pg
