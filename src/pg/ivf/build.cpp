// ivf index build.
//
// Phases (pg_stat_progress_create_index.phase shows them):
//   loading tuples      table_index_build_scan copies each indexed value's code
//                       and heap TID into flat arrays in a build memory context;
//   performing k-means  a sample of the loaded rows trains the centroids (core
//                       k-means: Faiss, spherical for cosine / inner product,
//                       binary k-means for bits) on worker threads;
//   assigning tuples    every loaded row goes to its nearest centroid, on
//                       worker threads (core assign);
//   writing pages       metapage, list pages (centroids and chain heads), then
//                       each list's posting entries on consecutive pages; no
//                       WAL while writing, then every block is logged with
//                       log_newpage_range.
// Workers never call PostgreSQL; this thread polls for cancel (InterruptPending)
// while they run, and the core stops them within a block of work.
//
// Training sample: max(50 x lists, 10000) rows, at most 256 x lists and the
// table, and no more than fits in what maintenance_work_mem leaves after the
// loaded rows (core recommended_sample_size), drawn uniformly (fixed seed, so
// builds are reproducible) from the loaded rows.
//
// Memory: loaded rows cost code + TID + 8 bytes of bookkeeping each. When they
// would pass 3/4 of maintenance_work_mem, a NOTICE says so: the rows loaded so
// far are trained on, assigned and written, and the remaining rows are
// inserted one by one into their nearest list (insert.cpp), so memory stays
// bounded (the centroids then come from the first part of the table).
//
// lists: the `lists` reloption, else rows / 1000 up to 1M rows and sqrt(rows)
// beyond. A table with fewer rows than lists gets one list per row (NOTICE);
// an empty table gets a single list that takes every row inserted later, so
// the index works (as an exact scan) until a REINDEX trains real lists.
//
// C++ / PostgreSQL: training and assignment run inside try blocks that call
// nothing of PostgreSQL; their results are copied into palloc'd arrays before
// the C++ objects die (STYLE 4, way (a)).
#include "pg/ivf/ivf.h"

extern "C" {
#include "access/generic_xlog.h"
#include "access/tableam.h"
#include "access/xloginsert.h"
#include "catalog/index.h"
#include "commands/progress.h"
#include "common/pg_prng.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "storage/bufmgr.h"
#include "utils/memutils.h"
#include "utils/rel.h"
}

#include <algorithm>

#include "core/errors.h"
#include "core/ivf/assign.h"
#include "core/ivf/kmeans.h"
#include "pg/common/build_rows.h"
#include "pg/common/error_bridge.h"

#define IVF_PHASE_LOAD 2
#define IVF_PHASE_KMEANS 3
#define IVF_PHASE_ASSIGN 4
#define IVF_PHASE_WRITE 5

