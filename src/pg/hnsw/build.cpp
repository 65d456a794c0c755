// hnsw index build.
//
// Phases (pg_stat_progress_create_index.phase shows them):
//   loading tuples  table_index_build_scan copies each indexed value's code
//                   and heap TID into flat arrays in a build memory context;
//   building graph  the core HnswBuilder links them on worker threads
//                   (max_parallel_maintenance_workers + 1, capped by cores);
//                   workers never call PostgreSQL; this thread only polls for
//                   cancel (InterruptPending) and reports progress;
//   writing pages   metapage, element pages (element i at id per_page + i),
//                   upper-layer pages; no WAL while writing, then every block
//                   is logged with log_newpage_range.
// When the graph would not fit into maintenance_work_mem, a NOTICE says so:
// what is loaded so far is built and written, and the remaining tuples are
// inserted page by page (insert.cpp), so memory stays bounded.
//
// C++ / PostgreSQL: the graph lives in a heap object freed by a memory
// context reset callback (so an ERROR frees it); the core build runs inside a
// try block that calls nothing of PostgreSQL (STYLE 4, way (a)).
#include "pg/hnsw/hnsw.h"

extern "C" {
#include "access/generic_xlog.h"
#include "access/tableam.h"
#include "access/xloginsert.h"
#include "catalog/index.h"
#include "commands/progress.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "storage/bufmgr.h"
#include "utils/memutils.h"
#include "utils/rel.h"
}

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/errors.h"
#include "core/hnsw/builder.h"
#include "core/hnsw/graph.h"
#include "pg/common/build_rows.h"
#include "pg/common/error_bridge.h"

#define HNSW_PHASE_LOAD 2
#define HNSW_PHASE_GRAPH 3
#define HNSW_PHASE_WRITE 4

using vx::hnsw::HnswGraph;

