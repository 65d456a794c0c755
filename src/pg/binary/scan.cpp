// binary index scan (amgettuple, ORDER BY col <op> query): passes over all
// code pages.
//
// A pass streams every code page in block order (through the buffer manager:
// a BULKREAD ring when the index is larger than a quarter of shared buffers,
// PrefetchBuffer a few blocks ahead for read-ahead), computes the distance of
// every code on a page with the SIMD kernels while the page is share-locked,
// and keeps the best `want` entries in a max-heap keyed by (distance, heap
// TID). The pass's entries, sorted, are the next rows.
//
// Buffer hints: two shared buffer-mapping lookups per page (PrefetchBuffer and
// ReadBuffer) were a quarter of a pass over cached pages. The backend keeps,
// in the index's relcache entry (rd_amcache, freed by any relcache
// invalidation), the buffer each block was in last time, and pins through
// ReadRecentBuffer, which checks under the buffer header lock that the buffer
// still holds that block and falls back to ReadBuffer when not. Only buffer
// numbers are kept: every page is read from its pinned, locked buffer. Blocks
// with a hint are not prefetched (they were cached) until a hint fails, after
// which the next blocks are prefetched again. Every 64th read goes through
// ReadBuffer anyway, because only that raises the buffer's usage count in
// PostgreSQL 15, which keeps the index's pages from being evicted first.
//
// CPU cache hints: the buffer hints also say where in memory the pages a few
// blocks ahead probably are. A page's codes are computed in slices of about
// 768 bytes (8 codes of 768 bits); after each slice the scan issues prefetch
// instructions for the same share of the page 3 blocks ahead, so the memory
// system always has a few lines in flight and never a burst. Prefetching the
// whole next page at once made the pass slower than no hint at all (the
// requests queue behind each other and stall the loads of the page being
// scanned); spread out, 2-3 pages ahead, a pass over 100 MB of 96-byte codes
// in scattered 8 kB pages was 1.4x faster than with none
// (bench/micro/page_stream_bench.cpp). A prefetch reads nothing; pages are
// only ever read from a pinned, locked buffer.
//
// Exact codes (bitvector, and vector / bytevector at 1x): a pass yields
// vector_ext.binary_batch_size rows; when the executor asks for more, the next pass keeps
// only keys after the last one returned, so rows come in exact distance
// order across passes (ties by TID), each row once. Bit distances are the
// operators' own (popcount kernels, jaccard_from_counts), so results equal a
// sequential scan's.
//
// Quantized codes (vector columns above 1x): distances are the quantizer's
// code distances (vx::quant::distances over a page's codes with a query
// prepared once per query). When the scan rescores (the index's default, or
// vector_ext.rescore / vector_ext.oversample_factor), a pass keeps
// ceil(oversample * batch_size) candidates (clamped to [100, 10000]), the
// shared rescoring routine (pg/common/rescore.h) turns them into visible rows
// with exact distances, and rows come in exact order within a pass. Later
// passes (the executor asking for more) continue after the last code-distance
// key, so each row still comes once, but a later pass may hold a row closer
// than one already returned (as hnsw.iterative_scan = relaxed_order).
// Without rescoring, rows come in code-distance order with code distances.
//
// C++ / PostgreSQL: plain C-style code over palloc'd arrays (std heap
// algorithms on raw arrays hold no resources), so an ERROR (cancel, read
// error) frees everything with the scan's memory context.
#include "pg/binary/binary.h"

extern "C" {
#include "access/relscan.h"
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "utils/memutils.h"
#include "utils/rel.h"
}

#include <algorithm>
#include <cmath>

#include "core/hnsw/space.h"
#include "core/quant/quantizer.h"
#include "core/simd/distance.h"
#include "pg/common/error_bridge.h"
#include "pg/common/rescore.h"
#include "pg/common/scan_setup.h"
#include "pg/types/bitvector.h"

/* Blocks read ahead of the one being scanned. */
#define BINARY_PREFETCH_DISTANCE 32
/* CPU cache hints: for the page this many blocks ahead, one share of it
 * after each slice of about this many bytes of codes (see the file comment). */
#define BINARY_MEMORY_AHEAD 3
#define BINARY_SLICE_BYTES 768