namespace vx::pg::ivf {

struct BuildState {
    Relation heap;
    Relation index;
    uint8 flavor;
    HnswKind kind;
    uint32 dims;
    IvfBuildOptions opts;
    bool quantized;
    int lists_opt;
    uint8 centroid;
    uint32 value_size; /* bytes of a loaded value (1x code) */
    uint32 code_size;  /* bytes of a posting code */
    uint32 entry_size;
    uint32 centroid_size;
    size_t budget; /* maintenance_work_mem in bytes */
    int threads;
    uint8* codes; /* n * value_size */
    ItemPointerData* tids;
    size_t n;
    size_t cap;
    bool spilled;
    double indtuples;
    uint32 sample_rows;
    uint8* scratch; /* one value */
    uint8* qscratch; /* one posting code */
    MemoryContext cxt;
    /* quantized lists */
    IvfCodec* codec;
    uint8* qblob;
    uint32 qbytes;
    BlockNumber quant_block;
    /* after a spill: where the remaining rows go */
    IvfMetaInfo mi;
    IvfListSet ls;
    uint8* cq;
    uint32 nearest_list;
};

// Options, sizes and limits of the index being built.
static void init_state(BuildState* bs, Relation heap, Relation index, uint8 flavor) {
    memset(bs, 0, sizeof(*bs));
    bs->heap = heap;
    bs->index = index;
    bs->flavor = flavor;
    bs->kind = vx::pg::hnsw::kind_of_index(index);
    /* Options and the fit check before the table is scanned. */
    vx::pg::Sizing s;
    sizing_of(index->rd_options, vx::pg::hnsw::sizing_target(index, bs->kind, heap ? heap->rd_rel->reltuples : 0),
              NULL, flavor, &s);
    vx::pg::check_element_fits(flavor == IVF_FLAVOR_IVF ? "ivf" : "ivfflat", s, page_geometry());
    bs->dims = s.params.dims;
    bs->opts.r = s.resolved;
    bs->opts.pq_m = s.params.pq_m;
    bs->lists_opt = option_lists(index);
    bs->centroid = centroid_rule(bs->kind);
    bs->quantized = bs->opts.pq_m > 0 || bs->opts.r.encoding != vx::quant::Encoding::f32;
    bs->value_size = vx::pg::hnsw::code_size_of(bs->kind, bs->dims);
    bs->code_size = bs->quantized ? codec_code_size(bs->opts, bs->dims) : bs->value_size;
    bs->entry_size = sizeof(IvfEntry) + bs->code_size;
    bs->centroid_size = centroid_size_of(bs->kind, bs->dims);
    bs->budget = (size_t) maintenance_work_mem * 1024;
    bs->threads = s.params.threads;
    bs->cxt = AllocSetContextCreate(CurrentMemoryContext, "ivf build", ALLOCSET_DEFAULT_SIZES);
    bs->scratch = (uint8*) MemoryContextAlloc(bs->cxt, bs->value_size);
    bs->qscratch = (uint8*) MemoryContextAlloc(bs->cxt, bs->code_size);
}

// Fills a fresh metapage for `lists` lists.
static void fill_meta(Page page, const BuildState* bs, uint32 lists) {
    init_page(page, IVF_PAGE_META);
    IvfMetaPageData* meta = IvfPageGetMeta(page);
    memset(meta, 0, sizeof(*meta));
    meta->magic = IVF_MAGIC;
    meta->version = IVF_FORMAT_VERSION;
    meta->dims = bs->dims;
    meta->type = bs->kind.type;
    meta->metric = (uint8) bs->kind.metric;
    meta->centroid = bs->centroid;
    meta->flavor = bs->flavor;
    meta->mode = (uint8) bs->opts.r.mode;
    meta->compression = (uint8) bs->opts.r.level;
    meta->encoding = (uint8) bs->opts.r.encoding;
    meta->rescore = bs->opts.r.rescore ? 1 : 0;
    meta->oversample = (float4) bs->opts.r.oversample;
    meta->pq_m = (uint16) bs->opts.pq_m;
    meta->quant_block = bs->qblob ? bs->quant_block : 0;
    meta->quant_bytes = bs->qblob ? bs->qbytes : 0;
    meta->lists = lists;
    meta->lists_per_page = list_tuples_per_page(bs->centroid_size);
    meta->n_list_blocks = (lists + meta->lists_per_page - 1) / meta->lists_per_page;
    meta->centroid_size = bs->centroid_size;
    meta->code_size = bs->code_size;
    meta->entry_size = bs->entry_size;
    meta->sample_rows = bs->sample_rows;
    meta->built_rows = bs->n;
    meta->build_id = pg_prng_uint64(&pg_global_prng_state);
    ((PageHeader) page)->pd_lower = (char*) (meta + 1) - (char*) page;
}

// Adds list tuples [first, first + count) to a list page.
static void fill_list_page(Page page, const BuildState* bs, const uint8* centroids, uint32 first,
                           uint32 count, const BlockNumber* start, const BlockNumber* insert) {
    init_page(page, IVF_PAGE_LIST);
    uint32 sz = sizeof(IvfListTuple) + bs->centroid_size;
    IvfListTuple* t = (IvfListTuple*) palloc0(sz);
    for (uint32 k = first; k < first + count; k++) {
        t->start = start ? start[k] : InvalidBlockNumber;
        t->insert = insert ? insert[k] : InvalidBlockNumber;
        memcpy(IvfListCentroid(t), centroids + (size_t) k * bs->centroid_size, bs->centroid_size);
        if (PageAddItem(page, (Item) t, sz, InvalidOffsetNumber, false, false) == InvalidOffsetNumber)
            elog(ERROR, "ivf build: list tuple does not fit on its page");
    }
    pfree(t);
}

// A new page at the end of the index (build: no WAL yet), exclusively locked.
static Buffer new_page(Relation index, BlockNumber expect) {
    Buffer buf = ReadBufferExtended(index, MAIN_FORKNUM, P_NEW, RBM_NORMAL, NULL);
    if (BufferGetBlockNumber(buf) != expect)
        elog(ERROR, "ivf build: expected block %u, got %u", expect, BufferGetBlockNumber(buf));
    LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
    return buf;
}

// True when a cancel or termination is pending (safe on this thread, no error).
static bool keep_going() { return !(InterruptPending && (QueryCancelPending || ProcDiePending)); }

// Raises the error a core call left, or the cancel.
static void finish_core_call(bool cancelled, const vx::pg::CaughtError* err) {
    if (cancelled) {
        CHECK_FOR_INTERRUPTS();
        ereport(ERROR, (errcode(ERRCODE_QUERY_CANCELED), errmsg("canceling statement due to user request")));
    }
    vx::pg::rethrow_as_ereport(err);
}

// A uniform sample of ns loaded rows, as floats (or bits); perm is n scratch slots.
static uint8* draw_sample(BuildState* bs, size_t ns, uint32* perm) {
    pg_prng_state rng;
    pg_prng_seed(&rng, 1234);
    for (size_t i = 0; i < bs->n; i++)
        perm[i] = (uint32) i;
    for (size_t i = 0; i < ns; i++) { /* partial Fisher-Yates */
        size_t j = i + (size_t) pg_prng_uint64_range(&rng, 0, bs->n - 1 - i);
        std::swap(perm[i], perm[j]);
    }
    uint8* sample = (uint8*) MemoryContextAllocHuge(bs->cxt, Max(ns, 1) * bs->centroid_size);
    for (size_t i = 0; i < ns; i++) {
        const uint8* code = bs->codes + (size_t) perm[i] * bs->value_size;
        uint8* dst = sample + i * bs->centroid_size;
        if (bs->kind.type == HNSW_TYPE_BYTEVECTOR) {
            for (uint32 d = 0; d < bs->dims; d++)
                ((float*) dst)[d] = (float) ((const int8*) code)[d];
        } else {
            memcpy(dst, code, bs->centroid_size);
        }
    }
    return sample;
}

// Rows to train on: see the top of the file.
static size_t sample_size(BuildState* bs, uint32 lists) {
    size_t loaded = bs->n * (bs->value_size + sizeof(ItemPointerData) + 8);
    size_t left = bs->budget > loaded ? bs->budget - loaded : 0;
    size_t ns;
    if (bs->centroid == IVF_CENTROID_BINARY)
        ns = std::min(bs->n, std::min(std::max<size_t>(50 * (size_t) lists, 10000), 256 * (size_t) lists));
    else
        ns = vx::ivf::recommended_sample_size(bs->n, bs->dims, lists, (vx::ivf::Metric) bs->centroid, left);
    return std::min(ns, bs->n);
}

// Trains up to `lists` centroids on the sample; returns the count.
static uint32 train(BuildState* bs, uint32 lists, const uint8* sample, size_t ns, uint8* centroids) {
    bs->sample_rows = (uint32) ns;
    pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, IVF_PHASE_KMEANS);

