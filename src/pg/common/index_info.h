// vector_ext_index_info(regclass): what an index of ours holds, for every
// access method. Each AM has one callback (its row of the table in
// index_access.cpp) that fills an IndexInfoReport from its metapage and pages.
#pragma once

extern "C" {
#include "postgres.h"
#include "utils/relcache.h"
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
    double oversample;              ///< default oversample factor (0: none)
    bool rescore;                   ///< scans rescore by default
    int nkinds;
    const char* kind_name[kMaxPageKinds];  ///< e.g. "meta", "element", "upper", "quantizer"
    int64 kind_bytes[kMaxPageKinds];       ///< bytes of pages of that kind
};

/// Fills a report for an index of this AM (index opened with AccessShareLock).
typedef void (*IndexInfoFn)(Relation index, IndexInfoReport* out);

/// Adds bytes to a page kind of a report (creating the kind on first use).
void index_info_add_pages(IndexInfoReport* out, const char* kind, int64 bytes);

}  // namespace vx::pg
