// ivf index scan (amgettuple, ORDER BY col <op> query).
//
// The first call picks the probes nearest lists (ivf.probes, or
// ivfflat.probes for an ivfflat index), reads every entry of those lists
// (share lock on one posting page at a time, TIDs and distances copied out),
// and returns them in ascending distance order from a heap. Codes at 1x are
// the values, so these are exact distances and no recheck is needed.
//
// Quantized lists (2x..32x, pq_m): distances are code distances from a query
// prepared by the index's quantizer. When the scan rescores (the index's
// default, vector_ext.rescore, vector_ext.oversample_factor), rows leave the
// heap in rounds of ceil(oversample * 100) candidates (clamped to [100,
// 10000]), which the shared routine (pg/common/rescore.h) fetches from the
// heap and returns in exact distance order; without rescoring, rows come in
// code-distance order with the code distance as their ORDER BY value.
//
// Iterative scans (<flavor>.iterative_scan): when the rows of the probed lists
// are used up, the next `probes` lists in centroid order are read, up to
// <flavor>.max_probes lists in all. relaxed_order returns each batch in order;
// strict_order drops rows closer than one already returned.
//
// Centroids come from a per-backend cache (they never change after the
// build); the head of each list's chain is read when the list is probed, so
// entries that concurrent inserts add are seen. The candidate array is kept
// for the backend's next scan (allocating and freeing a few hundred kB per
// query showed up as page faults), returned by a reset callback of the scan's
// memory context so an ERROR cannot leak it. Plain C-style code over palloc'd
// arrays, except the probe choice (core nearest_lists inside VX_GUARD).
#include "pg/ivf/ivf.h"

extern "C" {
#include "access/relscan.h"
#include "miscadmin.h"
#include "utils/memutils.h"
#include "utils/rel.h"
}

#include <algorithm>

#include "core/hnsw/space.h"
#include "core/simd/distance.h"
#include "pg/common/rescore.h"
#include "pg/common/scan_setup.h"