    size_t got = 0;
    bool cancelled = false;
    vx::pg::CaughtError err = {0, {0}};
    try {
        vx::ivf::TrainParams p;
        p.threads = bs->threads;
        p.progress = keep_going;
        if (bs->centroid == IVF_CENTROID_BINARY) {
            vx::ivf::BinaryCentroids c = vx::ivf::train_binary_centroids(sample, ns, bs->centroid_size, lists, p);
            got = c.lists;
            memcpy(centroids, c.data.data(), got * bs->centroid_size);
        } else {
            vx::ivf::Centroids c = vx::ivf::train_centroids((const float*) sample, ns, bs->dims, lists,
                                                            (vx::ivf::Metric) bs->centroid, p);
            got = c.lists;
            memcpy(centroids, c.data.data(), got * bs->centroid_size);
        }
    } catch (const vx::Cancelled&) {
        cancelled = true;
    } catch (...) {
        vx::pg::capture_current_exception(&err);
    }
    finish_core_call(cancelled, &err);
    return (uint32) got;
}

// list_of[i] = nearest of the nl centroids for every loaded row (worker threads).
static void assign_rows(BuildState* bs, const uint8* centroids, uint32 nl, uint32* list_of) {
    pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, IVF_PHASE_ASSIGN);
    const size_t batch = 65536;
    float* widened = NULL;
    if (bs->kind.type == HNSW_TYPE_BYTEVECTOR)
        widened = (float*) MemoryContextAllocHuge(bs->cxt, batch * bs->dims * sizeof(float));
    bool cancelled = false;
    vx::pg::CaughtError err = {0, {0}};
    try {
        vx::ivf::Metric metric = (vx::ivf::Metric) bs->centroid;
        if (bs->centroid == IVF_CENTROID_BINARY) {
            vx::ivf::assign_binary(bs->codes, bs->n, centroids, nl, bs->centroid_size, list_of, bs->threads,
                                   keep_going);
        } else if (widened == NULL) {
            vx::ivf::assign((const float*) bs->codes, bs->n, (const float*) centroids, nl, bs->dims, metric,
                            list_of, bs->threads, keep_going);
        } else {
            for (size_t first = 0; first < bs->n; first += batch) {
                size_t cnt = std::min(batch, bs->n - first);
                const int8* src = (const int8*) (bs->codes + first * bs->value_size);
                for (size_t i = 0; i < cnt * bs->dims; i++)
                    widened[i] = (float) src[i];
                vx::ivf::assign(widened, cnt, (const float*) centroids, nl, bs->dims, metric, list_of + first,
                                bs->threads, keep_going);
            }
        }
    } catch (const vx::Cancelled&) {
        cancelled = true;
    } catch (...) {
        vx::pg::capture_current_exception(&err);
    }
    finish_core_call(cancelled, &err);
    if (widened)
        pfree(widened);
}