namespace vx::pg::hnsw {

/* The in-memory graph, owned through a memory context callback. */
struct GraphHolder {
    HnswGraph* graph;
    MemoryContextCallback cb;
};

struct BuildState {
    Relation heap;
    Relation index;
    HnswKind kind;
    uint32 dims;
    int m;
    int efc;
    vx::pg::ResolvedOptions opts;
    uint32 value_size; /* bytes of a loaded value (1x code) */
    uint32 code_size;  /* bytes of a stored code */
    uint32 slot_size;
    uint32 per_page;
    size_t budget;   /* maintenance_work_mem in bytes */
    int threads;
    uint8* codes;    /* n * value_size: the values, full precision */
    uint8* qcodes;   /* quantized index: n * code_size codes of them */
    uint8* qblob;    /* quantized index: serialized quantizer */
    uint32 qbytes;
    ItemPointerData* tids;
    size_t n;
    size_t cap;
    bool spilled;    /* inserting page by page now */
    double indtuples;
    uint8* scratch;  /* one code */
    MemoryContext cxt;
};

// Frees the graph when the build context goes away (also on ERROR).
static void free_graph(void* arg) {
    GraphHolder* h = (GraphHolder*) arg;
    delete h->graph;
    h->graph = nullptr;
}

// Fills a fresh metapage.
static void fill_meta(Page page, const BuildState* bs) {
    init_page(page, HNSW_PAGE_META);
    HnswMetaPageData* meta = HnswPageGetMeta(page);
    memset(meta, 0, sizeof(*meta));
    meta->magic = HNSW_MAGIC;
    meta->version = HNSW_FORMAT_VERSION;
    meta->dims = bs->dims;
    meta->type = bs->kind.type;
    meta->metric = (uint8) bs->kind.metric;
    meta->mode = (uint8) bs->opts.mode;
    meta->compression = (uint8) bs->opts.level;
    meta->encoding = (uint8) bs->opts.encoding;
    meta->oversample = (float4) bs->opts.oversample;
    meta->rescore = bs->opts.rescore ? 1 : 0;
    meta->m = (uint16) bs->m;
    meta->ef_construction = (uint16) bs->efc;
    meta->code_size = bs->code_size;
    meta->slot_size = bs->slot_size;
    meta->per_page = bs->per_page;
    meta->entry_point = HNSW_NO_ELEMENT;
    meta->max_level = -1;
    meta->last_element_block = InvalidBlockNumber;
    meta->last_upper_block = InvalidBlockNumber;
    meta->free_cursor = InvalidBlockNumber;
    ((PageHeader) page)->pd_lower = (char*) (meta + 1) - (char*) page;
}

// Options, sizes and limits of the index being built.
static void init_state(BuildState* bs, Relation heap, Relation index) {
    memset(bs, 0, sizeof(*bs));
    bs->heap = heap;
    bs->index = index;
    bs->kind = kind_of_index(index);
    /* Options and the fit check before the table is scanned. */
    vx::pg::Sizing s;
    sizing(index->rd_options, sizing_target(index, bs->kind, heap ? heap->rd_rel->reltuples : 0), NULL, &s);
    vx::pg::check_element_fits("hnsw", s, page_geometry());
    bs->dims = s.params.dims;
    bs->m = s.params.m;
    bs->efc = s.params.ef_construction;
    bs->opts = s.resolved;
    bs->value_size = code_size_of(bs->kind, bs->dims);
    bs->code_size = stored_code_size(bs->kind, bs->dims, bs->opts.encoding);
    bs->slot_size = HnswSlotSize(bs->m, bs->code_size);
    bs->per_page = slots_per_page(bs->slot_size);
    bs->budget = (size_t) maintenance_work_mem * 1024;
    bs->threads = s.params.threads;
    bs->cxt = AllocSetContextCreate(CurrentMemoryContext, "hnsw build", ALLOCSET_DEFAULT_SIZES);
    bs->scratch = (uint8*) MemoryContextAlloc(bs->cxt, bs->value_size);
}

// Writes a new page at the end of the index; returns it exclusively locked.
static Buffer new_page(Relation index, BlockNumber expect) {
    Buffer buf = ReadBufferExtended(index, MAIN_FORKNUM, P_NEW, RBM_NORMAL, NULL);
    if (BufferGetBlockNumber(buf) != expect)
        elog(ERROR, "hnsw build: expected block %u, got %u", expect, BufferGetBlockNumber(buf));
    LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
    return buf;
}

// Where each element's upper tuple goes, simulating PageAddItem page by page.
static void place_upper(const BuildState* bs, const HnswGraph* g, BlockNumber first,
                        BlockNumber* ublk, OffsetNumber* uoff, BlockNumber* nblocks) {
    BlockNumber blk = first;
    size_t lower = SizeOfPageHeaderData, upper = BLCKSZ - MAXALIGN(sizeof(HnswPageOpaque));
    OffsetNumber off = 0;
    bool any = false;
    for (size_t i = 0; i < bs->n; i++) {
        int level = g->level((uint32) i);
        if (level == 0)
            continue;
        size_t sz = MAXALIGN(HnswUpperSize(bs->m, level));
        if (lower + sizeof(ItemIdData) > upper - sz || off >= MaxOffsetNumber - 1) {
            blk++;
            lower = SizeOfPageHeaderData;
            upper = BLCKSZ - MAXALIGN(sizeof(HnswPageOpaque));
            off = 0;
        }
        any = true;
        lower += sizeof(ItemIdData);
        upper -= sz;
        ublk[i] = blk;
        uoff[i] = ++off;
    }
    *nblocks = any ? blk + 1 : first;
}

// Element order on pages: breadth-first over layer 0 from the entry point, so
// that neighbours tend to share pages and a search touches fewer blocks.
static void locality_order(const HnswGraph* g, size_t n, uint32* order, uint32* pos) {
    for (size_t i = 0; i < n; i++)
        pos[i] = HNSW_NO_ELEMENT;
    size_t head = 0, tail = 0;
    uint32 next_seed = 0;
    if (n > 0 && g->entry_point() != vx::hnsw::kNoNode) {
        order[tail] = g->entry_point();
        pos[g->entry_point()] = (uint32) tail++;
    }
    while (tail < n) {
        if (head == tail) { /* unreachable from the entry point: start again */
            while (pos[next_seed] != HNSW_NO_ELEMENT)
                next_seed++;
            order[tail] = next_seed;
            pos[next_seed] = (uint32) tail++;
        }
        uint32 cur = order[head++];
        vx::hnsw::NeighborList nl = g->neighbors(cur, 0);
        for (uint32 j = 0; j < nl.count; j++) {
            if (pos[nl.ids[j]] == HNSW_NO_ELEMENT) {
                order[tail] = nl.ids[j];
                pos[nl.ids[j]] = (uint32) tail++;
            }
        }
    }
}

// Writes metapage, element pages and upper pages of the built graph (no WAL);
// element i of the graph goes to id per_page + pos[i].
static void write_graph(BuildState* bs, const HnswGraph* g) {
    Relation index = bs->index;
    uint32 pp = bs->per_page;
    BlockNumber elem_blocks = (BlockNumber) ((bs->n + pp - 1) / pp);
    if ((uint64) (elem_blocks + 1) * pp + pp >= (uint64) HNSW_NO_ELEMENT / 2)
        ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED), errmsg("too many elements for an hnsw index")));
    BlockNumber* ublk = (BlockNumber*) MemoryContextAllocHuge(bs->cxt, sizeof(BlockNumber) * (bs->n + 1));
    OffsetNumber* uoff = (OffsetNumber*) MemoryContextAllocHuge(bs->cxt, sizeof(OffsetNumber) * (bs->n + 1));
    BlockNumber total;
    place_upper(bs, g, 1 + elem_blocks, ublk, uoff, &total);
    uint32* order = (uint32*) MemoryContextAllocHuge(bs->cxt, sizeof(uint32) * (bs->n + 1));
    uint32* pos = (uint32*) MemoryContextAllocHuge(bs->cxt, sizeof(uint32) * (bs->n + 1));
    locality_order(g, bs->n, order, pos);
    pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, HNSW_PHASE_WRITE);

    Buffer mbuf = new_page(index, HNSW_METAPAGE_BLKNO);
    Page mpage = BufferGetPage(mbuf);
    fill_meta(mpage, bs);
    HnswMetaPageData* meta = HnswPageGetMeta(mpage);

    HnswElementSlot* slot = (HnswElementSlot*) palloc0(bs->slot_size);
    for (BlockNumber b = 0; b < elem_blocks; b++) {
        CHECK_FOR_INTERRUPTS();
        Buffer buf = new_page(index, 1 + b);
        Page page = BufferGetPage(buf);
        init_page(page, HNSW_PAGE_ELEMENT);
        size_t end = std::min(bs->n, (size_t) (b + 1) * pp);
        for (size_t p = (size_t) b * pp; p < end; p++) {
            size_t i = order[p];
            vx::hnsw::NeighborList nl = g->neighbors((uint32) i, 0);
            memset(slot, 0, bs->slot_size);
            slot->heaptid = bs->tids[i];
            slot->level = (uint8) g->level((uint32) i);
            slot->count0 = (uint16) nl.count;
            slot->upper_blk = slot->level > 0 ? ublk[i] : InvalidBlockNumber;
            slot->upper_off = slot->level > 0 ? uoff[i] : InvalidOffsetNumber;
            for (uint32 j = 0; j < nl.count; j++)
                HnswSlotNbrs(slot)[j] = pos[nl.ids[j]] + pp;
            const uint8* src = bs->qcodes ? bs->qcodes : bs->codes;
            memcpy(HnswSlotCode(slot, bs->m), src + i * bs->code_size, bs->code_size);
            if (PageAddItem(page, (Item) slot, bs->slot_size, InvalidOffsetNumber, false, false) == InvalidOffsetNumber)
                elog(ERROR, "hnsw build: element does not fit on its page");
        }
        MarkBufferDirty(buf);
        UnlockReleaseBuffer(buf);
    }

    /* Upper pages, in the order place_upper planned. */
    HnswUpperTuple* ut = (HnswUpperTuple*) palloc0(HnswUpperSize(bs->m, vx::hnsw::kMaxLevel));
    Buffer ubuf = InvalidBuffer;
    BlockNumber cur = InvalidBlockNumber;
    for (size_t i = 0; i < bs->n; i++) {
        int level = g->level((uint32) i);
        if (level == 0)
            continue;
        if (ublk[i] != cur) {
            if (BufferIsValid(ubuf)) {
                MarkBufferDirty(ubuf);
                UnlockReleaseBuffer(ubuf);
            }
            CHECK_FOR_INTERRUPTS();
            cur = ublk[i];
            ubuf = new_page(index, cur);
            init_page(BufferGetPage(ubuf), HNSW_PAGE_UPPER);
        }
        uint32 sz = HnswUpperSize(bs->m, level);
        memset(ut, 0, sz);
        ut->owner = pos[i] + pp;
        ut->level = (uint8) level;
        for (int l = 1; l <= level; l++) {
            vx::hnsw::NeighborList nl = g->neighbors((uint32) i, l);
            uint32* list = HnswUpperList(ut, bs->m, l);
            list[0] = nl.count;
            for (uint32 j = 0; j < nl.count; j++)
                list[1 + j] = pos[nl.ids[j]] + pp;
        }
        if (PageAddItem(BufferGetPage(ubuf), (Item) ut, sz, InvalidOffsetNumber, false, false) != uoff[i])
            elog(ERROR, "hnsw build: upper tuple not where planned");
    }
    if (BufferIsValid(ubuf)) {
        MarkBufferDirty(ubuf);
        UnlockReleaseBuffer(ubuf);
        meta->last_upper_block = cur;
    }

    if (bs->qblob && bs->n > 0) {
        meta->quant_block = total;
        meta->quant_bytes = bs->qbytes;
        write_quantizer_pages(index, total, bs->qblob, bs->qbytes);
    }
    if (g->entry_point() != vx::hnsw::kNoNode) {
        meta->entry_point = pos[g->entry_point()] + pp;
        meta->max_level = g->max_level();
    }
    meta->inserted = bs->n;
    meta->last_element_block = elem_blocks > 0 ? elem_blocks : InvalidBlockNumber;
    MarkBufferDirty(mbuf);
    UnlockReleaseBuffer(mbuf);
}