namespace vx::pg::ivf {

/* A row of a probed list. */
struct Candidate {
    float dist;
    ItemPointerData tid;
};

/* Heap order: nearest on top. */
struct NearerFirst {
    bool operator()(const Candidate& a, const Candidate& b) const { return a.dist > b.dist; }
};

typedef struct IvfScanOpaqueData {
    IvfMetaInfo mi;
    uint8* query; /* code of the query */
    uint8* cq;    /* its centroid form */
    uint32* order; /* lists in probe order */
    uint32 norder;
    uint32 next_probe;
    Candidate* cand;
    size_t ncand;
    size_t cap;
    bool started;
    bool done;
    double last;
    MemoryContext cxt;
    MemoryContext qcxt; /* per query: prepared query, rescorer */
    MemoryContextCallback cb;
    /* quantized lists */
    IvfCodec* codec;
    IvfQueryCodes* qc;
    bool rescore;
    int round;  /* candidates per rescoring round */
    vx::pg::Rescorer* rs;
    vx::pg::RescoreCandidate* rc;
    vx::pg::RescoredRow* rows;
    int nrows;
    int rowpos;
    vx::pg::ScanStats stats; /* for EXPLAIN (ANALYZE) */
} IvfScanOpaqueData;
typedef IvfScanOpaqueData* IvfScanOpaque;

/* The candidate array of the last finished scan (TopMemoryContext). */
static Candidate* spare_cand = NULL;
static size_t spare_cap = 0;

// Hands the scan's candidate array to the next scan (or frees it).
static void return_candidates(void* arg) {
    IvfScanOpaque so = (IvfScanOpaque) arg;
    if (so->cand && spare_cand == NULL) {
        spare_cand = so->cand;
        spare_cap = so->cap;
    } else if (so->cand) {
        pfree(so->cand);
    }
    so->cand = NULL;
}

// The spare candidate array, or a new one (TopMemoryContext).
static void take_candidates(IvfScanOpaque so) {
    if (spare_cand) {
        so->cand = spare_cand;
        so->cap = spare_cap;
        spare_cand = NULL;
    } else {
        so->cap = 8192;
        so->cand = (Candidate*) MemoryContextAlloc(TopMemoryContext, so->cap * sizeof(Candidate));
    }
}

// Head of a list's chain, read now (inserts may have started it).
static BlockNumber list_start(Relation index, const IvfMetaInfo& mi, uint32 list) {
    Buffer buf = ReadBuffer(index, list_block(mi, list));
    LockBuffer(buf, BUFFER_LOCK_SHARE);
    Page page = BufferGetPage(buf);
    BlockNumber start = list_tuple(index, mi, page, list)->start;
    UnlockReleaseBuffer(buf);
    return start;
}

// Appends the distance and TID of every entry of a list.
static void read_list(IndexScanDesc scan, IvfScanOpaque so, uint32 list) {
    const IvfMetaInfo& mi = so->mi;
    const vx::simd::Kernels& k = vx::simd::active();
    BlockNumber blk = list_start(scan->indexRelation, mi, list);
    while (blk != InvalidBlockNumber) {
        CHECK_FOR_INTERRUPTS(); /* a long list is read in one call; a corrupt chain may loop */
        Buffer buf = ReadBuffer(scan->indexRelation, blk);
        LockBuffer(buf, BUFFER_LOCK_SHARE);
        Page page = BufferGetPage(buf);
        OffsetNumber max = PageGetMaxOffsetNumber(page);
        if (so->ncand + max > so->cap) {
            size_t cap = Max(so->cap * 2, so->ncand + max + 1024);
            so->cand = (Candidate*) repalloc_huge(so->cand, cap * sizeof(Candidate));
            so->cap = cap;
        }
        for (OffsetNumber off = FirstOffsetNumber; off <= max; off++) {
            IvfEntry* e = posting_entry(scan->indexRelation, mi, blk, page, off);
            Candidate& c = so->cand[so->ncand++];
            c.dist = so->qc ? codec_distance(so->qc, IvfEntryCode(e))
                            : vx::hnsw::code_distance(k, mi.kind.metric, mi.dims, so->query, IvfEntryCode(e));
            c.tid = e->heaptid;
        }
        blk = IvfPageGetOpaque(page)->next;
        UnlockReleaseBuffer(buf);
    }
}

// Reads the next `probes` lists in probe order; false when none are left.
static bool next_batch(IndexScanDesc scan, IvfScanOpaque so, uint32 probes, uint32 limit) {
    so->ncand = 0;
    if (so->next_probe >= limit)
        return false;
    uint32 end = Min(limit, so->next_probe + probes);
    so->stats.lists_probed += end - so->next_probe;
    for (; so->next_probe < end; so->next_probe++)
        read_list(scan, so, so->order[so->next_probe]);
    so->stats.candidates += so->ncand;
    so->stats.codes_compared += so->ncand;
    std::make_heap(so->cand, so->cand + so->ncand, NearerFirst());
    return true;
}

}  // namespace vx::pg::ivf

using namespace vx::pg::ivf;

// Scan state and the centroids in the scan's memory context.
IndexScanDesc ivfbeginscan(Relation index, int nkeys, int norderbys) {
    IndexScanDesc scan = RelationGetIndexScan(index, nkeys, norderbys);
    IvfScanOpaque so = (IvfScanOpaque) palloc0(sizeof(IvfScanOpaqueData));
    so->cxt = AllocSetContextCreate(CurrentMemoryContext, "ivf scan", ALLOCSET_DEFAULT_SIZES);
    MemoryContext old = MemoryContextSwitchTo(so->cxt);
    read_meta(index, &so->mi);
    so->codec = codec_load(index, so->mi);
    so->qcxt = AllocSetContextCreate(so->cxt, "ivf query", ALLOCSET_SMALL_SIZES);
    so->query = (uint8*) palloc(vx::pg::hnsw::code_size_of(so->mi.kind, so->mi.dims));
    so->cq = (uint8*) palloc(so->mi.centroid_size);
    so->order = (uint32*) palloc(sizeof(uint32) * so->mi.lists);
    MemoryContextSwitchTo(old);
    take_candidates(so);
    so->cb.func = return_candidates;
    so->cb.arg = so;
    MemoryContextRegisterResetCallback(so->cxt, &so->cb);
    scan->opaque = so;
    vx::pg::init_orderby_outputs(scan, norderbys);
    return scan;
}

