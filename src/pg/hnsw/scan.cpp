// hnsw index scan (amgettuple, ORDER BY col <op> query).
//
// The first call descends from the entry point and searches layer 0 with
// hnsw.ef_search candidates (core search_layer over page accessors, inside
// VX_GUARD, PostgreSQL calls through pg_guarded). Rows come back in the
// batch's ascending distance order; codes at 1x are the values, so these are
// exact distances and no recheck is needed. With hnsw.iterative_scan on, an
// exhausted batch is followed by the next one, resumed from every element seen
// but not returned, until hnsw.max_scan_tuples distances have been computed;
// strict_order drops rows closer than one already returned.
//
// Quantized codes: the graph is searched with code distances from the query
// prepared by the index's quantizer. When the scan rescores (vector_ext.rescore,
// the index's default: on_disk above 2x), each batch is searched with
// ceil(oversample * ef_search) candidates (clamped to [100, 10000]) and the
// batch's rows go through the shared rescoring routine (pg/common/rescore.h):
// heap fetch under the scan's snapshot, exact distance, exact order. Later
// batches (iterative scans) are rescored the same way; strict_order drops
// rows closer than one already returned.
//
// The C++ state (visited set, heaps) is a heap object freed at endscan or by a
// memory context reset callback on ERROR. Pins are held between calls (see
// PageReader) and dropped at rescan/endscan; the backend's block table of the
// index is borrowed from beginscan to endscan (the callback gives it back on
// ERROR). A row is read (TID, flags) when it is returned, from its block
// still pinned by the search; deleted or freed slots are skipped.
#include "pg/hnsw/hnsw.h"

extern "C" {
#include "access/relscan.h"
#include "utils/memutils.h"
#include "utils/rel.h"
}

#include <vector>

#include "pg/common/error_bridge.h"
#include "pg/common/pg_guard.h"
#include "pg/common/rescore.h"
#include "pg/common/scan_setup.h"
#include "pg/hnsw/reader.h"

