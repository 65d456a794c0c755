// ivf aminsert: one entry into the list of the nearest centroid.
//
// The list's tuple on its list page is locked exclusively for the whole
// append, so appends to one list are serialized (different lists proceed in
// parallel). Under it: the entry goes to the list's insert page, else to the
// next page of the chain with room (VACUUM may have pointed insert at an
// earlier page), else to a new page linked at the end of the chain. The
// posting page(s) and, when the chain or insert block changes, the list page
// are written in one GenericXLog record.
//
// Locking order: list page -> posting pages (one at a time, plus the new page
// when extending). VACUUM and scans lock posting pages one at a time and
// VACUUM takes a list page only while holding no posting page, so there is no
// deadlock. Plain C-style code: no C++ object is alive here.
#include "pg/ivf/ivf.h"

extern "C" {
#include "access/generic_xlog.h"
#include "storage/bufmgr.h"
#include "storage/lmgr.h"
#include "utils/memutils.h"
#include "utils/rel.h"
}

namespace vx::pg::ivf {

// A new posting page at the end of the index, exclusively locked.
static Buffer extend_index(Relation index) {
    LockRelationForExtension(index, ExclusiveLock);
    Buffer buf = ReadBufferExtended(index, MAIN_FORKNUM, P_NEW, RBM_NORMAL, NULL);
    UnlockRelationForExtension(index, ExclusiveLock);
    LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
    return buf;
}

// Appends one entry (TID + code) to list `list`.
void insert_entry(Relation index, const IvfMetaInfo& mi, uint32 list, const uint8* code,
                  ItemPointer heaptid) {
    Size sz = mi.entry_size;
    IvfEntry* e = (IvfEntry*) palloc0(sz);
    e->heaptid = *heaptid;
    memcpy(IvfEntryCode(e), code, mi.code_size);

    Buffer lbuf = ReadBuffer(index, list_block(mi, list));
    LockBuffer(lbuf, BUFFER_LOCK_EXCLUSIVE);
    Page lpage = BufferGetPage(lbuf);
    IvfListTuple* lt = list_tuple(index, mi, lpage, list);
    BlockNumber blk = lt->insert;
    if (blk == InvalidBlockNumber)
        blk = lt->start;
    for (;;) {
        if (blk == InvalidBlockNumber) {
            /* The list has no page yet: its first one. */
            Buffer nbuf = extend_index(index);
            GenericXLogState* st = GenericXLogStart(index);
            Page lcopy = GenericXLogRegisterBuffer(st, lbuf, 0);
            Page np = GenericXLogRegisterBuffer(st, nbuf, GENERIC_XLOG_FULL_IMAGE);
            init_page(np, IVF_PAGE_POSTING);
            if (PageAddItem(np, (Item) e, sz, InvalidOffsetNumber, false, false) == InvalidOffsetNumber)
                elog(ERROR, "ivf insert: entry does not fit on a new page");
            IvfListTuple* t = (IvfListTuple*) PageGetItem(lcopy, PageGetItemId(lcopy, list_offset(mi, list)));
            t->start = t->insert = BufferGetBlockNumber(nbuf);
            GenericXLogFinish(st);
            UnlockReleaseBuffer(nbuf);
            break;
        }
        Buffer buf = ReadBuffer(index, blk);
        LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
        Page page = BufferGetPage(buf);
        if (PageGetFreeSpace(page) >= MAXALIGN(sz)) {
            GenericXLogState* st = GenericXLogStart(index);
            Page copy = GenericXLogRegisterBuffer(st, buf, 0);
            if (PageAddItem(copy, (Item) e, sz, InvalidOffsetNumber, false, false) == InvalidOffsetNumber)
                elog(ERROR, "ivf insert: entry does not fit on page %u", blk);
            if (lt->insert != blk) {
                Page lcopy = GenericXLogRegisterBuffer(st, lbuf, 0);
                ((IvfListTuple*) PageGetItem(lcopy, PageGetItemId(lcopy, list_offset(mi, list))))->insert = blk;
            }
            GenericXLogFinish(st);
            UnlockReleaseBuffer(buf);
            break;
        }
        BlockNumber next = IvfPageGetOpaque(page)->next;
        if (next != InvalidBlockNumber) {
            UnlockReleaseBuffer(buf);
            blk = next;
            continue;
        }
        /* End of the chain and full: link a new page. */
        Buffer nbuf = extend_index(index);
        GenericXLogState* st = GenericXLogStart(index);
        Page lcopy = GenericXLogRegisterBuffer(st, lbuf, 0);
        Page copy = GenericXLogRegisterBuffer(st, buf, 0);
        Page np = GenericXLogRegisterBuffer(st, nbuf, GENERIC_XLOG_FULL_IMAGE);
        init_page(np, IVF_PAGE_POSTING);
        if (PageAddItem(np, (Item) e, sz, InvalidOffsetNumber, false, false) == InvalidOffsetNumber)
            elog(ERROR, "ivf insert: entry does not fit on a new page");
        IvfPageGetOpaque(copy)->next = BufferGetBlockNumber(nbuf);
        ((IvfListTuple*) PageGetItem(lcopy, PageGetItemId(lcopy, list_offset(mi, list))))->insert =
            BufferGetBlockNumber(nbuf);
        GenericXLogFinish(st);
        UnlockReleaseBuffer(nbuf);
        UnlockReleaseBuffer(buf);
        break;
    }
    UnlockReleaseBuffer(lbuf);
    pfree(e);
}

// The value's code into the list of its nearest centroid.
void insert_value(Relation index, Datum value, ItemPointer heaptid) {
    IvfMetaInfo mi;
    read_meta(index, &mi);
    uint8* code = (uint8*) palloc(vx::pg::hnsw::code_size_of(mi.kind, mi.dims));
    if (!vx::pg::hnsw::value_to_code(mi.kind, mi.dims, value, code))
        return;
    uint32 list = 0;
    if (mi.lists > 1) {
        const uint8* centroids = cached_centroids(index, mi);
        uint8* cq = (uint8*) palloc(mi.centroid_size);
        centroid_query(mi, code, cq);
        nearest(mi, centroids, cq, 1, &list);
    }
    if (ivf_quantized(mi)) {
        /* The posting code is the quantizer's (the value stays in the heap). */
        IvfCodec* c = codec_load(index, mi);
        uint8* qcode = (uint8*) palloc(mi.code_size);
        codec_encode(c, (const float*) code, 1, qcode, 1);
        code = qcode;
    }
    insert_entry(index, mi, list, code, heaptid);
}

}  // namespace vx::pg::ivf

// Inserts one row; all allocations in a short-lived context.
bool ivfinsert(Relation index, Datum* values, bool* isnull, ItemPointer heap_tid, Relation heap,
               IndexUniqueCheck checkUnique, bool indexUnchanged, IndexInfo* indexInfo) {
    (void) heap;
    (void) checkUnique;
    (void) indexUnchanged;
    (void) indexInfo;
    if (isnull[0])
        return false;
    MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "ivf insert", ALLOCSET_DEFAULT_SIZES);
    MemoryContext old = MemoryContextSwitchTo(cxt);
    vx::pg::ivf::insert_value(index, values[0], heap_tid);
    MemoryContextSwitchTo(old);
    MemoryContextDelete(cxt);
    return false;
}