/* Rows the quantizer is trained on at most (an even-strided sample). */
#define HNSW_TRAIN_SAMPLE 100000

// Quantized index: trains the quantizer on (a sample of) the loaded values
// and encodes them all (C++ inside VX_GUARD, into palloc'd arrays).
static void quantize_loaded(BuildState* bs) {
    if (bs->opts.encoding == vx::quant::Encoding::f32)
        return;
    if (bs->n == 0) {
        ereport(NOTICE, (errmsg("hnsw index built on an empty table uses default quantizer parameters"),
                         errdetail("Compression level %s is trained on the data at build time; without "
                                   "rows it assumes values in [-1, 1].",
                                   vx::pg::level_name(bs->opts.level)),
                         errhint("REINDEX the index after loading data for better recall.")));
        return;
    }
    bs->qbytes = (uint32) vx::quant::Quantizer::serialized_size(bs->opts.encoding, bs->dims);
    bs->qblob = (uint8*) MemoryContextAlloc(bs->cxt, bs->qbytes);
    bs->qcodes = (uint8*) MemoryContextAllocHuge(bs->cxt, bs->n * bs->code_size);
    const float* values = (const float*) bs->codes;
    size_t n = bs->n, dims = bs->dims, cs = bs->code_size;
    uint8* qcodes = bs->qcodes;
    uint8* qblob = bs->qblob;
    vx::quant::Encoding enc = bs->opts.encoding;
    VX_GUARD({
        vx::quant::Quantizer q(enc);
        if (n <= HNSW_TRAIN_SAMPLE) {
            q.train(values, n, dims);
        } else {
            std::vector<float> sample(size_t(HNSW_TRAIN_SAMPLE) * dims);
            for (size_t i = 0; i < HNSW_TRAIN_SAMPLE; i++)
                memcpy(&sample[i * dims], values + (i * n / HNSW_TRAIN_SAMPLE) * dims, dims * sizeof(float));
            q.train(sample.data(), HNSW_TRAIN_SAMPLE, dims);
        }
        for (size_t i = 0; i < n; i++)
            q.encode(values + i * dims, qcodes + i * cs);
        std::vector<uint8_t> blob = q.serialize();
        memcpy(qblob, blob.data(), blob.size());
    });
}