namespace vx::pg::hnsw {

using vx::hnsw::Neighbor;

/* The C++ part of a scan. */
struct ScanCore {
    GrowingVisited visited;
    vx::hnsw::SearchScratch s;
    std::vector<Neighbor> discarded; /* FartherFirst heap, for later batches */
    std::vector<Neighbor> batch;
    vx::quant::PreparedQuery pq; /* quantized index: the prepared query */
};

typedef struct HnswScanOpaqueData {
    PageReader reader;
    uint8* query;
    uint32 query_size;
    bool quant_loaded;
    bool has_query;
    bool started;
    bool done;
    size_t pos;
    double last;
    ScanCore* core;
    MemoryContextCallback cb;
    MemoryContext cxt;
    /* rescoring (see the file comment) */
    bool rescore;
    int ncand;                        /* candidates per batch */
    vx::pg::Rescorer* rs;
    vx::pg::RescoreCandidate* cands;  /* ncand */
    vx::pg::RescoredRow* rows;        /* ncand */
    int nrows;
    int nalloc;                       /* size of cands and rows */
    size_t ef;                        /* search width of each batch */
    vx::pg::ScanStats stats;          /* for EXPLAIN (ANALYZE) */
} HnswScanOpaqueData;
typedef HnswScanOpaqueData* HnswScanOpaque;

/* One ScanCore kept for the next scan of this backend: its visited set is
 * as large as the index's id space, and allocating it per query costs more
 * than a small search. */
static ScanCore* spare_core = nullptr;

// Gives back the C++ state (rescan, endscan).
static void free_core(HnswScanOpaque so) {
    if (so->core && spare_core == nullptr)
        spare_core = so->core;
    else
        delete so->core;
    so->core = nullptr;
}

// Reset of the scan's context (endscan, or ERROR): the C++ state and the
// block table go back; pins left on ERROR are the resource owner's.
static void scan_cleanup(void* arg) {
    HnswScanOpaque so = (HnswScanOpaque) arg;
    free_core(so);
    so->reader.forget();
}

// A ScanCore, the spare one when there is one.
static ScanCore* take_core() {
    ScanCore* c = spare_core ? spare_core : new ScanCore();
    spare_core = nullptr;
    return c;
}

// First batch: greedy descent, then layer 0 with ef candidates.
static void first_batch(HnswScanOpaque so, size_t ef, bool iterative) {
    PageReader& r = so->reader;
    ScanCore& c = *so->core;
    c.s.reserve(ef, 2 * r.mi.m);
    c.visited.v.resize(size_t(r.npins) * r.mi.per_page);
    c.visited.clear();
    c.discarded.clear();
    c.batch.clear();
    PageNbrs nbrs{&r};
    if (r.quant)
        r.quant->prepare_query((const float*) so->query, quant_metric(r.mi.kind.metric), &c.pq);
    PageDist dist{&r, so->query, r.quant ? &c.pq : nullptr};
    uint32 ep = r.mi.entry_point;
    Neighbor cur{dist(ep), ep};
    for (int l = r.mi.max_level; l > 0; l--)
        cur = vx::hnsw::greedy_closest(nbrs, dist, l, cur, c.s);
    /* Layer 0 also starts from the entry point (one distance), so a search
     * that goes on long enough (ef >= rows, iterative scans) visits everything
     * reachable from there, which VACUUM keeps to be every element. */
    Neighbor seeds[2] = {cur, {0.0f, ep}};
    size_t nseeds = 1;
    if (cur.id != ep) {
        seeds[1].dist = dist(ep);
        nseeds = 2;
    }
    PageNbrs nbrs0{&r, &c.visited};
    vx::hnsw::search_layer(nbrs0, dist, c.visited, 0, ef, seeds, nseeds, c.s, iterative ? &c.discarded : nullptr);
    vx::hnsw::sort_results(c.s);
    c.batch.assign(c.s.results.begin(), c.s.results.end());
}

// Next batch: the closest elements seen but not returned seed a resumed search.
static void next_batch(HnswScanOpaque so, size_t ef) {
    PageReader& r = so->reader;
    ScanCore& c = *so->core;
    c.batch.clear();
    if (c.discarded.empty() && c.s.candidates.empty())
        return;
    c.s.results.clear();
    while (!c.discarded.empty() && c.s.results.size() < ef) {
        std::pop_heap(c.discarded.begin(), c.discarded.end(), vx::hnsw::FartherFirst());
        Neighbor e = c.discarded.back();
        c.discarded.pop_back();
        c.s.candidates.push_back(e);
        std::push_heap(c.s.candidates.begin(), c.s.candidates.end(), vx::hnsw::FartherFirst());
        c.s.results.push_back(e);
        std::push_heap(c.s.results.begin(), c.s.results.end());
    }
    vx::hnsw::search_layer_run(PageNbrs{&r, &c.visited}, PageDist{&r, so->query, r.quant ? &c.pq : nullptr}, c.visited, 0, ef, c.s, &c.discarded);
    vx::hnsw::sort_results(c.s);
    c.batch.assign(c.s.results.begin(), c.s.results.end());
}

// TID of a live element; false for deleted or free slots.
static bool element_tid(PageReader& r, uint32 id, ItemPointer tid) {
    Buffer buf = InvalidBuffer;
    VX_GUARD({ buf = r.pin(id_block(r.mi, id)); });
    LockBuffer(buf, BUFFER_LOCK_SHARE);
    HnswElementSlot* s = page_slot(r.index, BufferGetPage(buf), r.mi, id);
    bool live = s && !(s->flags & (HNSW_SLOT_DELETED | HNSW_SLOT_FREE));
    if (live)
        *tid = s->heaptid;
    LockBuffer(buf, BUFFER_LOCK_UNLOCK);
    return live;
}

// The current batch's live rows, rescored into so->rows in exact order.
static void rescore_batch(IndexScanDesc scan, HnswScanOpaque so) {
    PageReader& r = so->reader;
    ScanCore& c = *so->core;
    if (so->rs == NULL) {
        MemoryContext old = MemoryContextSwitchTo(so->cxt);
        ScanKey key = &scan->orderByData[0];
        so->rs = vx::pg::rescore_begin(scan->heapRelation, scan->indexRelation, scan->xs_snapshot,
                                       &key->sk_func, key->sk_collation, key->sk_argument, &so->stats);
        MemoryContextSwitchTo(old);
    }
    int n = 0;
    for (size_t i = 0; i < c.batch.size() && n < so->ncand; i++) {
        if (!element_tid(r, c.batch[i].id, &so->cands[n].tid))
            continue;
        so->cands[n].approx = c.batch[i].dist;
        n++;
    }
    so->nrows = vx::pg::rescore(so->rs, so->cands, n, so->rows);
    so->pos = 0;
}

// The executor wants more rows than the loop can give: say why (EXPLAIN).
static void note_stop(HnswScanOpaque so) {
    if (hnsw_iterative_scan != HNSW_ITERATIVE_OFF)
        vx::pg::scan_stats_limit(&so->stats, "hnsw.max_scan_tuples", hnsw_max_scan_tuples);
    else if (so->core && so->core->batch.size() >= so->ef)
        vx::pg::scan_stats_unextended(&so->stats, "hnsw.iterative_scan"); /* a full batch: more rows may exist */
}

// The scan's counters (IndexAm::stats).
const vx::pg::ScanStats* scan_stats(IndexScanDesc scan) {
    HnswScanOpaque so = (HnswScanOpaque) scan->opaque;
    return so ? &so->stats : nullptr;
}

}  // namespace vx::pg::hnsw