// Writes metapage, list pages and each list's entries on consecutive posting pages.
static void write_index(BuildState* bs, const uint8* centroids, uint32 nl, const uint32* list_of,
                        const uint8* codes) {
    pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, IVF_PHASE_WRITE);
    Relation index = bs->index;
    uint32 lpp = list_tuples_per_page(bs->centroid_size);
    uint32 nlb = (nl + lpp - 1) / lpp;
    uint32 epp = entries_per_page(bs->entry_size);
    /* Counting sort of rows by list. */
    size_t* first = (size_t*) palloc0(sizeof(size_t) * (nl + 1));
    for (size_t i = 0; i < bs->n; i++)
        first[list_of[i] + 1]++;
    for (uint32 k = 0; k < nl; k++)
        first[k + 1] += first[k];
    uint32* order = (uint32*) MemoryContextAllocHuge(bs->cxt, sizeof(uint32) * Max(bs->n, 1));
    size_t* fill = (size_t*) palloc(sizeof(size_t) * nl);
    memcpy(fill, first, sizeof(size_t) * nl);
    for (size_t i = 0; i < bs->n; i++)
        order[fill[list_of[i]]++] = (uint32) i;
    /* Chains on consecutive blocks after the list pages. */
    BlockNumber* start = (BlockNumber*) palloc(sizeof(BlockNumber) * nl);
    BlockNumber* insert = (BlockNumber*) palloc(sizeof(BlockNumber) * nl);
    BlockNumber next = IVF_FIRST_LIST_BLKNO + nlb;
    for (uint32 k = 0; k < nl; k++) {
        size_t cnt = first[k + 1] - first[k];
        BlockNumber pages = (BlockNumber) ((cnt + epp - 1) / epp);
        start[k] = pages ? next : InvalidBlockNumber;
        insert[k] = pages ? next + pages - 1 : InvalidBlockNumber;
        next += pages;
    }
    bs->quant_block = next; /* quantizer pages follow the posting pages */

    Buffer mbuf = new_page(index, IVF_METAPAGE_BLKNO);
    fill_meta(BufferGetPage(mbuf), bs, nl);
    MarkBufferDirty(mbuf);
    UnlockReleaseBuffer(mbuf);
    for (uint32 b = 0; b < nlb; b++) {
        Buffer buf = new_page(index, IVF_FIRST_LIST_BLKNO + b);
        uint32 k0 = b * lpp;
        fill_list_page(BufferGetPage(buf), bs, centroids, k0, Min(lpp, nl - k0), start, insert);
        MarkBufferDirty(buf);
        UnlockReleaseBuffer(buf);
    }
    IvfEntry* e = (IvfEntry*) palloc0(bs->entry_size);
    for (uint32 k = 0; k < nl; k++) {
        if (start[k] == InvalidBlockNumber)
            continue;
        BlockNumber blk = start[k];
        for (size_t p = first[k]; p < first[k + 1]; p += epp, blk++) {
            CHECK_FOR_INTERRUPTS();
            Buffer buf = new_page(index, blk);
            Page page = BufferGetPage(buf);
            init_page(page, IVF_PAGE_POSTING);
            if (blk != insert[k])
                IvfPageGetOpaque(page)->next = blk + 1;
            size_t end = Min(first[k + 1], p + epp);
            for (size_t q = p; q < end; q++) {
                size_t i = order[q];
                e->heaptid = bs->tids[i];
                memcpy(IvfEntryCode(e), codes + i * bs->code_size, bs->code_size);
                if (PageAddItem(page, (Item) e, bs->entry_size, InvalidOffsetNumber, false, false) == InvalidOffsetNumber)
                    elog(ERROR, "ivf build: entry does not fit on its page");
            }
            MarkBufferDirty(buf);
            UnlockReleaseBuffer(buf);
        }
    }
    pfree(e);
    if (bs->qblob)
        write_quantizer_pages(index, bs->quant_block, bs->qblob, bs->qbytes);
    pfree(order);
    pfree(first);
    pfree(fill);
    pfree(start);
    pfree(insert);
}

