// Rescoring of phase-1 candidates against the heap (see rescore.h).
//
// Plain C-style code: no C++ object is alive across the PostgreSQL calls
// below (STYLE 4), so an ERROR anywhere simply unwinds to the caller.
#include "pg/common/rescore.h"

extern "C" {
#include "access/relscan.h"
#include "access/tableam.h"
#include "catalog/index.h"
#include "executor/executor.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "nodes/execnodes.h"
#include "utils/memutils.h"
#include "utils/rel.h"
}

#include <cmath>

namespace vx::pg {

double oversample_factor_guc = 0.0;
int rescore_guc = RESCORE_AUTO;

struct Rescorer {
    Relation heap;
    Snapshot snapshot;
    FmgrInfo* distance;
    Oid collation;
    Datum query;
    IndexFetchTableData* fetch;
    TupleTableSlot* slot;
    IndexInfo* ii;       /* the index's definition (column or expression) */
    EState* estate;      /* expression indexes only */
    MemoryContext cxt;   /* everything above */
    MemoryContext tmp;   /* one candidate's detoasted value, reset per row */
    ScanStats* stats;    /* the scan's counters (EXPLAIN), or NULL */
};

// Fetch state, slot and (for expressions) an executor state.
Rescorer* rescore_begin(Relation heap, Relation index, Snapshot snapshot, FmgrInfo* distance,
                        Oid collation, Datum query, ScanStats* stats) {
    if (heap == NULL)
        elog(ERROR, "rescoring needs the heap relation of index \"%s\"", RelationGetRelationName(index));
    MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "vector_ext rescore",
                                              ALLOCSET_DEFAULT_SIZES);
    MemoryContext old = MemoryContextSwitchTo(cxt);
    Rescorer* rs = (Rescorer*) palloc0(sizeof(Rescorer));
    rs->heap = heap;
    rs->snapshot = snapshot;
    rs->distance = distance;
    rs->collation = collation;
    rs->query = query;
    rs->stats = stats;
    rs->cxt = cxt;
    rs->tmp = AllocSetContextCreate(cxt, "vector_ext rescore row", ALLOCSET_SMALL_SIZES);
    rs->fetch = table_index_fetch_begin(heap);
    rs->slot = table_slot_create(heap, NULL);
    rs->ii = BuildIndexInfo(index);
    if (rs->ii->ii_IndexAttrNumbers[0] == 0) {
        rs->estate = CreateExecutorState();
        GetPerTupleExprContext(rs->estate)->ecxt_scantuple = rs->slot;
    }
    MemoryContextSwitchTo(old);
    return rs;
}

// The indexed value of the row in the slot; false when NULL.
static bool indexed_value(Rescorer* rs, Datum* value) {
    bool isnull;
    AttrNumber att = rs->ii->ii_IndexAttrNumbers[0];
    if (att != 0) {
        *value = slot_getattr(rs->slot, att, &isnull);
        return !isnull;
    }
    Datum values[INDEX_MAX_KEYS];
    bool nulls[INDEX_MAX_KEYS];
    ResetExprContext(GetPerTupleExprContext(rs->estate));
    FormIndexDatum(rs->ii, rs->slot, rs->estate, values, nulls);
    *value = values[0];
    return !nulls[0];
}

// Ascending exact distance (NaN last), then TID.
static int compare_rows(const void* a, const void* b, void* arg) {
    const RescoredRow* x = (const RescoredRow*) a;
    const RescoredRow* y = (const RescoredRow*) b;
    (void) arg;
    bool xn = std::isnan(x->distance), yn = std::isnan(y->distance);
    if (xn != yn)
        return xn ? 1 : -1;
    if (!xn && x->distance != y->distance)
        return x->distance < y->distance ? -1 : 1;
    return ItemPointerCompare((ItemPointer) &x->tid, (ItemPointer) &y->tid);
}

// Candidates in heap order (TID), so rows sharing a heap page are fetched together.
static int compare_tids(const void* a, const void* b) {
    return ItemPointerCompare(&((RescoredRow*) a)->tid, &((RescoredRow*) b)->tid);
}

// Fetch (in heap order), exact distance, sort.
int rescore(Rescorer* rs, const RescoreCandidate* cand, int ncand, RescoredRow* out) {
    /* out doubles as the TID list to fetch: rows are written at or before
     * the position they were read from. */
    for (int i = 0; i < ncand; i++)
        out[i].tid = cand[i].tid;
    pg_qsort(out, ncand, sizeof(RescoredRow), compare_tids);
    if (rs->stats)
        rs->stats->heap_fetches += ncand;
    int n = 0;
    for (int i = 0; i < ncand; i++) {
        CHECK_FOR_INTERRUPTS();
        ItemPointerData tid = out[i].tid;
        bool call_again = false, all_dead = false;
        if (!table_index_fetch_tuple(rs->fetch, &tid, rs->snapshot, rs->slot, &call_again, &all_dead))
            continue;
        MemoryContext old = MemoryContextSwitchTo(rs->tmp);
        Datum value;
        if (indexed_value(rs, &value)) {
            Datum d = FunctionCall2Coll(rs->distance, rs->collation, value, rs->query);
            out[n].tid = out[i].tid;
            out[n].distance = DatumGetFloat8(d);
            n++;
        }
        MemoryContextSwitchTo(old);
        MemoryContextReset(rs->tmp);
        ExecClearTuple(rs->slot);
    }
    qsort_arg(out, n, sizeof(RescoredRow), compare_rows, NULL);
    return n;
}

// Releases fetch state, slot and executor state.
void rescore_end(Rescorer* rs) {
    if (rs == NULL)
        return;
    table_index_fetch_end(rs->fetch);
    ExecDropSingleTupleTableSlot(rs->slot);
    if (rs->estate)
        FreeExecutorState(rs->estate);
    MemoryContextDelete(rs->cxt);
}

// GUC overrides over the index's defaults.
void rescore_settings(double index_oversample, bool index_rescore, double* oversample, bool* rescore) {
    *rescore = rescore_guc == RESCORE_AUTO ? index_rescore : rescore_guc == RESCORE_ON;
    double os = oversample_factor_guc > 0 ? oversample_factor_guc : index_oversample;
    *oversample = os >= 1.0 ? os : 1.0;
}

// ceil(oversample * k) in [100, 10000].
int rescore_candidate_count(double oversample, int k) {
    double n = std::ceil(oversample * (double) k);
    if (n < kRescoreMinCandidates)
        return kRescoreMinCandidates;
    if (n > kRescoreMaxCandidates)
        return kRescoreMaxCandidates;
    return (int) n;
}

}  // namespace vx::pg