namespace vx::pg::binary {

/* One entry of a pass: the sort key (distance, TID). */
struct Cand {
    double dist;
    ItemPointerData tid;
};

// Key order: distance, then heap TID.
static inline bool cand_less(const Cand& a, const Cand& b) {
    if (a.dist != b.dist)
        return a.dist < b.dist;
    return ItemPointerCompare((ItemPointer) &a.tid, (ItemPointer) &b.tid) < 0;
}

typedef struct BinaryScanOpaqueData {
    BinaryMetaInfo mi;
    const vx::simd::Kernels* k;
    uint8* query;        /* the query as a code */
    bool started;
    bool done;           /* nothing more to return after the current batch */
    bool last_pass;      /* the current batch ends the index */
    bool has_bound;
    Cand bound;          /* last key returned by earlier passes */
    Cand* heap;          /* max-heap of a pass, capacity `want` */
    int want;
    int nheap;
    Cand* batch;         /* the current pass's rows, ascending */
    int nbatch;
    int pos;
    double* dists;       /* distances of one page */
    float* fdists;       /* quantized: code distances of one page */
    const vx::quant::Quantizer* quantizer; /* nullptr at 1x */
    vx::quant::PreparedQuery* pq;          /* quantized: the prepared query */
    MemoryContextCallback pq_cb;
    bool rescore;
    vx::pg::Rescorer* rs;
    vx::pg::RescoreCandidate* cands; /* rescore: one pass's candidates */
    vx::pg::RescoredRow* rows;       /* and its visible rows, exact order */
    int nrows;
    uint32 slice;        /* codes per slice of a page (BINARY_SLICE_BYTES) */
    BufferAccessStrategy strategy;
    MemoryContext cxt;
    vx::pg::ScanStats stats; /* for EXPLAIN (ANALYZE) */
} BinaryScanOpaqueData;
typedef BinaryScanOpaqueData* BinaryScanOpaque;

// Distances from the query to codes from .. from+n-1 of a share-locked page:
// the quantizer's float code distances into so->fdists (returned), or bit and
// exact-code distances into so->dists (nullptr returned), indexed from 0.
static const float* page_distances(BinaryScanOpaque so, Page page, uint32 from, uint32 n) {
    const vx::simd::Kernels& k = *so->k;
    const BinaryMetaInfo& mi = so->mi;
    size_t cs = mi.code_size;
    const uint8* codes = BinaryPageCode(page, mi.code_size, from);
    double* out = so->dists;
    if (so->pq) {
        vx::quant::distances(*so->pq, codes, n, cs, so->fdists);
        return so->fdists;
    }
    switch (mi.kind.metric) {
    case vx::hnsw::Metric::hamming_bits:
        for (uint32 i = 0; i < n; i++)
            out[i] = (double) k.hamming(so->query, codes + i * cs, cs);
        break;
    case vx::hnsw::Metric::jaccard_bits:
        for (uint32 i = 0; i < n; i++) {
            uint64_t both, any;
            k.and_or_popcount(so->query, codes + i * cs, cs, &both, &any);
            out[i] = bitvector_jaccard_from_counts(both, any);
        }
        break;
    default:
        for (uint32 i = 0; i < n; i++)
            out[i] = (double) vx::hnsw::code_distance(k, mi.kind.metric, mi.dims, so->query, codes + i * cs);
        break;
    }
    return nullptr;
}

// Offers entries from .. from+n-1 of a page, with distances d[0..n), to the
// pass's heap. Most entries are farther than the heap's worst once it is
// full; that test comes first and needs neither the TID nor the bound (float
// distances widen to double exactly, so the keys are the same either way).
template <typename D>
static void offer_entries(BinaryScanOpaque so, Page page, const D* d, uint32 from, uint32 n) {
    const BinaryMetaInfo& mi = so->mi;
    double worst = so->nheap == so->want ? so->heap[0].dist : HUGE_VAL;
    for (uint32 i = 0; i < n; i++) {
        if ((double) d[i] > worst)
            continue;
        Cand c;
        c.dist = (double) d[i];
        c.tid = BinaryGetTid(page, mi.code_size, mi.per_page, from + i);
        if (so->has_bound && !cand_less(so->bound, c))
            continue; /* returned by an earlier pass */
        if (so->nheap < so->want) {
            so->heap[so->nheap++] = c;
            std::push_heap(so->heap, so->heap + so->nheap, cand_less);
        } else if (cand_less(c, so->heap[0])) {
            std::pop_heap(so->heap, so->heap + so->nheap, cand_less);
            so->heap[so->nheap - 1] = c;
            std::push_heap(so->heap, so->heap + so->nheap, cand_less);
        }
        if (so->nheap == so->want)
            worst = so->heap[0].dist;
    }
}

// Offers the entries of one page to the pass's heap, so->slice at a time;
// after each slice, a CPU cache hint for the same share of the page `ahead`
// (a page further on, or nullptr; see the file comment).
static void offer_page(BinaryScanOpaque so, Relation index, BlockNumber blk, Page page, const char* ahead) {
    uint32 count = code_page_count(index, blk, page, so->mi);
    so->stats.codes_compared += count;
    uint32 hinted = 0; /* bytes of `ahead` hinted so far */
    for (uint32 from = 0; from < count; from += so->slice) {
        uint32 n = Min(so->slice, count - from);
        if (ahead) {
            uint32 upto = (uint32) ((uint64) BLCKSZ * (from + n) / count);
            for (; hinted < upto; hinted += 64)
                __builtin_prefetch(ahead + hinted);
        }
        const float* f = page_distances(so, page, from, n);
        if (f)
            offer_entries(so, page, f, from, n);
        else
            offer_entries(so, page, so->dists, from, n);
    }
}

/* The backend's buffer hints for an index (rd_amcache; see the file comment). */
typedef struct BinaryBufferHints {
    BlockNumber n;       /* blocks covered */
    uint32 reads;        /* hinted reads, for the usage-count refresh */
    Buffer buf[FLEXIBLE_ARRAY_MEMBER]; /* per block; InvalidBuffer: none */
} BinaryBufferHints;

// The index's hints, grown to cover nblocks blocks. The pointer is good for
// one pass: nothing in a pass accepts invalidation messages.
static BinaryBufferHints* buffer_hints(Relation index, BlockNumber nblocks) {
    BinaryBufferHints* h = (BinaryBufferHints*) index->rd_amcache;
    if (h && h->n >= nblocks)
        return h;
    BlockNumber n = Max(nblocks, h ? h->n + h->n / 4 : 0);
    BinaryBufferHints* g = (BinaryBufferHints*) MemoryContextAllocZero(
        index->rd_indexcxt, offsetof(BinaryBufferHints, buf) + sizeof(Buffer) * (Size) n);
    g->n = n;
    if (h) {
        memcpy(g->buf, h->buf, sizeof(Buffer) * h->n);
        g->reads = h->reads;
        pfree(h);
    }
    index->rd_amcache = g;
    return g;
}

// The memory of the buffer a block was in last time, for a CPU cache hint
// only (nothing is read from it: it is not pinned), or nullptr.
static inline const char* hinted_memory(Buffer hint) {
    if (hint <= 0) /* none, or a local buffer */
        return nullptr;
    return BufferBlocks + (Size) (hint - 1) * BLCKSZ;
}

// One pass over every code page; leaves the best entries sorted in batch.
static void scan_pass(IndexScanDesc scan, BinaryScanOpaque so) {
    Relation index = scan->indexRelation;
    BlockNumber nblocks = RelationGetNumberOfBlocks(index);
    if (so->strategy == NULL && nblocks > (BlockNumber) (NBuffers / 4))
        so->strategy = GetAccessStrategy(BAS_BULKREAD);
    /* A ring's buffers are reused at once: hints would always fail. */
    BinaryBufferHints* hints = so->strategy ? NULL : buffer_hints(index, nblocks);
    so->nheap = 0;
    BlockNumber prefetched = 1;
    BlockNumber prefetch_all_below = hints ? 0 : nblocks; /* see the file comment */
    for (BlockNumber b = 1; b < nblocks; b++) {
        CHECK_FOR_INTERRUPTS();
        for (; prefetched < nblocks && prefetched <= b + BINARY_PREFETCH_DISTANCE; prefetched++) {
            if (prefetched >= prefetch_all_below && hints->buf[prefetched] != InvalidBuffer)
                continue;
            PrefetchBufferResult r = PrefetchBuffer(index, MAIN_FORKNUM, prefetched);
            if (hints)
                hints->buf[prefetched] = r.recent_buffer;
        }
        Buffer buf = InvalidBuffer;
        if (hints && hints->buf[b] != InvalidBuffer && (++hints->reads & 63) != 0) {
            if (ReadRecentBuffer(index->rd_node, MAIN_FORKNUM, b, hints->buf[b]))
                buf = hints->buf[b];
            else
                prefetch_all_below = Min(nblocks, b + 2 * BINARY_PREFETCH_DISTANCE);
        }
        if (buf == InvalidBuffer) {
            buf = ReadBufferExtended(index, MAIN_FORKNUM, b, RBM_NORMAL, so->strategy);
            if (hints)
                hints->buf[b] = buf;
        }
        const char* ahead = NULL;
        if (hints && b + BINARY_MEMORY_AHEAD < nblocks)
            ahead = hinted_memory(hints->buf[b + BINARY_MEMORY_AHEAD]);
        LockBuffer(buf, BUFFER_LOCK_SHARE);
        Page page = BufferGetPage(buf);
        if (is_code_page(index, b, page))
            offer_page(so, index, b, page, ahead);
        UnlockReleaseBuffer(buf);
    }
    std::sort_heap(so->heap, so->heap + so->nheap, cand_less);
    std::swap(so->heap, so->batch);
    so->nbatch = so->nheap;
    so->nheap = 0;
    so->stats.candidates += so->nbatch;
    so->pos = 0;
    so->last_pass = so->nbatch < so->want;
    if (so->nbatch > 0) {
        so->bound = so->batch[so->nbatch - 1];
        so->has_bound = true;
    }
}

// The pass's candidates through the shared rescoring routine into so->rows.
static void rescore_pass(IndexScanDesc scan, BinaryScanOpaque so) {
    if (so->rs == NULL) {
        MemoryContext old = MemoryContextSwitchTo(so->cxt);
        ScanKey key = &scan->orderByData[0];
        so->rs = vx::pg::rescore_begin(scan->heapRelation, scan->indexRelation, scan->xs_snapshot,
                                       &key->sk_func, key->sk_collation, key->sk_argument, &so->stats);
        MemoryContextSwitchTo(old);
    }
    for (int i = 0; i < so->nbatch; i++) {
        so->cands[i].tid = so->batch[i].tid;
        so->cands[i].approx = (float) so->batch[i].dist;
    }
    so->nrows = vx::pg::rescore(so->rs, so->cands, so->nbatch, so->rows);
}

// Deletes the prepared query with the scan's memory context.
static void free_prepared(void* arg) {
    BinaryScanOpaque so = (BinaryScanOpaque) arg;
    delete so->pq;
    so->pq = nullptr;
}

// The operator's result for a key.
static double operator_value(const BinaryMetaInfo& mi, double dist) {
    if (mi.kind.type == HNSW_TYPE_BITVECTOR)
        return dist;
    return vx::pg::hnsw::operator_distance(mi.kind, (float) dist);
}

// The scan's counters (IndexAm::stats).
const vx::pg::ScanStats* scan_stats(IndexScanDesc scan) {
    BinaryScanOpaque so = (BinaryScanOpaque) scan->opaque;
    return so ? &so->stats : nullptr;
}

}  // namespace vx::pg::binary