// Trains, assigns and writes what is loaded (rows: the count the default lists rule uses).
static void train_and_write(BuildState* bs, double rows) {
    uint32 lists = bs->lists_opt > 0 ? (uint32) bs->lists_opt : default_lists(rows);
    if (bs->n > 0 && bs->n < lists)
        ereport(NOTICE, (errmsg("ivf index created with little data"),
                         errdetail("%zu rows for %u lists: each row becomes a list, which will give low recall as rows are added.",
                                   bs->n, lists),
                         errhint("Create the index when the table has its data, or REINDEX later.")));
    uint8* centroids = (uint8*) MemoryContextAllocHuge(bs->cxt, (size_t) lists * bs->centroid_size);
    uint32* list_of = (uint32*) MemoryContextAllocHuge(bs->cxt, sizeof(uint32) * Max(bs->n, 1));
    size_t ns = bs->n > 0 ? sample_size(bs, lists) : 0;
    uint8* sample = bs->n > 0 ? draw_sample(bs, ns, list_of) : NULL;
    uint32 nl = bs->n > 0 ? train(bs, lists, sample, ns, centroids) : 0;
    if (nl == 0) {
        /* Empty: one list that takes every row; its centroid never matters. */
        nl = 1;
        memset(centroids, 0, bs->centroid_size);
    }
    if (bs->quantized) {
        /* The quantizer (or PQ codebooks) trains on the same sample. */
        if (bs->n == 0)
            ereport(NOTICE, (errmsg("ivf index built on an empty table uses default quantizer parameters"),
                             errhint("REINDEX the index after loading data for better recall.")));
        MemoryContext old = MemoryContextSwitchTo(bs->cxt);
        bs->codec = codec_train(bs->opts, bs->kind, bs->dims, (const float*) sample, ns, bs->threads,
                                &bs->qblob, &bs->qbytes);
        MemoryContextSwitchTo(old);
    }
    if (sample)
        pfree(sample);
    if (bs->n > 0)
        assign_rows(bs, centroids, nl, list_of);
    const uint8* codes = bs->codes;
    uint8* qcodes = NULL;
    if (bs->quantized && bs->n > 0) {
        qcodes = (uint8*) MemoryContextAllocHuge(bs->cxt, bs->n * bs->code_size);
        codec_encode(bs->codec, (const float*) bs->codes, bs->n, qcodes, bs->threads);
        codes = qcodes;
    }
    write_index(bs, centroids, nl, list_of, codes);
    if (qcodes)
        pfree(qcodes);
    pfree(list_of);
    pfree(centroids);
}

