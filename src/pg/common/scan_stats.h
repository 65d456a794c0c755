// What an index scan did, for EXPLAIN (ANALYZE) (see explain.h).
//
// Every vector_ext scan keeps one ScanStats in its opaque state from
// ambeginscan to amendscan, counting across rescans (loops). The counters are
// plain increments on the scan's own memory, so they cost nothing worth
// measuring when no EXPLAIN runs; EXPLAIN reads them through IndexAm::stats
// before the executor ends the scan. A new scan starts at zero, so numbers
// never carry over from an earlier query.
#pragma once

extern "C" {
#include "postgres.h"
}

namespace vx::pg {

struct ScanStats {
    uint64 loops;          ///< searches started (the first amgettuple after each amrescan)
    uint64 candidates;     ///< phase-1 candidates gathered (hnsw batch rows, ivf list entries, binary pass rows)
    uint64 codes_compared; ///< distances computed against index codes
    uint64 heap_fetches;   ///< heap rows fetched for rescoring (pg/common/rescore)
    uint64 rows_returned;  ///< rows handed to the executor
    uint64 extensions;     ///< batches after the first of a loop (iterative scans, later passes)
    uint64 lists_probed;   ///< ivf: lists read
    uint32 lists_total;    ///< ivf: lists in the index (0: not an ivf scan)
    /// Loops that stopped at the walk limit while the executor wanted more rows.
    uint64 limit_hits;
    const char* limit_setting; ///< the limit's GUC name (static string), when hit
    int64 limit_value;         ///< its value then
    /// Loops that ran out of rows after a full first batch because iterative
    /// scans are off (a filtered query then returns fewer rows than asked).
    uint64 unextended;
    const char* iterative_setting; ///< the iterative-scan GUC name, when counted
};

/// Records that a loop stopped at a limit setting (e.g. hnsw.max_scan_tuples).
static inline void scan_stats_limit(ScanStats* st, const char* setting, int64 value) {
    st->limit_hits++;
    st->limit_setting = setting;
    st->limit_value = value;
}

/// Records that a loop ran out of rows with iterative scans off.
static inline void scan_stats_unextended(ScanStats* st, const char* setting) {
    st->unextended++;
    st->iterative_setting = setting;
}

}  // namespace vx::pg