// Builds the graph of what is loaded on worker threads and writes it out.
static void build_and_write(BuildState* bs) {
    GraphHolder* h = (GraphHolder*) MemoryContextAllocZero(bs->cxt, sizeof(GraphHolder));
    h->cb.func = free_graph;
    h->cb.arg = h;
    MemoryContextRegisterResetCallback(bs->cxt, &h->cb);
    pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, HNSW_PHASE_GRAPH);
    pgstat_progress_update_param(PROGRESS_CREATEIDX_TUPLES_TOTAL, (int64) bs->n);
    pgstat_progress_update_param(PROGRESS_CREATEIDX_TUPLES_DONE, 0);

    vx::pg::CaughtError err = {0, {0}};
    bool cancelled = false;
    try {
        h->graph = new HnswGraph(bs->m);
        vx::hnsw::FlatSpace space(bs->kind.metric, bs->dims, bs->codes, bs->n);
        vx::hnsw::HnswBuilder<vx::hnsw::FlatSpace> builder(*h->graph, space, bs->efc);
        /* Runs on this thread only; no PostgreSQL call here can raise an error. */
        auto progress = [](size_t done) {
            pgstat_progress_update_param(PROGRESS_CREATEIDX_TUPLES_DONE, (int64) done);
            return !(InterruptPending && (QueryCancelPending || ProcDiePending));
        };
        builder.build(bs->threads, progress, 20);
    } catch (const vx::Cancelled&) {
        cancelled = true;
    } catch (...) {
        vx::pg::capture_current_exception(&err);
    }
    if (cancelled) {
        CHECK_FOR_INTERRUPTS();
        ereport(ERROR, (errcode(ERRCODE_QUERY_CANCELED), errmsg("canceling statement due to user request")));
    }
    vx::pg::rethrow_as_ereport(&err);
    pgstat_progress_update_param(PROGRESS_CREATEIDX_TUPLES_DONE, (int64) bs->n);
    quantize_loaded(bs);
    write_graph(bs, h->graph);
    free_graph(h);
}

