// vector_ext_estimate_recall(index regclass, samples int, k int): recall@k of
// an index under the session's current settings (hnsw.ef_search, ivf.probes,
// vector_ext.oversample_factor, vector_ext.rescore, ...), measured against
// exact search, with a 95 % confidence interval.
//
//   1. Sample: up to `samples` rows the index holds (key not NULL, key at
//      distance 0 from itself rather than NaN: cosine's zero vectors are not
//      indexed; inside a partial index's predicate), ORDER BY random(), so
//      setseed() makes the choice repeatable.
//   2. For each sampled key q, the same query twice,
//        SELECT key OP q FROM heap [WHERE predicate] ORDER BY key OP q LIMIT k
//      once planned as an index scan of this index (the planner sees no
//      other index of the table, seq scans and sorts are disabled, and the
//      plan is checked) and once planned with no index at all (a sequential
//      scan and a top-k sort: exact).
//      OP is the ordering operator of the index's operator class; `key` is
//      the indexed column or expression (expression indexes work too).
//   3. A returned row is a hit when its exact distance is at most the k-th
//      exact distance (ties count as hits); the query's recall is hits / k_q,
//      k_q = exact rows found (fewer than k in a small table). The result is
//      the mean over queries, with the Wilson score interval over the queries
//      (core/stats: conservative for per-query recalls in [0, 1]).
//
// All queries run through SPI under the caller's snapshot (read-only), so
// both searches see the same rows. Planner settings change only inside a GUC
// nest level popped right after planning (an error pops it with the
// transaction), and a get_relation_info_hook hides indexes only while the
// plans are made (PG_FINALLY restores it); the plans are generic
// (CURSOR_OPT_GENERIC_PLAN), so what was checked is what runs, with the
// session's own settings (ef_search, probes, ...). Plain C-style code: no C++ object is alive, so an
// ERROR may longjmp anywhere.
#include "pg/common/index_access.h"

extern "C" {
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/index.h"
#include "catalog/namespace.h"
#include "catalog/pg_operator.h"
#include "commands/defrem.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/pathnodes.h"
#include "nodes/plannodes.h"
#include "optimizer/plancat.h"
#include "portability/instr_time.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/plancache.h"
#include "utils/rel.h"
#include "utils/syscache.h"
}

#include <cmath>

#include "core/stats/summary.h"
#include "pg/common/fmgr_util.h"

namespace vx::pg {

namespace {

constexpr int kMaxSamples = 100000;
constexpr int kMaxK = 1000;
constexpr double kZ95 = 1.959964;

/* SQL pieces of one index. */
struct RecallQueries {
    const char* sample; /* the sampled keys */
    const char* search; /* distances of the k nearest to $1 */
};

// The ordering operator of the index's operator class, as OPERATOR(schema.name).
const char* ordering_operator(Relation index) {
    Oid opfamily = index->rd_opfamily[0];
    Oid intype = index->rd_opcintype[0];
    Oid op = get_opfamily_member(opfamily, intype, intype, 1);
    if (!OidIsValid(op))
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("operator class of index \"%s\" has no ordering operator",
                               RelationGetRelationName(index))));
    HeapTuple tup = SearchSysCache1(OPEROID, ObjectIdGetDatum(op));
    if (!HeapTupleIsValid(tup))
        elog(ERROR, "cache lookup failed for operator %u", op);
    Form_pg_operator form = (Form_pg_operator) GETSTRUCT(tup);
    char* s = psprintf("OPERATOR(%s.%s)", quote_identifier(get_namespace_name(form->oprnamespace)),
                       NameStr(form->oprname));
    ReleaseSysCache(tup);
    return s;
}