// Rows no longer fit: write what is loaded, WAL-log it, insert the rest.
static void spill(BuildState* bs) {
    ereport(NOTICE, (errmsg("ivf build rows no longer fit into maintenance_work_mem after %zu tuples", bs->n),
                     errdetail("Lists are trained on the rows loaded so far; the rest are inserted one by one, which is slower."),
                     errhint("Increase maintenance_work_mem to build faster.")));
    double est = Max((double) bs->n, bs->heap ? (double) bs->heap->rd_rel->reltuples : 0.0);
    train_and_write(bs, est);
    if (RelationNeedsWAL(bs->index))
        log_newpage_range(bs->index, MAIN_FORKNUM, 0, RelationGetNumberOfBlocks(bs->index), true);
    bs->spilled = true;
    pfree(bs->codes);
    pfree(bs->tids);
    bs->codes = NULL;
    bs->tids = NULL;
    bs->n = bs->cap = 0;
    MemoryContext old = MemoryContextSwitchTo(bs->cxt);
    read_meta(bs->index, &bs->mi);
    read_lists(bs->index, bs->mi, &bs->ls);
    bs->cq = (uint8*) palloc(bs->mi.centroid_size);
    MemoryContextSwitchTo(old);
    pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, IVF_PHASE_LOAD);
}

// Heap scan callback: copy the value's code and TID, or insert when spilled.
static void build_callback(Relation index, ItemPointer tid, Datum* values, bool* isnull, bool alive,
                           void* state) {
    BuildState* bs = (BuildState*) state;
    (void) alive;
    if (isnull[0])
        return;
    MemoryContext old = MemoryContextSwitchTo(bs->cxt);
    if (!vx::pg::hnsw::value_to_code(bs->kind, bs->dims, values[0], bs->scratch)) {
        MemoryContextSwitchTo(old);
        return;
    }
    bs->indtuples++;
    if (bs->spilled) {
        centroid_query(bs->mi, bs->scratch, bs->cq);
        uint32 list = 0;
        nearest(bs->mi, bs->ls.centroids, bs->cq, 1, &list);
        const uint8* code = bs->scratch;
        if (bs->codec) {
            codec_encode(bs->codec, (const float*) bs->scratch, 1, bs->qscratch, 1);
            code = bs->qscratch;
        }
        MemoryContextSwitchTo(old);
        insert_entry(index, bs->mi, list, code, tid);
        return;
    }
    vx::pg::reserve_build_row(bs->cxt, bs->n, bs->value_size, &bs->cap, &bs->codes, &bs->tids);
    memcpy(bs->codes + bs->n * bs->value_size, bs->scratch, bs->value_size);
    bs->tids[bs->n++] = *tid;
    MemoryContextSwitchTo(old);
    if (bs->n % 1000 == 0)
        pgstat_progress_update_param(PROGRESS_CREATEIDX_TUPLES_DONE, (int64) bs->n);
    /* The arrays grow by doubling: count their capacity, not just the rows. */
    if (bs->n % 256 == 0 &&
        Max(bs->cap, bs->n + 256) * (bs->value_size + sizeof(ItemPointerData)) + bs->n * (8 + bs->code_size) >
            bs->budget / 4 * 3)
        spill(bs);
}