// Bytes the build would hold with n elements.
static size_t build_bytes(const BuildState* bs, size_t n) {
    return vx::hnsw::estimate_bytes(n, bs->dims, bs->value_size, bs->m, bs->threads) +
           n * (sizeof(ItemPointerData) + (bs->code_size != bs->value_size ? bs->code_size : 0));
}

// Graph no longer fits: build what is loaded, WAL-log it, insert the rest.
static void spill(BuildState* bs) {
    ereport(NOTICE, (errmsg("hnsw graph no longer fits into maintenance_work_mem after %zu tuples", bs->n),
                     errdetail("The rest of the build inserts tuples page by page, which is much slower."),
                     errhint("Increase maintenance_work_mem to build faster.")));
    build_and_write(bs);
    if (RelationNeedsWAL(bs->index))
        log_newpage_range(bs->index, MAIN_FORKNUM, 0, RelationGetNumberOfBlocks(bs->index), true);
    bs->spilled = true;
    bs->n = 0;
    pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, HNSW_PHASE_LOAD);
}

// Heap scan callback: copy the value's code and TID, or insert when spilled.
static void build_callback(Relation index, ItemPointer tid, Datum* values, bool* isnull,
                           bool alive, void* state) {
    BuildState* bs = (BuildState*) state;
    (void) alive;
    if (isnull[0])
        return;
    bs->indtuples++;
    if (bs->spilled) {
        /* Each insert allocates (reader, quantizer): free it per tuple. */
        MemoryContext tmp = AllocSetContextCreate(CurrentMemoryContext, "hnsw build insert", ALLOCSET_DEFAULT_SIZES);
        MemoryContext old = MemoryContextSwitchTo(tmp);
        insert_value(index, values[0], tid);
        MemoryContextSwitchTo(old);
        MemoryContextDelete(tmp);
        return;
    }
    MemoryContext old = MemoryContextSwitchTo(bs->cxt);
    if (!value_to_code(bs->kind, bs->dims, values[0], bs->scratch)) {
        MemoryContextSwitchTo(old);
        return;
    }
    vx::pg::reserve_build_row(bs->cxt, bs->n, bs->value_size, &bs->cap, &bs->codes, &bs->tids);
    memcpy(bs->codes + bs->n * bs->value_size, bs->scratch, bs->value_size);
    bs->tids[bs->n++] = *tid;
    MemoryContextSwitchTo(old);
    if (bs->n % 1000 == 0)
        pgstat_progress_update_param(PROGRESS_CREATEIDX_TUPLES_DONE, (int64) bs->n);
    if (bs->n % 256 == 0 && build_bytes(bs, bs->n + 256) > bs->budget)
        spill(bs);
}

}  // namespace vx::pg::hnsw

