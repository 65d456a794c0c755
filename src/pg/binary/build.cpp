// binary index build.
//
// Phases (pg_stat_progress_create_index.phase shows them):
//   sampling        quantized indexes only: a first table_index_build_scan
//                   keeps a uniform sample (reservoir) of at most
//                   BINARY_TRAIN_SAMPLE values within maintenance_work_mem / 2
//                   (the value of a row it does not keep is never read);
//                   the quantizer is trained on it and written to the pages
//                   after the metapage (no sample: default parameters);
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
#include "common/pg_prng.h"
#include "utils/rel.h"
}

#include <vector>

#include "pg/common/error_bridge.h"

#define BINARY_PHASE_LOAD 2
#define BINARY_PHASE_WRITE 3
#define BINARY_PHASE_SAMPLE 4

/* Values the quantizer is trained on at most. */
#define BINARY_TRAIN_SAMPLE 100000

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
    uint8* scratch;      /* one value as a 1x code */
    uint8* code;         /* one stored code */
    BinaryMetaInfo mi;   /* what encode_value needs */
    const vx::quant::Quantizer* quantizer; /* nullptr at 1x */
    float* sample;       /* sampling: up to sample_cap values */
    size_t sample_cap;
    size_t nsample;
    uint64 seen;         /* sampling: indexable values seen */
    uint64 rows_sampled; /* sampling: non-null rows, for interrupt checks */
    BlockNumber quant_block;
    uint32 quant_bytes;
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
    meta->quant_block = bs->quant_block;
    meta->quant_bytes = bs->quant_bytes;
    ((PageHeader) page)->pd_lower = (char*) (meta + 1) - (char*) page;
}

// Options and sizes of the index being built.
static void init_state(BuildState* bs, Relation index) {
    memset(bs, 0, sizeof(*bs));
    bs->index = index;
    bs->kind = vx::pg::hnsw::kind_of_index(index);
    bs->dims = vx::pg::hnsw::dims_of_column(index, bs->kind.type);
    /* Options and the fit check before the table is scanned. */
    vx::pg::Sizing s;
    sizing(index->rd_options, vx::pg::hnsw::sizing_target(index, bs->kind, 0), NULL, &s);
    vx::pg::check_element_fits("binary", s, page_geometry());
    bs->opts = s.resolved;
    bs->code_size = vx::pg::hnsw::stored_code_size(bs->kind, bs->dims, bs->opts.encoding);
    bs->per_page = entries_per_page(bs->code_size);
    bs->cxt = AllocSetContextCreate(CurrentMemoryContext, "binary build", ALLOCSET_DEFAULT_SIZES);
    bs->mi.dims = bs->dims;
    bs->mi.kind = bs->kind;
    bs->mi.encoding = bs->opts.encoding;
    bs->mi.code_size = bs->code_size;
    bs->mi.value_size = vx::pg::hnsw::code_size_of(bs->kind, bs->dims);
    bs->scratch = (uint8*) palloc(bs->mi.value_size);
    bs->code = (uint8*) palloc(bs->code_size);
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
    BinarySetTid(bs->image, bs->code_size, bs->per_page, o->count, tid);
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
    encode_value(bs->quantizer, bs->mi, bs->scratch, bs->code);
    add_entry(bs, bs->code, tid);
    bs->indtuples++;
    if (bs->entries % 1000 == 0)
        pgstat_progress_update_param(PROGRESS_CREATEIDX_TUPLES_DONE, (int64) bs->entries);
}

// Sampling pass callback: reservoir sampling of the indexed values.
static void sample_callback(Relation index, ItemPointer tid, Datum* values, bool* isnull,
                            bool alive, void* state) {
    BuildState* bs = (BuildState*) state;
    (void) index;
    (void) tid;
    (void) alive;
    if (isnull[0])
        return;
    if (++bs->rows_sampled % 1000 == 0)
        CHECK_FOR_INTERRUPTS();
    /* The slot first: a row the reservoir does not keep is not read (its
     * value is usually out of line, in TOAST). Such rows count as indexable. */
    uint64 slot = bs->seen < bs->sample_cap ? bs->seen
                                            : pg_prng_uint64_range(&pg_global_prng_state, 0, bs->seen);
    if (slot >= bs->sample_cap) {
        bs->seen++;
        return;
    }
    MemoryContext old = MemoryContextSwitchTo(bs->cxt);
    bool indexed = vx::pg::hnsw::value_to_code(bs->kind, bs->dims, values[0], bs->scratch);
    MemoryContextSwitchTo(old);
    MemoryContextReset(bs->cxt);
    if (!indexed)
        return;
    bs->seen++;
    memcpy(bs->sample + slot * bs->dims, bs->scratch, sizeof(float) * bs->dims);
    bs->nsample = Max(bs->nsample, (size_t) slot + 1);
}

// Quantized index: samples the table, trains the quantizer, writes its pages
// after the metapage and loads it for encoding.
static void train_quantizer(BuildState* bs, Relation heap, IndexInfo* indexInfo) {
    if (bs->opts.encoding == vx::quant::Encoding::f32)
        return;
    pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, BINARY_PHASE_SAMPLE);
    size_t budget = (size_t) maintenance_work_mem * 1024 / 2;
    bs->sample_cap = Max((size_t) 1, Min((size_t) BINARY_TRAIN_SAMPLE, budget / (sizeof(float) * bs->dims)));
    bs->sample = (float*) MemoryContextAllocHuge(CurrentMemoryContext, bs->sample_cap * bs->dims * sizeof(float));
    table_index_build_scan(heap, bs->index, indexInfo, true, false, sample_callback, bs, NULL);
    if (bs->nsample == 0) {
        ereport(NOTICE, (errmsg("binary index built on an empty table uses default quantizer parameters"),
                         errdetail("Compression level %s is trained on the data at build time; without "
                                   "rows it assumes values in [-1, 1].",
                                   vx::pg::level_name(bs->opts.level)),
                         errhint("REINDEX the index after loading data for better recall.")));
    } else {
        bs->quant_bytes = (uint32) vx::quant::Quantizer::serialized_size(bs->opts.encoding, bs->dims);
        uint8* blob = (uint8*) palloc(bs->quant_bytes);
        const float* sample = bs->sample;
        size_t n = bs->nsample, dims = bs->dims;
        vx::quant::Encoding enc = bs->opts.encoding;
        VX_GUARD({
            vx::quant::Quantizer q(enc);
            q.train(sample, n, dims);
            std::vector<uint8_t> b = q.serialize();
            memcpy(blob, b.data(), b.size());
        });
        bs->quant_block = bs->next;
        bs->next += write_quantizer(bs->index, bs->next, blob, bs->quant_bytes);
        pfree(blob);
    }
    pfree(bs->sample);
    bs->sample = NULL;
    bs->mi.quant_block = bs->quant_block;
    bs->mi.quant_bytes = bs->quant_bytes;
    bs->quantizer = load_quantizer(bs->index, bs->mi);
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

    train_quantizer(&bs, heap, indexInfo);
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
    /* The last code page, if any (quantizer pages come before code pages). */
    meta->insert_block = bs.entries > 0 ? bs.next - 1 : InvalidBlockNumber;
    meta->quant_block = bs.quant_block;
    meta->quant_bytes = bs.quant_bytes;
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