using namespace vx::pg::binary;

// Scan state in the scan's memory context.
IndexScanDesc binarybeginscan(Relation index, int nkeys, int norderbys) {
    IndexScanDesc scan = RelationGetIndexScan(index, nkeys, norderbys);
    BinaryScanOpaque so = (BinaryScanOpaque) palloc0(sizeof(BinaryScanOpaqueData));
    so->cxt = AllocSetContextCreate(CurrentMemoryContext, "binary scan", ALLOCSET_DEFAULT_SIZES);
    read_meta(index, &so->mi);
    so->k = &vx::simd::active();
    so->query = (uint8*) MemoryContextAlloc(so->cxt, so->mi.value_size);
    so->dists = (double*) MemoryContextAlloc(so->cxt, sizeof(double) * Max(so->mi.per_page, 1));
    so->fdists = (float*) MemoryContextAlloc(so->cxt, sizeof(float) * Max(so->mi.per_page, 1));
    so->slice = Max(1u, (uint32) BINARY_SLICE_BYTES / Max(so->mi.code_size, 1u));
    if (binary_quantized(so->mi)) {
        MemoryContext old = MemoryContextSwitchTo(so->cxt);
        so->quantizer = load_quantizer(index, so->mi);
        MemoryContextSwitchTo(old);
        so->pq_cb.func = free_prepared;
        so->pq_cb.arg = so;
        MemoryContextRegisterResetCallback(so->cxt, &so->pq_cb);
        vx::quant::PreparedQuery* pq = nullptr;
        VX_GUARD({ pq = new vx::quant::PreparedQuery(); });
        so->pq = pq;
    }
    scan->opaque = so;
    vx::pg::init_orderby_outputs(scan, norderbys);
    return scan;
}

