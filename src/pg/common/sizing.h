// What every access method gives vector_ext_estimate and its own build's
// "does an element fit on a page" check: its page layout numbers and its
// resolved options as core sizing parameters (src/core/sizing/estimate.h).
#pragma once

extern "C" {
#include "postgres.h"
}

#include "core/sizing/estimate.h"
#include "pg/common/options.h"

namespace vx::pg {

/// The column an index (or an estimate) is for.
struct SizingTarget {
    OptionTarget target;      ///< the options resolver's view of column and operator class
    vx::sizing::Column column;
    uint32 dims;
    double rows;              ///< expected rows (ivf's default list count)
    bool cosine;              ///< cosine operator class (ivf k-means normalizes its sample)
};

/// What an access method resolved from its reloptions.
struct Sizing {
    vx::sizing::Params params;
    ResolvedOptions resolved;
    Compression max_level;    ///< highest level this AM allows for the target
    bool product_quantized;   ///< ivf pq_m: codes are PQ's, not a level's
};

/// Resolves parsed reloptions (amoptions' result, NULL: all defaults) for a
/// target; level, when not NULL, replaces the compression_level reloption.
/// Errors as CREATE INDEX would for the same options.
typedef void (*SizingFn)(const bytea* rd_options, const SizingTarget& target, const char* level, Sizing* out);

/// Layout numbers of pages of MAXALIGNed items with line pointers (hnsw,
/// ivf): space is what the page header and a special area of `special` bytes leave.
vx::sizing::PageGeometry item_page_geometry(uint32 special, uint32 element_header, uint32 aux_header);

/// Threads a build runs on: max_parallel_maintenance_workers + 1, at most the cores.
int build_threads();

/// The parameters every access method's sizing shares: column, dims, rows and
/// encoding of the target and resolved options, the build's threads and
/// maintenance_work_mem, and the candidates a scan rescores per batch of k
/// rows under the session's settings (0 when it does not rescore).
vx::sizing::Params common_params(vx::sizing::Am am, const SizingTarget& target, const ResolvedOptions& resolved,
                                 int k);

/// Column of a type of ours (vector, bytevector, bitvector).
vx::sizing::Column sizing_column(uint8 hnsw_type);

/// Errors (program_limit_exceeded) when an element of s does not fit on a
/// page of g: called by each build before it scans the table. The detail says
/// how large the element is and the most dimensions that fit; the hint names
/// the compression levels that would fit, or says that none would.
void check_element_fits(const char* am, const Sizing& s, const vx::sizing::PageGeometry& g);

}  // namespace vx::pg