// Scans the heap, trains, assigns and writes the index.
static IndexBuildResult* build(Relation heap, Relation index, IndexInfo* indexInfo, uint8 flavor) {
    if (RelationGetNumberOfBlocks(index) != 0)
        elog(ERROR, "index \"%s\" already contains data", RelationGetRelationName(index));
    BuildState bs;
    init_state(&bs, heap, index, flavor);
    pgstat_progress_update_param(PROGRESS_CREATEIDX_SUBPHASE, IVF_PHASE_LOAD);
    pgstat_progress_update_param(PROGRESS_CREATEIDX_TUPLES_TOTAL, (int64) Max(heap->rd_rel->reltuples, 0));
    double reltuples = table_index_build_scan(heap, index, indexInfo, true, true, build_callback, &bs, NULL);
    if (!bs.spilled) {
        train_and_write(&bs, (double) bs.n);
        if (RelationNeedsWAL(index))
            log_newpage_range(index, MAIN_FORKNUM, 0, RelationGetNumberOfBlocks(index), true);
    }
    MemoryContextDelete(bs.cxt);
    IndexBuildResult* r = (IndexBuildResult*) palloc(sizeof(IndexBuildResult));
    r->heap_tuples = reltuples;
    r->index_tuples = bs.indtuples;
    return r;
}

// The init fork of an unlogged index: metapage, one empty list, and the
// default quantizer of a quantized index.
static void build_empty(Relation index, uint8 flavor) {
    BuildState bs;
    init_state(&bs, NULL, index, flavor);
    uint8* centroid = (uint8*) palloc0(bs.centroid_size);
    if (bs.quantized) {
        MemoryContext old = MemoryContextSwitchTo(bs.cxt);
        bs.codec = codec_train(bs.opts, bs.kind, bs.dims, NULL, 0, 1, &bs.qblob, &bs.qbytes);
        MemoryContextSwitchTo(old);
        bs.quant_block = 2;
    }
    const uint32 per = (uint32) (BLCKSZ - MAXALIGN(SizeOfPageHeaderData) - MAXALIGN(sizeof(IvfPageOpaque)));
    BlockNumber nblocks = 2 + (bs.qblob ? (bs.qbytes + per - 1) / per : 0);
    for (BlockNumber b = 0; b < nblocks; b++) {
        Buffer buf = ReadBufferExtended(index, INIT_FORKNUM, P_NEW, RBM_NORMAL, NULL);
        LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
        GenericXLogState* st = GenericXLogStart(index);
        Page page = GenericXLogRegisterBuffer(st, buf, GENERIC_XLOG_FULL_IMAGE);
        if (b == IVF_METAPAGE_BLKNO) {
            fill_meta(page, &bs, 1);
        } else if (b == IVF_FIRST_LIST_BLKNO) {
            fill_list_page(page, &bs, centroid, 0, 1, NULL, NULL);
        } else {
            init_page(page, IVF_PAGE_QUANT);
            uint32 done = (b - 2) * per;
            uint32 n = Min(per, bs.qbytes - done);
            memcpy(PageGetContents(page), bs.qblob + done, n);
            ((PageHeader) page)->pd_lower = (PageGetContents(page) - (char*) page) + n;
        }
        GenericXLogFinish(st);
        UnlockReleaseBuffer(buf);
    }
    MemoryContextDelete(bs.cxt);
}

}  // namespace vx::pg::ivf

IndexBuildResult* ivfbuild(Relation heap, Relation index, IndexInfo* indexInfo) {
    return vx::pg::ivf::build(heap, index, indexInfo, IVF_FLAVOR_IVF);
}
IndexBuildResult* ivfflatbuild(Relation heap, Relation index, IndexInfo* indexInfo) {
    return vx::pg::ivf::build(heap, index, indexInfo, IVF_FLAVOR_IVFFLAT);
}
void ivfbuildempty(Relation index) { vx::pg::ivf::build_empty(index, IVF_FLAVOR_IVF); }
void ivfflatbuildempty(Relation index) { vx::pg::ivf::build_empty(index, IVF_FLAVOR_IVFFLAT); }
