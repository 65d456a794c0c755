// binary index build.
//
// Phases (pg_stat_progress_create_index.phase shows them):
//   loading tuples  table_index_build_scan turns each indexed value into its
//                   code and appends (code, TID) to a page image in memory;
//                   a full image becomes the next block (no WAL), so memory
//                   stays at one page whatever the table size;
//   writing pages   the metapage gets the last block and the entry count, and
//                   every block is WAL-logged with log_newpage_range.
// Cancel: CHECK_FOR_INTERRUPTS once per page written (a few dozen rows).
// Plain C-style code: no C++ object is alive across PostgreSQL calls.
#include "pg/binary/binary.h"

extern "C" {
#include "access/generic_xlog.h"
#include "access/tableam.h"
#include "access/xloginsert.h"
#include "catalog/index.h"
#include "commands/progress.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "storage/bufmgr.h"
#include "utils/memutils.h"
#include "utils/rel.h"
}

#define BINARY_PHASE_LOAD 2
#define BINARY_PHASE_WRITE 3

namespace vx::pg::binary {

struct BuildState {
    Relation index;
    HnswKind kind;
    uint32 dims;
    vx::pg::ResolvedOptions opts;
    uint32 code_size;
    uint32 per_page;
    Page image;          /* the code page being filled */
    BlockNumber next;    /* block the image becomes */
    uint64 entries;
    double indtuples;
    uint8* scratch;      /* one code */
    MemoryContext cxt;   /* per-tuple memory, reset after each value */
};

// Fills a fresh metapage.
static void fill_meta(Page page, const BuildState* bs) {
    init_page(page, BINARY_PAGE_META);
    BinaryMetaPageData* meta = BinaryPageGetMeta(page);
    memset(meta, 0, sizeof(*meta));
    meta->magic = BINARY_MAGIC;
    meta->version = BINARY_FORMAT_VERSION;
    meta->dims = bs->dims;
    meta->type = bs->kind.type;
    meta->metric = (uint8) bs->kind.metric;
    meta->mode = (uint8) bs->opts.mode;
    meta->compression = (uint8) bs->opts.level;
    meta->encoding = (uint8) bs->opts.encoding;
    meta->rescore = bs->opts.rescore ? 1 : 0;
    meta->oversample = (float4) bs->opts.oversample;
    meta->code_size = bs->code_size;
    meta->per_page = bs->per_page;
    meta->insert_block = InvalidBlockNumber;
    ((PageHeader) page)->pd_lower = (char*) (meta + 1) - (char*) page;
}

// Options and sizes of the index being built.
static void init_state(BuildState* bs, Relation index) {
    memset(bs, 0, sizeof(*bs));
    bs->index = index;
    bs->kind = vx::pg::hnsw::kind_of_index(index);
    bs->dims = vx::pg::hnsw::dims_of_column(index, bs->kind.type);
    bs->opts = resolve_index_options(index, bs->kind);
    bs->code_size = vx::pg::hnsw::code_size_of(bs->kind, bs->dims);
    bs->per_page = entries_per_page(bs->code_size);
    if (bs->per_page == 0)
        ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                        errmsg("column has too many dimensions for a binary index"),
                        errdetail("A code of %u dimensions takes %u bytes; a page holds %d.", bs->dims,
                                  bs->code_size, (int) (BINARY_PAGE_SPACE - sizeof(ItemPointerData))),
                        errhint("Use a higher compression_level.")));
    bs->cxt = AllocSetContextCreate(CurrentMemoryContext, "binary build", ALLOCSET_DEFAULT_SIZES);
    bs->scratch = (uint8*) palloc(bs->code_size);
    bs->image = (Page) palloc(BLCKSZ);
    bs->next = 1;
}

// A new block at the end of the index, exclusively locked.
static Buffer new_block(Relation index, BlockNumber expect) {
    Buffer buf = ReadBufferExtended(index, MAIN_FORKNUM, P_NEW, RBM_NORMAL, NULL);
    if (BufferGetBlockNumber(buf) != expect)
        elog(ERROR, "binary build: expected block %u, got %u", expect, BufferGetBlockNumber(buf));
    LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
    return buf;
}

// Writes the page image as the next block (no WAL; logged at the end).
static void flush_image(BuildState* bs) {
    CHECK_FOR_INTERRUPTS();
    Buffer buf = new_block(bs->index, bs->next);
    memcpy(BufferGetPage(buf), bs->image, BLCKSZ);
    MarkBufferDirty(buf);
    UnlockReleaseBuffer(buf);
    bs->next++;
    init_code_page(bs->image, bs->code_size, bs->per_page);
}

