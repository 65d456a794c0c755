// EXPLAIN (ANALYZE) of vector_ext index scans: a "Vector Index Scans" section
// listing, for every vector_ext index scan of the explained plan, what it did
// (candidates, codes compared, heap fetches for rescoring, rows returned,
// iterative extensions, walk limits reached).
//
// PostgreSQL 15 has no per-access-method EXPLAIN callback, and no hook runs
// inside ExplainOnePlan with the ExplainState (EXPLAIN EXECUTE does not even
// pass ExplainOneQuery_hook). So:
//
//  1. ProcessUtility_hook sees EXPLAIN with ANALYZE and pushes a capture
//     (a stack: an EXPLAIN may run inside a function that an explained query
//     calls), then runs EXPLAIN with its output receiver wrapped.
//  2. ExecutorStart_hook marks the explained query: the first instrumented
//     query started while the capture has none (queries nested in functions
//     start later, while it runs; planning-time queries are not instrumented).
//  3. ExecutorEnd_hook, before the executor ends the scans, walks that
//     query's plan state and copies the ScanStats of every index scan on a
//     vector_ext index (IndexAm::stats), in plan order, with loop counts.
//  4. The wrapped receiver, which gets EXPLAIN's output only after the query
//     has ended, adds the section: TEXT after the plan tree; JSON, XML and
//     YAML inside the (last) "Query" object, written with ExplainProperty* so
//     each format's own quoting and nesting apply.
//
// Counters live in each scan (scan_stats.h) and start at zero, so nothing
// stale can show. Scans run by parallel workers are not counted (their scan
// state lives in the workers); the section says so. Queries run inside
// functions the explained query calls are not part of its plan and are not
// shown. Without ANALYZE nothing changes.
#pragma once

extern "C" {
#include "postgres.h"
#include "commands/explain.h"
#include "executor/execdesc.h"
#include "nodes/pg_list.h"
#include "tcop/dest.h"
}

#include "pg/common/scan_stats.h"

namespace vx::pg {

/// One vector_ext index scan of an explained plan.
struct ScanReport {
    const char* index;    ///< index name
    const char* relation; ///< table name
    const char* am;       ///< access method
    ScanStats stats;      ///< totals over every loop
    bool executed;        ///< the scan was started in this process
    int workers;          ///< parallel workers that ran it too (not counted)
};

/// One running EXPLAIN (ANALYZE).
struct ExplainCapture {
    ExplainCapture* outer; ///< enclosing EXPLAIN, if any
    QueryDesc* query;      ///< the explained query while it runs
    List* scans;           ///< ScanReport*, plan order (all explained plans)
    ExplainFormat format;
    MemoryContext cxt;     ///< where reports are allocated
};

/// Installs the hooks (from _PG_init), chaining to earlier ones.
void register_explain_hooks();

/* explain_output.cpp */
/// Writes the section into es at its current indentation and grouping.
void explain_scans(ExplainState* es, List* scans);
/// A receiver that forwards EXPLAIN's output to `inner`, adding the section.
DestReceiver* explain_capture_dest(DestReceiver* inner, ExplainCapture* cap);

}  // namespace vx::pg