// Text of the key column or expression and of the predicate (NULL: none), via SPI.
void key_and_predicate(Oid indexoid, const char** key, const char** pred) {
    Oid argtypes[1] = {OIDOID};
    Datum args[1] = {ObjectIdGetDatum(indexoid)};
    if (SPI_execute_with_args("SELECT pg_get_indexdef(indexrelid, 1, false), pg_get_expr(indpred, indrelid) "
                              "FROM pg_index WHERE indexrelid = $1",
                              1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT ||
        SPI_processed != 1)
        elog(ERROR, "could not read the definition of index %u", indexoid);
    *key = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
    *pred = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
    SPI_freetuptable(SPI_tuptable);
}

// The sample and search queries of an index on heap.
RecallQueries build_queries(Relation heap, Relation index, int samples, int k) {
    const char* key;
    const char* pred;
    key_and_predicate(RelationGetRelid(index), &key, &pred);
    const char* op = ordering_operator(index);
    const char* table = quote_qualified_identifier(get_namespace_name(RelationGetNamespace(heap)),
                                                   RelationGetRelationName(heap));
    const char* and_pred = pred ? psprintf(" AND (%s)", pred) : "";
    RecallQueries q;
    q.sample = psprintf("SELECT (%s) FROM %s WHERE ((%s) %s (%s)) < 'NaN'::float8%s ORDER BY random() LIMIT %d",
                        key, table, key, op, key, and_pred, samples);
    q.search = psprintf("SELECT (%s) %s $1 FROM %s%s%s ORDER BY (%s) %s $1 LIMIT %d", key, op, table,
                        pred ? " WHERE " : "", pred ? psprintf("(%s)", pred) : "", key, op, k);
    return q;
}

// Whether a plan tree scans an index; with `only` valid, whether it scans that index.
bool plan_scans_index(Plan* plan, Oid only) {
    if (plan == NULL)
        return false;
    switch (nodeTag(plan)) {
    case T_IndexScan:
        if (!OidIsValid(only) || ((IndexScan*) plan)->indexid == only)
            return true;
        break;
    case T_IndexOnlyScan:
        if (!OidIsValid(only) || ((IndexOnlyScan*) plan)->indexid == only)
            return true;
        break;
    case T_BitmapIndexScan:
        if (!OidIsValid(only))
            return true;
        break;
    default:
        break;
    }
    return plan_scans_index(plan->lefttree, only) || plan_scans_index(plan->righttree, only);
}

// Sets a planner setting inside the current GUC nest level.
void set_local(const char* name, const char* value) {
    (void) set_config_option(name, value, PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
}

/* While a search is planned: the table, and the one index the planner may
 * see on it (InvalidOid: none, for the exact search). */
Oid plan_heap = InvalidOid;
Oid plan_index = InvalidOid;
get_relation_info_hook_type prev_relation_info_hook = NULL;

// Planner hook: hides every index of the table but plan_index.
void only_planned_index(PlannerInfo* root, Oid relid, bool inhparent, RelOptInfo* rel) {
    if (prev_relation_info_hook)
        prev_relation_info_hook(root, relid, inhparent, rel);
    if (relid != plan_heap)
        return;
    List* keep = NIL;
    ListCell* lc;
    foreach (lc, rel->indexlist) {
        IndexOptInfo* info = (IndexOptInfo*) lfirst(lc);
        if (info->indexoid == plan_index)
            keep = lappend(keep, info);
    }
    rel->indexlist = keep;
}

// How many plans the plan's source has made (a replan, e.g. after a
// concurrent CREATE INDEX, would not have been checked).
int plan_generation(SPIPlanPtr plan) {
    return ((CachedPlanSource*) linitial(SPI_plan_get_plan_sources(plan)))->generation;
}

// Prepares the search as a scan of `index` (index_plan) or without any index
// (exact). The generic plan is made now, with the planner seeing only that
// index or none, and checked; the hook and settings are undone right after.
SPIPlanPtr prepare_search(const char* sql, Oid keytype, Relation heap, Relation index, bool index_plan,
                          int* generation) {
    int level = NewGUCNestLevel();
    if (index_plan) {
        /* the index even where the planner would rather sort the table */
        set_local("enable_seqscan", "off");
        set_local("enable_sort", "off");
    }
    Oid types[1] = {keytype};
    int options = CURSOR_OPT_GENERIC_PLAN | (index_plan ? 0 : CURSOR_OPT_PARALLEL_OK);
    SPIPlanPtr plan = SPI_prepare_cursor(sql, 1, types, options);
    if (plan == NULL)
        elog(ERROR, "SPI_prepare_cursor failed: %s", SPI_result_code_string(SPI_result));
    CachedPlan* cp = NULL;
    plan_heap = RelationGetRelid(heap);
    plan_index = index_plan ? RelationGetRelid(index) : InvalidOid;
    prev_relation_info_hook = get_relation_info_hook;
    get_relation_info_hook = only_planned_index;
    PG_TRY();
    {
        cp = SPI_plan_get_cached_plan(plan);
    }
    PG_FINALLY();
    {
        get_relation_info_hook = prev_relation_info_hook;
        plan_heap = plan_index = InvalidOid;
    }
    PG_END_TRY();
    if (cp == NULL || list_length(cp->stmt_list) != 1)
        elog(ERROR, "vector_ext_estimate_recall: unexpected plan for %s", sql);
    PlannedStmt* ps = linitial_node(PlannedStmt, cp->stmt_list);
    bool ok = index_plan ? plan_scans_index(ps->planTree, RelationGetRelid(index))
                         : !plan_scans_index(ps->planTree, InvalidOid);
    ReleaseCachedPlan(cp, NULL);
    AtEOXact_GUC(true, level);
    *generation = plan_generation(plan);
    if (!ok && index_plan)
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("the planner cannot use index \"%s\" for its nearest-neighbour query",
                               RelationGetRelationName(index)),
                        errdetail("Query: %s", sql)));
    if (!ok)
        elog(ERROR, "vector_ext_estimate_recall: the exact search plan scans an index: %s", sql);
    return plan;
}

