// vector_ext_index_check(index regclass, heapallindexed boolean): structural
// verification of a vector_ext index in the manner of amcheck's
// bt_index_check. The access method verifies its pages and lists the heap
// TIDs of its live elements; with heapallindexed, every visible (or recently
// dead) non-NULL heap row that the index would hold must appear exactly once.
//
// Locks: ShareLock on the table (no concurrent writes or VACUUM, reads go on)
// and AccessShareLock on the index, both held to the end of the transaction.
// On a standby (no ShareLock in recovery) AccessShareLock; pause replay first.
// Plain C-style code: ereport may longjmp from anywhere here.
#include "pg/common/index_access.h"

extern "C" {
#include "access/genam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xlog.h"
#include "catalog/index.h"
#include "catalog/pg_class.h"
#include "storage/lmgr.h"
#include "utils/lsyscache.h"
}

#include "pg/common/fmgr_util.h"

namespace {

using vx::pg::IndexAm;
using vx::pg::TidList;

int compare_tids(const void* a, const void* b) {
    return ItemPointerCompare((ItemPointer) a, (ItemPointer) b);
}

struct HeapCheckState {
    Relation heap;
    Relation index;
    const IndexAm* am;
    const TidList* live;
};

// A heap row the index must hold: found exactly once (duplicates were ruled out before).
void check_heap_row(Relation index, ItemPointer tid, Datum* values, bool* isnull, bool alive, void* arg) {
    HeapCheckState* st = (HeapCheckState*) arg;
    (void) alive;
    if (isnull[0] || !st->am->indexable(index, values[0]))
        return;
    if (bsearch(tid, st->live->tids, st->live->n, sizeof(ItemPointerData), compare_tids) == NULL)
        ereport(ERROR, (errcode(ERRCODE_INDEX_CORRUPTED),
                        errmsg("heap tuple (%u,%u) of table \"%s\" is not in index \"%s\"",
                               ItemPointerGetBlockNumber(tid), ItemPointerGetOffsetNumber(tid),
                               RelationGetRelationName(st->heap), RelationGetRelationName(index)),
                        errhint("REINDEX INDEX %s;", RelationGetRelationName(index))));
}

// Every indexable heap row once in the index.
void check_heap_all_indexed(Relation heap, Relation index, const IndexAm* am, TidList* live) {
    if (live->n > 1)
        qsort(live->tids, live->n, sizeof(ItemPointerData), compare_tids);
    for (uint64 i = 1; i < live->n; i++)
        if (ItemPointerEquals(&live->tids[i - 1], &live->tids[i]))
            ereport(ERROR, (errcode(ERRCODE_INDEX_CORRUPTED),
                            errmsg("index \"%s\" holds heap tuple (%u,%u) more than once",
                                   RelationGetRelationName(index), ItemPointerGetBlockNumber(&live->tids[i]),
                                   ItemPointerGetOffsetNumber(&live->tids[i])),
                            errhint("REINDEX INDEX %s;", RelationGetRelationName(index))));
    IndexInfo* ii = BuildIndexInfo(index);
    HeapCheckState st = {heap, index, am, live};
    table_index_build_scan(heap, index, ii, true, false, check_heap_row, &st, NULL);
}

}  // namespace

VX_FUNCTION(vector_ext_index_check) {
    Oid indexoid = PG_GETARG_OID(0);
    bool heapallindexed = PG_GETARG_BOOL(1);
    /* A standby cannot take ShareLock; there, replay is the only writer and
     * should be paused (pg_wal_replay_pause) for a stable picture. */
    LOCKMODE mode = RecoveryInProgress() ? AccessShareLock : ShareLock;
    Relation heap, index;
    const IndexAm* am = vx::pg::open_inspected(indexoid, mode, &heap, &index);
    vx::pg::require_readable(index, "check");
    TidList live = {NULL, 0, 0};
    am->check(index, &live);
    if (heapallindexed)
        check_heap_all_indexed(heap, index, am, &live);
    index_close(index, NoLock);
    table_close(heap, NoLock);
    PG_RETURN_VOID();
}