// New query: forget the previous one.
void ivfrescan(IndexScanDesc scan, ScanKey keys, int nkeys, ScanKey orderbys, int norderbys) {
    IvfScanOpaque so = (IvfScanOpaque) scan->opaque;
    vx::pg::copy_scan_keys(scan, keys, orderbys);
    (void) nkeys;
    (void) norderbys;
    so->started = false;
    so->done = false;
    so->ncand = 0;
    so->next_probe = 0;
    so->norder = 0;
    so->last = -INFINITY;
    so->qc = NULL;
    if (so->rs)
        vx::pg::rescore_end(so->rs); /* drops its heap slot and pins */
    so->rs = NULL;
    so->nrows = so->rowpos = 0;
    MemoryContextReset(so->qcxt);
}

// Quantized lists: the prepared query, and the rescorer when the scan rescores.
static void begin_quantized(IndexScanDesc scan, IvfScanOpaque so) {
    MemoryContext old = MemoryContextSwitchTo(so->qcxt);
    so->qc = codec_prepare(so->codec, (const float*) so->query);
    double oversample;
    vx::pg::rescore_settings(so->mi.oversample, so->mi.rescore, &oversample, &so->rescore);
    if (so->rescore) {
        so->round = vx::pg::rescore_candidate_count(oversample, IVF_RESCORE_K);
        so->rc = (vx::pg::RescoreCandidate*) palloc(sizeof(vx::pg::RescoreCandidate) * so->round);
        so->rows = (vx::pg::RescoredRow*) palloc(sizeof(vx::pg::RescoredRow) * so->round);
        ScanKey key = &scan->orderByData[0];
        so->rs = vx::pg::rescore_begin(scan->heapRelation, scan->indexRelation, scan->xs_snapshot, &key->sk_func,
                                       key->sk_collation, key->sk_argument, &so->stats);
    }
    MemoryContextSwitchTo(old);
}

// Next round of rescored rows from the candidate heap; false when it is empty.
static bool rescore_round(IvfScanOpaque so) {
    if (so->ncand == 0)
        return false;
    int n = 0;
    while (so->ncand > 0 && n < so->round) {
        std::pop_heap(so->cand, so->cand + so->ncand, NearerFirst());
        Candidate c = so->cand[--so->ncand];
        so->rc[n].tid = c.tid;
        so->rc[n].approx = c.dist;
        n++;
    }
    MemoryContext old = MemoryContextSwitchTo(so->qcxt);
    so->nrows = vx::pg::rescore(so->rs, so->rc, n, so->rows);
    MemoryContextSwitchTo(old);
    so->rowpos = 0;
    return true;
}

// "ivf.<name>" or "ivfflat.<name>" (a static string) for the index's flavor.
static const char* flavor_setting(const IvfMetaInfo& mi, const char* name) {
    bool flat = mi.flavor == IVF_FLAVOR_IVFFLAT;
    if (strcmp(name, "max_probes") == 0)
        return flat ? "ivfflat.max_probes" : "ivf.max_probes";
    return flat ? "ivfflat.iterative_scan" : "ivf.iterative_scan";
}

// The scan's counters (IndexAm::stats).
const vx::pg::ScanStats* vx::pg::ivf::scan_stats(IndexScanDesc scan) {
    IvfScanOpaque so = (IvfScanOpaque) scan->opaque;
    return so ? &so->stats : nullptr;
}

// Sets the scan's current row.
static bool emit(IndexScanDesc scan, ItemPointerData tid, double distance) {
    scan->xs_heaptid = tid;
    scan->xs_recheck = false;
    scan->xs_recheckorderby = false;
    scan->xs_orderbyvals[0] = Float8GetDatum(distance);
    scan->xs_orderbynulls[0] = false;
    ((IvfScanOpaque) scan->opaque)->stats.rows_returned++;
    return true;
}

