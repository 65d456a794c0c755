// binary aminsert: appends one (code, TID) entry.
//
// The metapage names the block inserts append to (insert_block). An insert
// locks that page alone and appends when it has room; otherwise, under the
// metapage's exclusive lock, it takes a page VACUUM left with room (the
// metapage's free list) or extends the index, and tries again. A new page,
// its first entry and the metapage change are one GenericXLog record.
//
// Locking: metapage -> code page is the only order two locks are held in
// (an append holds one code page and nothing else), so there is no deadlock.
// A quantized index encodes the value with the quantizer the build trained
// (read from its pages per insert; a heap object freed with the insert's
// memory context). Plain C-style code otherwise.
#include "pg/binary/binary.h"

extern "C" {
#include "access/generic_xlog.h"
#include "storage/bufmgr.h"
#include "storage/lmgr.h"
#include "utils/memutils.h"
#include "utils/rel.h"
}

namespace vx::pg::binary {

// Writes entry `count` of a registered code page.
static void put_entry(Page page, const BinaryMetaInfo& mi, const uint8* code, ItemPointer tid) {
    BinaryPageOpaque* o = BinaryPageGetOpaque(page);
    memcpy(BinaryPageCode(page, mi.code_size, o->count), code, mi.code_size);
    BinarySetTid(page, mi.code_size, mi.per_page, o->count, tid);
    o->count++;
}

// Appends to block blk if it is a code page with room.
static bool try_append(Relation index, const BinaryMetaInfo& mi, BlockNumber blk, const uint8* code,
                       ItemPointer tid) {
    Buffer buf = ReadBuffer(index, blk);
    LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
    Page page = BufferGetPage(buf);
    bool ok = is_code_page(index, blk, page) && code_page_count(index, blk, page, mi) < mi.per_page;
    if (ok) {
        GenericXLogState* st = GenericXLogStart(index);
        put_entry(GenericXLogRegisterBuffer(st, buf, 0), mi, code, tid);
        GenericXLogFinish(st);
    }
    UnlockReleaseBuffer(buf);
    return ok;
}

// Under the metapage's lock: a free-listed page or a new one becomes the
// insert block (the new one with the entry already on it). True when the
// entry was written.
static bool next_insert_block(Relation index, const BinaryMetaInfo& mi, BlockNumber full,
                              const uint8* code, ItemPointer tid) {
    Buffer mbuf = ReadBuffer(index, BINARY_METAPAGE_BLKNO);
    LockBuffer(mbuf, BUFFER_LOCK_EXCLUSIVE);
    BinaryMetaPageData* cur = BinaryPageGetMeta(BufferGetPage(mbuf));
    if (cur->insert_block != full) { /* someone else moved on: retry there */
        UnlockReleaseBuffer(mbuf);
        return false;
    }
    GenericXLogState* st = GenericXLogStart(index);
    BinaryMetaPageData* meta = BinaryPageGetMeta(GenericXLogRegisterBuffer(st, mbuf, 0));
    while (meta->nfree_blocks > 0) {
        BlockNumber b = meta->free_blocks[--meta->nfree_blocks];
        if (b != full) {
            meta->insert_block = b;
            GenericXLogFinish(st);
            UnlockReleaseBuffer(mbuf);
            return false;
        }
    }
    LockRelationForExtension(index, ExclusiveLock);
    Buffer buf = ReadBufferExtended(index, MAIN_FORKNUM, P_NEW, RBM_NORMAL, NULL);
    UnlockRelationForExtension(index, ExclusiveLock);
    LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
    Page page = GenericXLogRegisterBuffer(st, buf, GENERIC_XLOG_FULL_IMAGE);
    init_code_page(page, mi.code_size, mi.per_page);
    put_entry(page, mi, code, tid);
    meta->insert_block = BufferGetBlockNumber(buf);
    meta->inserted++;
    GenericXLogFinish(st);
    UnlockReleaseBuffer(buf);
    UnlockReleaseBuffer(mbuf);
    return true;
}

// Appends one entry to a built index.
void append_entry(Relation index, const uint8* code, ItemPointer tid) {
    for (;;) {
        BinaryMetaInfo mi;
        read_meta(index, &mi);
        if (mi.insert_block != InvalidBlockNumber && try_append(index, mi, mi.insert_block, code, tid))
            return;
        if (next_insert_block(index, mi, mi.insert_block, code, tid))
            return;
    }
}

}  // namespace vx::pg::binary

using namespace vx::pg::binary;

// Inserts one heap row's value (NULLs and, for cosine, zero vectors are not indexed).
bool binaryinsert(Relation index, Datum* values, bool* isnull, ItemPointer heap_tid, Relation heap,
                  IndexUniqueCheck checkUnique, bool indexUnchanged, IndexInfo* indexInfo) {
    (void) heap;
    (void) checkUnique;
    (void) indexUnchanged;
    (void) indexInfo;
    if (isnull[0])
        return false;
    MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "binary insert", ALLOCSET_SMALL_SIZES);
    MemoryContext old = MemoryContextSwitchTo(cxt);
    BinaryMetaInfo mi;
    read_meta(index, &mi);
    uint8* value = (uint8*) palloc(mi.value_size);
    if (vx::pg::hnsw::value_to_code(mi.kind, mi.dims, values[0], value)) {
        /* Quantized: the build's parameters, freed with cxt. */
        const vx::quant::Quantizer* q = load_quantizer(index, mi);
        uint8* code = (uint8*) palloc(mi.code_size);
        encode_value(q, mi, value, code);
        append_entry(index, code, heap_tid);
    }
    MemoryContextSwitchTo(old);
    MemoryContextDelete(cxt);
    return false;
}