using namespace vx::pg::hnsw;

// Scan state in the scan's memory context.
IndexScanDesc hnswbeginscan(Relation index, int nkeys, int norderbys) {
    IndexScanDesc scan = RelationGetIndexScan(index, nkeys, norderbys);
    HnswScanOpaque so = (HnswScanOpaque) palloc0(sizeof(HnswScanOpaqueData));
    so->cxt = AllocSetContextCreate(CurrentMemoryContext, "hnsw scan", ALLOCSET_DEFAULT_SIZES);
    so->cb.func = scan_cleanup;
    so->cb.arg = so;
    MemoryContextRegisterResetCallback(so->cxt, &so->cb);
    so->reader.init_scan(index);
    scan->opaque = so;
    vx::pg::init_orderby_outputs(scan, norderbys);
    return scan;
}

// New query: forget the previous search.
void hnswrescan(IndexScanDesc scan, ScanKey keys, int nkeys, ScanKey orderbys, int norderbys) {
    HnswScanOpaque so = (HnswScanOpaque) scan->opaque;
    vx::pg::copy_scan_keys(scan, keys, orderbys);
    (void) nkeys;
    (void) norderbys;
    so->reader.release_all();
    free_core(so);
    if (so->rs)
        vx::pg::rescore_end(so->rs);
    so->rs = NULL;
    so->nrows = 0;
    so->started = false;
    so->done = false;
    so->pos = 0;
    so->last = -INFINITY;
}