// New query: forget the previous passes.
void binaryrescan(IndexScanDesc scan, ScanKey keys, int nkeys, ScanKey orderbys, int norderbys) {
    BinaryScanOpaque so = (BinaryScanOpaque) scan->opaque;
    vx::pg::copy_scan_keys(scan, keys, orderbys);
    (void) nkeys;
    (void) norderbys;
    so->started = false;
    so->done = false;
    so->last_pass = false;
    so->has_bound = false;
    so->nbatch = 0;
    so->nrows = 0;
    so->pos = 0;
    if (so->rs)
        vx::pg::rescore_end(so->rs);
    so->rs = NULL;
}

// Sets up the first pass of a query; false when there is nothing to return.
static bool start_query(IndexScanDesc scan, BinaryScanOpaque so) {
    if (scan->orderByData == NULL || scan->numberOfOrderBys == 0)
        elog(ERROR, "cannot scan binary index without order");
    ScanKey key = &scan->orderByData[0];
    if (key->sk_flags & SK_ISNULL)
        return false;
    MemoryContext old = MemoryContextSwitchTo(so->cxt);
    bool indexed = vx::pg::hnsw::value_to_code(so->mi.kind, so->mi.dims, key->sk_argument, so->query);
    int want = binary_batch_size;
    so->rescore = false;
    if (so->pq) {
        double oversample;
        vx::pg::rescore_settings(so->mi.oversample, so->mi.rescore, &oversample, &so->rescore);
        if (so->rescore)
            want = vx::pg::rescore_candidate_count(oversample, binary_batch_size);
    }
    if (so->want != want) {
        if (so->heap) {
            pfree(so->heap);
            pfree(so->batch);
            pfree(so->cands);
            pfree(so->rows);
        }
        so->heap = (Cand*) palloc(sizeof(Cand) * want);
        so->batch = (Cand*) palloc(sizeof(Cand) * want);
        so->cands = (vx::pg::RescoreCandidate*) palloc(sizeof(vx::pg::RescoreCandidate) * want);
        so->rows = (vx::pg::RescoredRow*) palloc(sizeof(vx::pg::RescoredRow) * want);
        so->want = want;
    }
    MemoryContextSwitchTo(old);
    if (indexed && so->pq) {
        const vx::quant::Quantizer* q = so->quantizer;
        vx::quant::PreparedQuery* pq = so->pq;
        const float* x = (const float*) so->query;
        vx::quant::Metric metric = vx::pg::hnsw::quant_metric(so->mi.kind.metric);
        VX_GUARD({ q->prepare_query(x, metric, pq); });
    }
    return indexed;
}