using namespace vx::pg::hnsw;

// Scans the heap, builds the graph in memory and writes the index.
IndexBuildResult* hnswbuild(Relation heap, Relation index, IndexInfo* indexInfo) {
    if (RelationGetNumberOfBlocks(index) != 0)
        elog(ERROR, "index \"%s\" already contains data", RelationGetRelationName(index));
    BuildState bs;
    init_state(&bs, heap, index);
    pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, HNSW_PHASE_LOAD);
    pgstat_progress_update_param(PROGRESS_CREATEIDX_TUPLES_TOTAL, (int64) Max(heap->rd_rel->reltuples, 0));
    double reltuples = table_index_build_scan(heap, index, indexInfo, true, true, build_callback, &bs, NULL);
    if (!bs.spilled) {
        build_and_write(&bs);
        if (RelationNeedsWAL(index))
            log_newpage_range(index, MAIN_FORKNUM, 0, RelationGetNumberOfBlocks(index), true);
    }
    MemoryContextDelete(bs.cxt);
    IndexBuildResult* r = (IndexBuildResult*) palloc(sizeof(IndexBuildResult));
    r->heap_tuples = reltuples;
    r->index_tuples = bs.indtuples;
    return r;
}

// The init fork of an unlogged index: an empty metapage.
void hnswbuildempty(Relation index) {
    BuildState bs;
    init_state(&bs, NULL, index);
    Buffer buf = ReadBufferExtended(index, INIT_FORKNUM, P_NEW, RBM_NORMAL, NULL);
    LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
    GenericXLogState* st = GenericXLogStart(index);
    Page page = GenericXLogRegisterBuffer(st, buf, GENERIC_XLOG_FULL_IMAGE);
    fill_meta(page, &bs);
    GenericXLogFinish(st);
    UnlockReleaseBuffer(buf);
    MemoryContextDelete(bs.cxt);
}
