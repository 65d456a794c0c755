// binary VACUUM.
//
// ambulkdelete: one pass over the code pages, each under an exclusive content
// lock; entries whose heap TID the callback reports dead are removed and the
// live ones slide down in order (the page stays hole-free, see page.h), in
// one GenericXLog record per changed page. Pages left with room go into the
// metapage's free list, so inserts fill them before the index grows.
// A scan reads a whole page under a share lock, so it sees a page either
// before or after compaction, never half-moved. Entries never move between
// pages, so a scan's pass over the pages neither misses nor repeats an entry
// that survives.
// amvacuumcleanup: counts the pages and live entries for the statistics.
// Plain C-style code: no C++ object is alive across PostgreSQL calls.
#include "pg/binary/binary.h"

extern "C" {
#include "access/generic_xlog.h"
#include "commands/vacuum.h"
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "storage/indexfsm.h"
#include "utils/rel.h"
}

namespace vx::pg::binary {

// Removes the dead entries of a locked code page (WAL-logged); returns the
// number removed.
static uint32 compact_page(Relation index, Buffer buf, const BinaryMetaInfo& mi,
                           IndexBulkDeleteCallback callback, void* cstate) {
    Page page = BufferGetPage(buf);
    uint32 count = code_page_count(index, BufferGetBlockNumber(buf), page, mi);
    uint32 first_dead = count;
    for (uint32 i = 0; i < count; i++) {
        ItemPointerData tid = BinaryGetTid(page, mi.code_size, mi.per_page, i);
        if (callback(&tid, cstate)) {
            first_dead = i;
            break;
        }
    }
    if (first_dead == count)
        return 0;
    GenericXLogState* st = GenericXLogStart(index);
    Page gp = GenericXLogRegisterBuffer(st, buf, 0);
    uint32 j = first_dead;
    for (uint32 i = first_dead + 1; i < count; i++) {
        ItemPointerData tid = BinaryGetTid(gp, mi.code_size, mi.per_page, i);
        if (callback(&tid, cstate))
            continue;
        memcpy(BinaryPageCode(gp, mi.code_size, j), BinaryPageCode(gp, mi.code_size, i), mi.code_size);
        BinarySetTid(gp, mi.code_size, mi.per_page, j, &tid);
        j++;
    }
    /* Zero what is no longer used, so the page says only what it holds. */
    memset(BinaryPageCode(gp, mi.code_size, j), 0, (size_t) (count - j) * mi.code_size);
    memset(BinaryPageTidBytes(gp, mi.code_size, mi.per_page, j), 0, (size_t) (count - j) * sizeof(ItemPointerData));
    BinaryPageGetOpaque(gp)->count = (uint16) j;
    GenericXLogFinish(st);
    return count - j;
}

// Adds pages with room to the metapage's free list (not the insert block,
// no duplicates, up to its capacity).
static void add_free_blocks(Relation index, const BlockNumber* blocks, int n) {
    if (n == 0)
        return;
    Buffer mbuf = ReadBuffer(index, BINARY_METAPAGE_BLKNO);
    LockBuffer(mbuf, BUFFER_LOCK_EXCLUSIVE);
    GenericXLogState* st = GenericXLogStart(index);
    BinaryMetaPageData* meta = BinaryPageGetMeta(GenericXLogRegisterBuffer(st, mbuf, 0));
    for (int i = 0; i < n && meta->nfree_blocks < BINARY_MAX_FREE_BLOCKS; i++) {
        bool known = blocks[i] == meta->insert_block;
        for (uint32 j = 0; j < meta->nfree_blocks && !known; j++)
            known = meta->free_blocks[j] == blocks[i];
        if (!known)
            meta->free_blocks[meta->nfree_blocks++] = blocks[i];
    }
    GenericXLogFinish(st);
    UnlockReleaseBuffer(mbuf);
}

}  // namespace vx::pg::binary

using namespace vx::pg::binary;

// Removes entries of dead heap rows, compacting each page.
IndexBulkDeleteResult* binarybulkdelete(IndexVacuumInfo* info, IndexBulkDeleteResult* stats,
                                        IndexBulkDeleteCallback callback, void* callback_state) {
    Relation index = info->index;
    if (stats == NULL)
        stats = (IndexBulkDeleteResult*) palloc0(sizeof(IndexBulkDeleteResult));
    BinaryMetaInfo mi;
    read_meta(index, &mi);
    BlockNumber nblocks = RelationGetNumberOfBlocks(index);
    BlockNumber* roomy = (BlockNumber*) palloc(sizeof(BlockNumber) * BINARY_MAX_FREE_BLOCKS);
    int nroomy = 0;
    for (BlockNumber b = 1; b < nblocks; b++) {
        vacuum_delay_point();
        Buffer buf = ReadBufferExtended(index, MAIN_FORKNUM, b, RBM_NORMAL, info->strategy);
        LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
        Page page = BufferGetPage(buf);
        if (is_code_page(index, b, page)) {
            uint32 removed = compact_page(index, buf, mi, callback, callback_state);
            uint32 left = BinaryPageGetOpaque(page)->count;
            stats->tuples_removed += removed;
            stats->num_index_tuples += left;
            if (removed > 0 && nroomy < BINARY_MAX_FREE_BLOCKS)
                roomy[nroomy++] = b;
        }
        UnlockReleaseBuffer(buf);
    }
    add_free_blocks(index, roomy, nroomy);
    stats->num_pages = nblocks;
    return stats;
}

// Statistics after VACUUM (counts entries when bulkdelete did not run).
IndexBulkDeleteResult* binaryvacuumcleanup(IndexVacuumInfo* info, IndexBulkDeleteResult* stats) {
    if (info->analyze_only)
        return stats;
    if (stats != NULL)
        return stats;
    Relation index = info->index;
    stats = (IndexBulkDeleteResult*) palloc0(sizeof(IndexBulkDeleteResult));
    BlockNumber nblocks = RelationGetNumberOfBlocks(index);
    for (BlockNumber b = 1; b < nblocks; b++) {
        vacuum_delay_point();
        Buffer buf = ReadBufferExtended(index, MAIN_FORKNUM, b, RBM_NORMAL, info->strategy);
        LockBuffer(buf, BUFFER_LOCK_SHARE);
        Page page = BufferGetPage(buf);
        if (is_code_page(index, b, page))
            stats->num_index_tuples += BinaryPageGetOpaque(page)->count;
        UnlockReleaseBuffer(buf);
    }
    stats->num_pages = nblocks;
    return stats;
}