// Distances returned by a search for q (NULLs and NaNs left out), at most k.
int run_search(SPIPlanPtr plan, Datum q, double* out, int k, instr_time* spent) {
    instr_time t0, t1;
    INSTR_TIME_SET_CURRENT(t0);
    if (SPI_execute_plan(plan, &q, NULL, true, k) != SPI_OK_SELECT)
        elog(ERROR, "vector_ext_estimate_recall: search failed");
    INSTR_TIME_SET_CURRENT(t1);
    INSTR_TIME_ACCUM_DIFF(*spent, t1, t0);
    int n = 0;
    for (uint64 i = 0; i < SPI_processed && n < k; i++) {
        bool isnull;
        Datum d = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);
        if (!isnull && !std::isnan(DatumGetFloat8(d)))
            out[n++] = DatumGetFloat8(d);
    }
    SPI_freetuptable(SPI_tuptable);
    return n;
}

}  // namespace

}  // namespace vx::pg

using namespace vx::pg;

// One row: recall, ci_low, ci_high, sampled (queries run), top_k (largest k
// compared: k, or fewer rows in a small table), index_ms / exact_ms (time in
// the index and the exact searches).
VX_FUNCTION(vector_ext_estimate_recall) {
    Oid relid = PG_GETARG_OID(0);
    int32 samples = PG_GETARG_INT32(1);
    int32 k = PG_GETARG_INT32(2);
    TupleDesc desc;
    if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
        elog(ERROR, "vector_ext_estimate_recall must return a composite type");
    if (samples < 1 || samples > kMaxSamples)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("samples must be between 1 and %d, not %d", kMaxSamples, samples)));
    if (k < 1 || k > kMaxK)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("k must be between 1 and %d, not %d", kMaxK, k)));
    Relation heap, index;
    (void) open_inspected(relid, AccessShareLock, &heap, &index);
    require_readable(index, "estimate recall of");
    if (IndexRelationGetNumberOfKeyAttributes(index) != 1)
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("index \"%s\" has %d key columns; recall is estimated for one",
                               RelationGetRelationName(index), IndexRelationGetNumberOfKeyAttributes(index))));

    if (SPI_connect() != SPI_OK_CONNECT)
        elog(ERROR, "SPI_connect failed");
    RecallQueries sql = build_queries(heap, index, samples, k);
    if (SPI_execute(sql.sample, true, samples) != SPI_OK_SELECT)
        elog(ERROR, "vector_ext_estimate_recall: sampling failed");
    uint64 nsamples = SPI_processed;
    Oid keytype = SPI_gettypeid(SPI_tuptable->tupdesc, 1);
    int16 typlen;
    bool typbyval;
    get_typlenbyval(keytype, &typlen, &typbyval);
    Datum* keys = (Datum*) palloc(sizeof(Datum) * Max(nsamples, 1));
    for (uint64 i = 0; i < nsamples; i++) {
        bool isnull;
        Datum d = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);
        /* detoasted once here, not in every search */
        keys[i] = typlen == -1 ? PointerGetDatum(PG_DETOAST_DATUM_COPY(d)) : datumCopy(d, typbyval, typlen);
    }
    SPI_freetuptable(SPI_tuptable);

    int index_gen, exact_gen;
    SPIPlanPtr by_index = prepare_search(sql.search, keytype, heap, index, true, &index_gen);
    SPIPlanPtr exact = prepare_search(sql.search, keytype, heap, index, false, &exact_gen);
    double* got = (double*) palloc(sizeof(double) * k);
    double* want = (double*) palloc(sizeof(double) * k);
    instr_time index_time, exact_time;
    INSTR_TIME_SET_ZERO(index_time);
    INSTR_TIME_SET_ZERO(exact_time);
    double recall_sum = 0;
    int queries = 0, top_k = 0;
    for (uint64 i = 0; i < nsamples; i++) {
        CHECK_FOR_INTERRUPTS();
        int ngot = run_search(by_index, keys[i], got, k, &index_time);
        int nwant = run_search(exact, keys[i], want, k, &exact_time);
        if (nwant == 0)
            continue; /* the sampled row went away meanwhile */
        int hits = 0;
        for (int j = 0; j < ngot; j++)
            hits += got[j] <= want[nwant - 1];
        recall_sum += (double) Min(hits, nwant) / nwant;
        queries++;
        top_k = Max(top_k, nwant);
    }
    if (plan_generation(by_index) != index_gen || plan_generation(exact) != exact_gen)
        ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                        errmsg("the searches of vector_ext_estimate_recall were planned again meanwhile"),
                        errdetail("The table's definition or indexes changed during the estimate."),
                        errhint("Run it again.")));
    SPI_finish();
    index_close(index, AccessShareLock);
    table_close(heap, AccessShareLock);

    Datum values[7];
    bool nulls[7] = {false};
    double recall = queries ? recall_sum / queries : 0, low = 0, high = 0;
    vx::stats::wilson_interval(recall, queries, kZ95, &low, &high);
    values[0] = Float8GetDatum(recall);
    values[1] = Float8GetDatum(low);
    values[2] = Float8GetDatum(high);
    nulls[0] = nulls[1] = nulls[2] = queries == 0;
    values[3] = Int32GetDatum(queries);
    values[4] = Int32GetDatum(top_k);
    values[5] = Float8GetDatum(INSTR_TIME_GET_MILLISEC(index_time));
    values[6] = Float8GetDatum(INSTR_TIME_GET_MILLISEC(exact_time));
    PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