// Appends one entry to the page image.
static void add_entry(BuildState* bs, const uint8* code, ItemPointer tid) {
    BinaryPageOpaque* o = BinaryPageGetOpaque(bs->image);
    if (o->count == bs->per_page) {
        flush_image(bs);
        o = BinaryPageGetOpaque(bs->image);
    }
    memcpy(BinaryPageCode(bs->image, bs->code_size, o->count), code, bs->code_size);
    *BinaryPageTid(bs->image, bs->code_size, bs->per_page, o->count) = *tid;
    o->count++;
    bs->entries++;
}

// Heap scan callback: the value's code goes to the page image.
static void build_callback(Relation index, ItemPointer tid, Datum* values, bool* isnull,
                           bool alive, void* state) {
    BuildState* bs = (BuildState*) state;
    (void) index;
    (void) alive;
    if (isnull[0])
        return;
    MemoryContext old = MemoryContextSwitchTo(bs->cxt);
    bool indexed = vx::pg::hnsw::value_to_code(bs->kind, bs->dims, values[0], bs->scratch);
    MemoryContextSwitchTo(old);
    MemoryContextReset(bs->cxt);
    if (!indexed)
        return;
    add_entry(bs, bs->scratch, tid);
    bs->indtuples++;
    if (bs->entries % 1000 == 0)
        pgstat_progress_update_param(PROGRESS_CREATEIDX_TUPLES_DONE, (int64) bs->entries);
}

}  // namespace vx::pg::binary

using namespace vx::pg::binary;

// Scans the heap straight into code pages, then writes the metapage.
IndexBuildResult* binarybuild(Relation heap, Relation index, IndexInfo* indexInfo) {
    if (RelationGetNumberOfBlocks(index) != 0)
        elog(ERROR, "index \"%s\" already contains data", RelationGetRelationName(index));
    BuildState bs;
    init_state(&bs, index);
    Buffer mbuf = new_block(index, BINARY_METAPAGE_BLKNO);
    fill_meta(BufferGetPage(mbuf), &bs);
    MarkBufferDirty(mbuf);
    UnlockReleaseBuffer(mbuf);

    init_code_page(bs.image, bs.code_size, bs.per_page);
    pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, BINARY_PHASE_LOAD);
    pgstat_progress_update_param(PROGRESS_CREATEIDX_TUPLES_TOTAL, (int64) Max(heap->rd_rel->reltuples, 0));
    double reltuples = table_index_build_scan(heap, index, indexInfo, true, true, build_callback, &bs, NULL);
    pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, BINARY_PHASE_WRITE);
    pgstat_progress_update_param(PROGRESS_CREATEIDX_TUPLES_DONE, (int64) bs.entries);
    if (BinaryPageGetOpaque(bs.image)->count > 0)
        flush_image(&bs);

    mbuf = ReadBuffer(index, BINARY_METAPAGE_BLKNO);
    LockBuffer(mbuf, BUFFER_LOCK_EXCLUSIVE);
    BinaryMetaPageData* meta = BinaryPageGetMeta(BufferGetPage(mbuf));
    meta->insert_block = bs.next > 1 ? bs.next - 1 : InvalidBlockNumber;
    meta->inserted = bs.entries;
    MarkBufferDirty(mbuf);
    UnlockReleaseBuffer(mbuf);
    if (RelationNeedsWAL(index))
        log_newpage_range(index, MAIN_FORKNUM, 0, RelationGetNumberOfBlocks(index), true);

    MemoryContextDelete(bs.cxt);
    pfree(bs.image);
    IndexBuildResult* r = (IndexBuildResult*) palloc(sizeof(IndexBuildResult));
    r->heap_tuples = reltuples;
    r->index_tuples = bs.indtuples;
    return r;
}

// The init fork of an unlogged index: an empty metapage.
void binarybuildempty(Relation index) {
    BuildState bs;
    init_state(&bs, index);
    Buffer buf = ReadBufferExtended(index, INIT_FORKNUM, P_NEW, RBM_NORMAL, NULL);
    LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
    GenericXLogState* st = GenericXLogStart(index);
    Page page = GenericXLogRegisterBuffer(st, buf, GENERIC_XLOG_FULL_IMAGE);
    fill_meta(page, &bs);
    GenericXLogFinish(st);
    UnlockReleaseBuffer(buf);
    MemoryContextDelete(bs.cxt);
    pfree(bs.image);
}