// Next row in distance order.
bool binarygettuple(IndexScanDesc scan, ScanDirection dir) {
    BinaryScanOpaque so = (BinaryScanOpaque) scan->opaque;
    (void) dir;
    if (!so->started) {
        so->started = true;
        so->stats.loops++;
        if (!start_query(scan, so)) {
            so->done = true;
            return false;
        }
    }
    while (!so->done) {
        if (so->rescore && so->pos < so->nrows) {
            const vx::pg::RescoredRow& row = so->rows[so->pos++];
            scan->xs_heaptid = row.tid;
            scan->xs_recheck = false;
            scan->xs_recheckorderby = false;
            scan->xs_orderbyvals[0] = Float8GetDatum(row.distance);
            scan->xs_orderbynulls[0] = false;
            so->stats.rows_returned++;
            return true;
        }
        if (!so->rescore && so->pos < so->nbatch) {
            const Cand& c = so->batch[so->pos++];
            scan->xs_heaptid = c.tid;
            scan->xs_recheck = false;
            scan->xs_recheckorderby = false;
            scan->xs_orderbyvals[0] = Float8GetDatum(operator_value(so->mi, c.dist));
            scan->xs_orderbynulls[0] = false;
            so->stats.rows_returned++;
            return true;
        }
        if (so->last_pass) {
            so->done = true;
            break;
        }
        if (so->has_bound)
            so->stats.extensions++; /* a pass after the loop's first */
        scan_pass(scan, so);
        if (so->nbatch == 0)
            so->done = true;
        else if (so->rescore)
            rescore_pass(scan, so);
    }
    return false;
}

// Frees the scan state.
void binaryendscan(IndexScanDesc scan) {
    BinaryScanOpaque so = (BinaryScanOpaque) scan->opaque;
    if (so->strategy)
        FreeAccessStrategy(so->strategy);
    if (so->rs)
        vx::pg::rescore_end(so->rs);
    MemoryContextDelete(so->cxt);
    pfree(so);
    scan->opaque = NULL;
}