// Next row in distance order.
bool hnswgettuple(IndexScanDesc scan, ScanDirection dir) {
    HnswScanOpaque so = (HnswScanOpaque) scan->opaque;
    PageReader& r = so->reader;
    (void) dir;
    if (!so->started) {
        so->started = true;
        so->stats.loops++;
        if (scan->orderByData == NULL || scan->numberOfOrderBys == 0)
            elog(ERROR, "cannot scan hnsw index without order");
        /* Read at every query: concurrent inserts move the entry point. */
        r.read_meta();
        if (!so->quant_loaded) {
            MemoryContext old = MemoryContextSwitchTo(so->cxt);
            r.load_quant();
            MemoryContextSwitchTo(old);
            so->quant_loaded = true;
        }
        if (so->query_size != r.mi.value_size) {
            so->query = (uint8*) MemoryContextAlloc(so->cxt, r.mi.value_size);
            so->query_size = r.mi.value_size;
        }
        ScanKey key = &scan->orderByData[0];
        so->has_query = !(key->sk_flags & SK_ISNULL) &&
                        value_to_code(r.mi.kind, r.mi.dims, key->sk_argument, so->query);
        if (!so->has_query || r.mi.entry_point == HNSW_NO_ELEMENT) {
            so->done = true;
            return false;
        }
        bool iterative = hnsw_iterative_scan != HNSW_ITERATIVE_OFF;
        double oversample;
        vx::pg::rescore_settings(r.mi.oversample, r.mi.rescore, &oversample, &so->rescore);
        size_t ef = (size_t) hnsw_ef_search;
        if (so->rescore) {
            so->ncand = vx::pg::rescore_candidate_count(oversample, hnsw_ef_search);
            ef = (size_t) so->ncand;
            if (so->cands == NULL || so->ncand > so->nalloc) {
                so->cands = (vx::pg::RescoreCandidate*) MemoryContextAlloc(so->cxt, sizeof(vx::pg::RescoreCandidate) * so->ncand);
                so->rows = (vx::pg::RescoredRow*) MemoryContextAlloc(so->cxt, sizeof(vx::pg::RescoredRow) * so->ncand);
                so->nalloc = so->ncand;
            }
        }
        so->ef = ef;
        r.distances = 0; /* hnsw.max_scan_tuples counts per loop */
        VX_GUARD({
            so->core = take_core();
            first_batch(so, ef, iterative);
        });
        so->stats.candidates += so->core->batch.size();
        so->stats.codes_compared += r.distances;
        if (so->rescore)
            rescore_batch(scan, so);
    }
    while (!so->done) {
        ScanCore& c = *so->core;
        while (so->rescore && so->pos < (size_t) so->nrows) {
            vx::pg::RescoredRow& row = so->rows[so->pos++];
            if (hnsw_iterative_scan == HNSW_ITERATIVE_STRICT && row.distance < so->last)
                continue;
            so->last = (float) row.distance;
            scan->xs_heaptid = row.tid;
            scan->xs_recheck = false;
            scan->xs_recheckorderby = false;
            scan->xs_orderbyvals[0] = Float8GetDatum(row.distance);
            scan->xs_orderbynulls[0] = false;
            so->stats.rows_returned++;
            return true;
        }
        while (!so->rescore && so->pos < c.batch.size()) {
            Neighbor n = c.batch[so->pos++];
            if (hnsw_iterative_scan == HNSW_ITERATIVE_STRICT && n.dist < so->last)
                continue;
            if (!element_tid(r, n.id, &scan->xs_heaptid))
                continue;
            so->last = n.dist;
            scan->xs_recheck = false;
            scan->xs_recheckorderby = false;
            scan->xs_orderbyvals[0] = Float8GetDatum(operator_distance(r.mi.kind, n.dist));
            scan->xs_orderbynulls[0] = false;
            so->stats.rows_returned++;
            return true;
        }
        if (hnsw_iterative_scan == HNSW_ITERATIVE_OFF || r.distances >= (uint64) hnsw_max_scan_tuples) {
            note_stop(so);
            so->done = true;
            break;
        }
        size_t ef = so->ef;
        uint64 before = r.distances;
        VX_GUARD({ next_batch(so, ef); });
        so->stats.extensions++;
        so->stats.candidates += so->core->batch.size();
        so->stats.codes_compared += r.distances - before;
        so->pos = 0;
        if (so->core->batch.empty())
            so->done = true;
        else if (so->rescore)
            rescore_batch(scan, so);
    }
    return false;
}

// Drops pins and frees the C++ state.
void hnswendscan(IndexScanDesc scan) {
    HnswScanOpaque so = (HnswScanOpaque) scan->opaque;
    so->reader.finish();
    free_core(so);
    if (so->rs)
        vx::pg::rescore_end(so->rs);
    MemoryContextDelete(so->cxt);
    pfree(so);
    scan->opaque = NULL;
}
