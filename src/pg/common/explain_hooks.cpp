// The hooks behind EXPLAIN (ANALYZE)'s "Vector Index Scans" section (see
// explain.h): capture stack, explained-query marking, scan collection.
//
// Plain C-style code: no C++ object with a destructor is alive around the
// PostgreSQL calls (PG_TRY only restores the capture stack).
#include "pg/common/explain.h"

extern "C" {
#include "executor/executor.h"
#include "executor/instrument.h"
#include "nodes/execnodes.h"
#include "nodes/nodeFuncs.h"
#include "tcop/utility.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
}

#include "pg/common/index_access.h"

namespace vx::pg {

static ProcessUtility_hook_type prev_utility = NULL;
static ExecutorStart_hook_type prev_start = NULL;
static ExecutorEnd_hook_type prev_end = NULL;

/* The innermost running EXPLAIN (ANALYZE), NULL when none runs. */
static ExplainCapture* top = NULL;

// An EXPLAIN option's boolean value without erroring (EXPLAIN reports bad
// values itself); false when it is not one.
static bool option_bool(DefElem* opt, bool* value) {
    if (opt->arg == NULL) {
        *value = true;
        return true;
    }
    if (IsA(opt->arg, Boolean)) {
        *value = boolVal(opt->arg);
        return true;
    }
    if (IsA(opt->arg, Integer) && (intVal(opt->arg) == 0 || intVal(opt->arg) == 1)) {
        *value = intVal(opt->arg) == 1;
        return true;
    }
    return IsA(opt->arg, String) && parse_bool(strVal(opt->arg), value);
}

// Whether an EXPLAIN runs its query (ANALYZE), and its output format.
static bool explain_analyzes(ExplainStmt* stmt, ExplainFormat* format) {
    bool analyze = false;
    ListCell* lc;
    *format = EXPLAIN_FORMAT_TEXT;
    foreach (lc, stmt->options) {
        DefElem* opt = (DefElem*) lfirst(lc);
        if (strcmp(opt->defname, "analyze") == 0) {
            if (!option_bool(opt, &analyze))
                return false;
        } else if (strcmp(opt->defname, "format") == 0) {
            if (opt->arg == NULL || !IsA(opt->arg, String))
                return false;
            const char* f = strVal(opt->arg);
            if (strcmp(f, "text") == 0)
                *format = EXPLAIN_FORMAT_TEXT;
            else if (strcmp(f, "json") == 0)
                *format = EXPLAIN_FORMAT_JSON;
            else if (strcmp(f, "xml") == 0)
                *format = EXPLAIN_FORMAT_XML;
            else if (strcmp(f, "yaml") == 0)
                *format = EXPLAIN_FORMAT_YAML;
            else
                return false;
        }
    }
    return analyze;
}

// EXPLAIN (ANALYZE): run it under a capture with its output wrapped.
static void explain_utility(PlannedStmt* pstmt, const char* queryString, bool readOnlyTree,
                            ProcessUtilityContext context, ParamListInfo params,
                            QueryEnvironment* queryEnv, DestReceiver* dest, QueryCompletion* qc) {
    ProcessUtility_hook_type next = prev_utility ? prev_utility : standard_ProcessUtility;
    ExplainFormat format;
    if (!IsA(pstmt->utilityStmt, ExplainStmt) ||
        !explain_analyzes((ExplainStmt*) pstmt->utilityStmt, &format)) {
        next(pstmt, queryString, readOnlyTree, context, params, queryEnv, dest, qc);
        return;
    }
    ExplainCapture* cap = (ExplainCapture*) palloc0(sizeof(ExplainCapture));
    cap->outer = top;
    cap->format = format;
    cap->cxt = CurrentMemoryContext;
    DestReceiver* wrapped = explain_capture_dest(dest, cap);
    top = cap;
    PG_TRY();
    {
        next(pstmt, queryString, readOnlyTree, context, params, queryEnv, wrapped, qc);
    }
    PG_FINALLY();
    {
        top = cap->outer;
    }
    PG_END_TRY();
}

// Marks the explained query: the first instrumented one of the capture.
static void explain_start(QueryDesc* qd, int eflags) {
    if (top != NULL && top->query == NULL && !(eflags & EXEC_FLAG_EXPLAIN_ONLY) &&
        (qd->instrument_options & (INSTRUMENT_TIMER | INSTRUMENT_ROWS)))
        top->query = qd;
    if (prev_start)
        prev_start(qd, eflags);
    else
        standard_ExecutorStart(qd, eflags);
}

// The index scan descriptor and index of a plan state node (NULL: not an index scan).
static Relation node_index(PlanState* ps, IndexScanDesc* scan) {
    if (IsA(ps, IndexScanState)) {
        *scan = ((IndexScanState*) ps)->iss_ScanDesc;
        return ((IndexScanState*) ps)->iss_RelationDesc;
    }
    if (IsA(ps, IndexOnlyScanState)) {
        *scan = ((IndexOnlyScanState*) ps)->ioss_ScanDesc;
        return ((IndexOnlyScanState*) ps)->ioss_RelationDesc;
    }
    return NULL;
}

// Adds a report for every vector_ext index scan below ps, in plan order.
static bool collect_node(PlanState* ps, void* arg) {
    ExplainCapture* cap = (ExplainCapture*) arg;
    if (ps == NULL)
        return false;
    IndexScanDesc scan = NULL;
    Relation index = node_index(ps, &scan);
    const IndexAm* am = index ? find_index_am(index) : NULL;
    if (am != NULL) {
        ScanReport* r = (ScanReport*) palloc0(sizeof(ScanReport));
        r->index = pstrdup(RelationGetRelationName(index));
        char* rel = get_rel_name(index->rd_index->indrelid);
        r->relation = rel ? rel : "?";
        r->am = am->name;
        const ScanStats* st = scan ? am->stats(scan) : NULL;
        if (st) {
            r->stats = *st;
            r->executed = true;
        }
        r->workers = ps->worker_instrument ? ps->worker_instrument->num_workers : 0;
        cap->scans = lappend(cap->scans, r);
    }
    /* PostgreSQL 15 declares the walker unprototyped: (bool (*)()) in C++ */
    return planstate_tree_walker(ps, reinterpret_cast<bool (*)()>(reinterpret_cast<void (*)()>(collect_node)), arg);
}

// Before the scans end: copy the explained query's counters.
static void explain_end(QueryDesc* qd) {
    for (ExplainCapture* c = top; c != NULL; c = c->outer) {
        if (c->query != qd)
            continue;
        MemoryContext old = MemoryContextSwitchTo(c->cxt);
        collect_node(qd->planstate, c);
        MemoryContextSwitchTo(old);
        c->query = NULL; /* the next plan of the same EXPLAIN, if any */
        break;
    }
    if (prev_end)
        prev_end(qd);
    else
        standard_ExecutorEnd(qd);
}

void register_explain_hooks() {
    prev_utility = ProcessUtility_hook;
    ProcessUtility_hook = explain_utility;
    prev_start = ExecutorStart_hook;
    ExecutorStart_hook = explain_start;
    prev_end = ExecutorEnd_hook;
    ExecutorEnd_hook = explain_end;
}

}  // namespace vx::pg
