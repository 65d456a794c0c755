// ivf VACUUM: remove entries of dead heap rows, let inserts reuse the room.
//
// ambulkdelete walks every list's chain, one posting page at a time under an
// exclusive lock, and deletes the entries the callback reports dead with
// PageIndexMultiDelete (one GenericXLog record per changed page). When a
// page earlier in the chain than the list's insert page has room, the list's
// insert block is pointed at it (list page locked after the posting page is
// released; inserts follow the chain from there). Pages are never unlinked,
// so a concurrent scan that has read a next link always finds a posting page.
#include "pg/ivf/ivf.h"

extern "C" {
#include "access/generic_xlog.h"
#include "commands/vacuum.h"
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "utils/rel.h"
}

namespace vx::pg::ivf {

// Points list `list`'s insert block at blk when that is earlier in its chain.
static void set_insert_block(Relation index, const IvfMetaInfo& mi, uint32 list, BlockNumber blk,
                             BufferAccessStrategy strategy) {
    Buffer lbuf = ReadBufferExtended(index, MAIN_FORKNUM, list_block(mi, list), RBM_NORMAL, strategy);
    LockBuffer(lbuf, BUFFER_LOCK_EXCLUSIVE);
    Page page = BufferGetPage(lbuf);
    IvfListTuple* t = list_tuple(index, mi, page, list);
    if (t->insert != blk) {
        GenericXLogState* st = GenericXLogStart(index);
        Page copy = GenericXLogRegisterBuffer(st, lbuf, 0);
        ((IvfListTuple*) PageGetItem(copy, PageGetItemId(copy, list_offset(mi, list))))->insert = blk;
        GenericXLogFinish(st);
    }
    UnlockReleaseBuffer(lbuf);
}

// Cleans one list's chain.
static void vacuum_list(IndexVacuumInfo* info, IndexBulkDeleteResult* stats, const IvfMetaInfo& mi,
                        uint32 list, BlockNumber blk, IndexBulkDeleteCallback callback, void* state) {
    Relation index = info->index;
    OffsetNumber dead[MaxOffsetNumber];
    BlockNumber first_room = InvalidBlockNumber;
    while (blk != InvalidBlockNumber) {
        vacuum_delay_point();
        Buffer buf = ReadBufferExtended(index, MAIN_FORKNUM, blk, RBM_NORMAL, info->strategy);
        LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
        Page page = BufferGetPage(buf);
        OffsetNumber max = PageGetMaxOffsetNumber(page);
        int ndead = 0;
        for (OffsetNumber off = FirstOffsetNumber; off <= max; off++) {
            IvfEntry* e = posting_entry(index, mi, blk, page, off);
            if (callback(&e->heaptid, state))
                dead[ndead++] = off;
        }
        if (ndead > 0) {
            GenericXLogState* st = GenericXLogStart(index);
            Page copy = GenericXLogRegisterBuffer(st, buf, 0);
            PageIndexMultiDelete(copy, dead, ndead);
            GenericXLogFinish(st);
            stats->tuples_removed += ndead;
        }
        stats->num_index_tuples += max - ndead;
        if (first_room == InvalidBlockNumber && PageGetFreeSpace(page) >= MAXALIGN(mi.entry_size))
            first_room = blk;
        BlockNumber next = IvfPageGetOpaque(page)->next;
        UnlockReleaseBuffer(buf);
        blk = next;
    }
    if (first_room != InvalidBlockNumber)
        set_insert_block(index, mi, list, first_room, info->strategy);
}

}  // namespace vx::pg::ivf

using namespace vx::pg::ivf;

// Deletes the entries of dead heap rows from every list.
IndexBulkDeleteResult* ivfbulkdelete(IndexVacuumInfo* info, IndexBulkDeleteResult* stats,
                                     IndexBulkDeleteCallback callback, void* callback_state) {
    if (stats == NULL)
        stats = (IndexBulkDeleteResult*) palloc0(sizeof(IndexBulkDeleteResult));
    IvfMetaInfo mi;
    read_meta(info->index, &mi);
    IvfListSet ls;
    read_lists(info->index, mi, &ls);
    for (uint32 k = 0; k < mi.lists; k++) {
        CHECK_FOR_INTERRUPTS();
        /* The head may have been set by an insert since read_lists: vacuum_list
         * misses nothing that matters, a chain started after the VACUUM began
         * holds only rows newer than its dead set. */
        vacuum_list(info, stats, mi, k, ls.start[k], callback, callback_state);
    }
    pfree(ls.centroids);
    pfree(ls.start);
    return stats;
}

// Statistics after VACUUM (pages; tuples as counted by bulkdelete).
IndexBulkDeleteResult* ivfvacuumcleanup(IndexVacuumInfo* info, IndexBulkDeleteResult* stats) {
    if (info->analyze_only)
        return stats;
    if (stats == NULL) {
        /* No bulkdelete ran: estimate tuples from the heap. */
        stats = (IndexBulkDeleteResult*) palloc0(sizeof(IndexBulkDeleteResult));
        stats->num_index_tuples = info->num_heap_tuples;
        stats->estimated_count = info->estimated_count;
    }
    stats->num_pages = RelationGetNumberOfBlocks(info->index);
    return stats;
}
