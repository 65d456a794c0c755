// Rescoring (DESIGN §1, phase 2 of a two-phase search): one routine for every
// access method that stores quantized codes (hnsw, ivf, binary).
//
// Phase 1 (the AM's own) gathers candidates by code distance: heap TIDs plus
// an approximate distance. Phase 2 is here: each candidate's row is fetched
// from the heap under the scan's snapshot (rows the snapshot cannot see are
// skipped), the indexed value is taken from it (the column, or the index
// expression evaluated on the row), and the exact distance is the ORDER BY
// operator's own function applied to (value, query). Rows come back sorted by
// exact distance, ascending (ties: by TID).
//
// Usage from an AM's scan (all calls on the backend thread, plain C, palloc):
//
//   /* at the first amgettuple of a query */
//   double os; bool on;
//   vx::pg::rescore_settings(meta_oversample, meta_rescore, &os, &on);
//   int ncand = vx::pg::rescore_candidate_count(os, hnsw_ef_search);
//   vx::pg::Rescorer* rs = vx::pg::rescore_begin(scan->heapRelation, scan->indexRelation,
//       scan->xs_snapshot, &scan->orderByData[0].sk_func,
//       scan->orderByData[0].sk_collation, scan->orderByData[0].sk_argument, &so->stats);
//   /* per batch of candidates (any number, any order) */
//   int n = vx::pg::rescore(rs, cands, ncand_found, rows);   /* rows: ncand_found slots */
//   /* return rows[0..n) in order: xs_heaptid = rows[i].tid,
//      xs_orderbyvals[0] = Float8GetDatum(rows[i].distance), xs_recheckorderby = false */
//   /* at endscan (or let the scan's memory context go) */
//   vx::pg::rescore_end(rs);
//
// Memory: everything lives in a child context of the memory context current
// at rescore_begin; values detoasted for one candidate are freed before the
// next, so a batch of 10000 candidates needs no more than one row at a time.
// Errors (e.g. a dimension mismatch raised by the distance function) are
// ordinary ereports: call these functions outside any C++ scope (VX_GUARD).
//
// Expression indexes (CREATE INDEX ... USING hnsw ((expr) ...)): the index
// expression is evaluated on the fetched row with FormIndexDatum, so the exact
// distance is computed on the same value the index was built from.
#pragma once

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "storage/itemptr.h"
#include "utils/relcache.h"
#include "utils/snapshot.h"
}

#include "pg/common/scan_stats.h"

namespace vx::pg {

/// Fewest and most candidates a scan rescores per batch (as OpenSearch clamps).
constexpr int kRescoreMinCandidates = 100;
constexpr int kRescoreMaxCandidates = 10000;

/// One phase-1 candidate.
struct RescoreCandidate {
    ItemPointerData tid;  ///< heap TID the index stores
    float approx;         ///< code distance (tie-breaker only)
};

/// One visible row with its exact distance.
struct RescoredRow {
    ItemPointerData tid;  ///< TID to return (as the candidate's: the executor follows HOT chains)
    double distance;      ///< the ORDER BY operator's result
};

struct Rescorer;

/// Starts rescoring for one scan: heap and index relations, the scan's
/// snapshot, the ORDER BY operator's function and collation and the query
/// value (a non-NULL datum of the indexed type). Heap fetches are counted in
/// `stats` (the scan's, for EXPLAIN; may be NULL).
Rescorer* rescore_begin(Relation heap, Relation index, Snapshot snapshot, FmgrInfo* distance,
                        Oid collation, Datum query, ScanStats* stats);

/// Rescores ncand candidates into out (room for ncand rows); returns how many
/// rows are visible, sorted by exact distance ascending. Rows whose indexed
/// value is NULL now are skipped too.
int rescore(Rescorer* rs, const RescoreCandidate* cand, int ncand, RescoredRow* out);

/// Frees the rescorer (also freed with its parent memory context).
void rescore_end(Rescorer* rs);

/// GUCs vector_ext.rescore / vector_ext.oversample_factor over an index's
/// defaults: whether to rescore and with which oversample factor (>= 1.0).
void rescore_settings(double index_oversample, bool index_rescore, double* oversample,
                      bool* rescore);

/// Candidates per batch: ceil(oversample * k) clamped to [100, 10000].
int rescore_candidate_count(double oversample, int k);

/* GUC variables (gucs.cpp) */
extern double oversample_factor_guc; ///< 0 = the index's default
extern int rescore_guc;              ///< RESCORE_AUTO / RESCORE_ON / RESCORE_OFF
enum { RESCORE_AUTO = 0, RESCORE_ON = 1, RESCORE_OFF = 2 };

}  // namespace vx::pg