// Next row in distance order.
bool ivfgettuple(IndexScanDesc scan, ScanDirection dir) {
    IvfScanOpaque so = (IvfScanOpaque) scan->opaque;
    const IvfGucs& g = ivf_gucs[so->mi.flavor == IVF_FLAVOR_IVFFLAT ? IVF_FLAVOR_IVFFLAT : IVF_FLAVOR_IVF];
    uint32 probes = (uint32) Min((uint32) g.probes, so->mi.lists);
    uint32 limit = g.iterative_scan == IVF_ITERATIVE_OFF ? probes
                                                         : Min(so->mi.lists, (uint32) Max(g.probes, g.max_probes));
    bool strict = g.iterative_scan == IVF_ITERATIVE_STRICT;
    (void) dir;
    if (!so->started) {
        so->started = true;
        so->stats.loops++;
        so->stats.lists_total = so->mi.lists;
        if (scan->orderByData == NULL || scan->numberOfOrderBys == 0)
            elog(ERROR, "cannot scan ivf index without order");
        ScanKey key = &scan->orderByData[0];
        if ((key->sk_flags & SK_ISNULL) ||
            !vx::pg::hnsw::value_to_code(so->mi.kind, so->mi.dims, key->sk_argument, so->query)) {
            so->done = true;
            return false;
        }
        centroid_query(so->mi, so->query, so->cq);
        MemoryContext old = MemoryContextSwitchTo(so->cxt);
        const uint8* centroids = cached_centroids(scan->indexRelation, so->mi);
        so->norder = nearest(so->mi, centroids, so->cq, limit, so->order);
        if (!centroids_cached(so->mi))
            pfree((void*) centroids);
        MemoryContextSwitchTo(old);
        if (so->codec)
            begin_quantized(scan, so);
        old = MemoryContextSwitchTo(so->cxt);
        next_batch(scan, so, probes, so->norder);
        MemoryContextSwitchTo(old);
    }
    while (!so->done) {
        if (so->rescore) {
            while (so->rowpos < so->nrows) {
                vx::pg::RescoredRow& r = so->rows[so->rowpos++];
                if (strict && r.distance < so->last)
                    continue;
                so->last = r.distance;
                return emit(scan, r.tid, r.distance);
            }
            if (rescore_round(so))
                continue;
        } else {
            while (so->ncand > 0) {
                std::pop_heap(so->cand, so->cand + so->ncand, NearerFirst());
                Candidate c = so->cand[--so->ncand];
                if (strict && c.dist < so->last)
                    continue;
                so->last = c.dist;
                double d = so->codec ? codec_operator_distance(so->codec, so->mi.kind, c.dist)
                                     : vx::pg::hnsw::operator_distance(so->mi.kind, c.dist);
                return emit(scan, c.tid, d);
            }
        }
        if (g.iterative_scan == IVF_ITERATIVE_OFF) {
            if (so->next_probe < so->mi.lists)
                vx::pg::scan_stats_unextended(&so->stats, flavor_setting(so->mi, "iterative_scan"));
            so->done = true;
            break;
        }
        MemoryContext old = MemoryContextSwitchTo(so->cxt);
        bool more = next_batch(scan, so, probes, so->norder);
        MemoryContextSwitchTo(old);
        if (more)
            so->stats.extensions++;
        else {
            if (so->norder < so->mi.lists)
                vx::pg::scan_stats_limit(&so->stats, flavor_setting(so->mi, "max_probes"), g.max_probes);
            so->done = true;
        }
    }
    return false;
}

void ivfendscan(IndexScanDesc scan) {
    IvfScanOpaque so = (IvfScanOpaque) scan->opaque;
    if (so->rs)
        vx::pg::rescore_end(so->rs);
    MemoryContextDelete(so->cxt);
    pfree(so);
    scan->opaque = NULL;
}
