// hnsw VACUUM.
//
// ambulkdelete, in three passes over the element pages:
//   1. mark: slots whose heap TID the callback reports dead get the DELETED
//      flag (they stay graph nodes, so concurrent searches still pass through
//      them, but scans no longer return them);
//   2. repair, under the update lock held exclusively (no insert runs): a new
//      entry point when the old one is deleted (the live element of highest
//      level); every live element whose list points at a deleted one gets its
//      list re-chosen with the heuristic among its live neighbours and the
//      neighbours of its deleted ones;
//      then every live element is made reachable from the entry point on
//      layer 0 (a flood fill; an element nothing reaches is linked from its
//      nearest reached element), so a full iterative scan returns every row;
//   3. free: deleted slots become FREE and their pages go into the metapage's
//      free-page list, so inserts reuse them and churn does not grow the index.
// Content locks are exclusive (not cleanup) locks: scans read TIDs when they
// return a row, under a share lock, and skip DELETED/FREE slots.
#include "pg/hnsw/hnsw.h"

extern "C" {
#include "access/generic_xlog.h"
#include "commands/vacuum.h"
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "storage/lmgr.h"
#include "utils/memutils.h"
#include "utils/rel.h"
}

#include <algorithm>
#include <vector>

#include "pg/common/error_bridge.h"
#include "pg/common/pg_guard.h"
#include "core/hnsw/graph.h"
#include "pg/hnsw/links.h"

namespace vx::pg::hnsw {

/* What pass 1 found. */
struct VacuumState {
    HnswMetaInfo mi;
    BlockNumber nblocks;
    uint8* deleted;      /* bitmap over ids */
    uint64 ndeleted;
    uint32 best;         /* live element of highest level */
    int best_level;
};

static inline bool is_deleted(const VacuumState* vs, uint32 id) {
    return (uint64) id < (uint64) vs->nblocks * vs->mi.per_page && (vs->deleted[id / 8] >> (id % 8) & 1);
}

// Pass 1: marks dead elements, counts live ones.
static void mark_dead(Relation index, VacuumState* vs, IndexBulkDeleteCallback callback, void* cstate,
                      IndexBulkDeleteResult* stats, BufferAccessStrategy strategy) {
    for (BlockNumber b = 1; b < vs->nblocks; b++) {
        vacuum_delay_point();
        Buffer buf = ReadBufferExtended(index, MAIN_FORKNUM, b, RBM_NORMAL, strategy);
        LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
        Page page = BufferGetPage(buf);
        if (vx::pg::checked_page_type(index, b, page, HNSW_PAGE_KIND) != HNSW_PAGE_ELEMENT) {
            UnlockReleaseBuffer(buf);
            continue;
        }
        GenericXLogState* st = NULL;
        Page gp = NULL;
        OffsetNumber max = PageGetMaxOffsetNumber(page);
        for (OffsetNumber off = FirstOffsetNumber; off <= max; off++) {
            HnswElementSlot* s = (HnswElementSlot*) PageGetItem(page, PageGetItemId(page, off));
            uint32 id = make_id(vs->mi, b, off);
            if (s->flags & HNSW_SLOT_FREE)
                continue;
            if (s->flags & HNSW_SLOT_DELETED) {
                vs->deleted[id / 8] |= (uint8) (1 << (id % 8));
                vs->ndeleted++;
                continue;
            }
            if (callback(&s->heaptid, cstate)) {
                if (!st) {
                    st = GenericXLogStart(index);
                    gp = GenericXLogRegisterBuffer(st, buf, 0);
                }
                ((HnswElementSlot*) PageGetItem(gp, PageGetItemId(gp, off)))->flags |= HNSW_SLOT_DELETED;
                vs->deleted[id / 8] |= (uint8) (1 << (id % 8));
                vs->ndeleted++;
                stats->tuples_removed++;
            } else {
                stats->num_index_tuples++;
                if ((int) s->level > vs->best_level) {
                    vs->best_level = s->level;
                    vs->best = id;
                }
            }
        }
        if (st)
            GenericXLogFinish(st);
        UnlockReleaseBuffer(buf);
    }
}

// Before pass 2, under the update lock: inserts ran during pass 1 and may
// have added pages, whose elements can link to elements pass 1 marked
// deleted. Passes 2 and 3 cover the index as it is now (the new pages hold no
// element this VACUUM deletes), else pass 3 frees slots those lists still name.
static void cover_new_pages(Relation index, VacuumState* vs) {
    BlockNumber now = RelationGetNumberOfBlocks(index);
    if (now <= vs->nblocks)
        return;
    size_t old_bytes = (size_t) vs->nblocks * vs->mi.per_page / 8 + 1;
    size_t bytes = (size_t) now * vs->mi.per_page / 8 + 1;
    vs->deleted = (uint8*) repalloc_huge(vs->deleted, bytes);
    memset(vs->deleted + old_bytes, 0, bytes - old_bytes);
    vs->nblocks = now;
}

// Pass 2a: a live entry point.
static void fix_entry_point(Relation index, VacuumState* vs) {
    Buffer mbuf = ReadBuffer(index, HNSW_METAPAGE_BLKNO);
    LockBuffer(mbuf, BUFFER_LOCK_EXCLUSIVE);
    HnswMetaPageData* meta = HnswPageGetMeta(BufferGetPage(mbuf));
    if (meta->entry_point != HNSW_NO_ELEMENT && is_deleted(vs, meta->entry_point)) {
        GenericXLogState* st = GenericXLogStart(index);
        meta = HnswPageGetMeta(GenericXLogRegisterBuffer(st, mbuf, 0));
        meta->entry_point = vs->best_level >= 0 ? vs->best : HNSW_NO_ELEMENT;
        meta->max_level = vs->best_level;
        GenericXLogFinish(st);
        /* The registered copy is freed by GenericXLogFinish: read the buffer's page. */
        meta = HnswPageGetMeta(BufferGetPage(mbuf));
    }
    meta_to_info(meta, &vs->mi);
    UnlockReleaseBuffer(mbuf);
}

// Pass 2b: lists of live elements lose their deleted neighbours (C++, in VX_GUARD).
static void repair_lists(PageReader& r, const VacuumState* vs) {
    const HnswMetaInfo& mi = r.mi;
    std::vector<uint32> list(2 * mi.m + 1), sub(2 * mi.m + 1), cand, out;
    std::vector<float> out_dist;
    std::vector<uint8> base(mi.code_size);
    SelectScratch ss;
    for (BlockNumber b = 1; b < vs->nblocks; b++) {
        for (uint32 o = 0; o < mi.per_page; o++) {
            uint32 id = b * mi.per_page + o;
            uint8 flags = r.copy_code(id, base.data());
            if (flags & (HNSW_SLOT_DELETED | HNSW_SLOT_FREE))
                continue;
            for (int l = 0; l <= vx::hnsw::kMaxLevel; l++) {
                uint32 n = r.neighbors(id, l, list.data());
                if (n == 0 && l > 0)
                    break;
                bool touched = false;
                for (uint32 j = 0; j < n; j++)
                    touched |= is_deleted(vs, list[j]);
                if (!touched)
                    continue;
                cand.clear();
                for (uint32 j = 0; j < n; j++) {
                    if (!is_deleted(vs, list[j])) {
                        cand.push_back(list[j]);
                        continue;
                    }
                    uint32 k = r.neighbors(list[j], l, sub.data());
                    for (uint32 q = 0; q < k; q++)
                        if (!is_deleted(vs, sub[q]))
                            cand.push_back(sub[q]);
                }
                /* A large deleted region leaves few candidates two hops away:
                 * search the graph (still linked through deleted elements). */
                if (cand.size() < max_degree(mi, l))
                    search_candidates(r, base.data(), l, size_t(mi.ef_construction), cand);
                select_for(r, base.data(), id, id, cand, max_degree(mi, l), ss, out, out_dist);
                replace_list(r, id, l, list.data(), n, out.data(), uint32(out.size()));
            }
        }
        if (b % 64 == 0)
            r.release_all();
    }
}

/* Layer-0 reachability from the entry point: a bitmap over ids. */
struct Reach {
    PageReader& r;
    const VacuumState* vs;
    std::vector<uint8> bits;
    std::vector<uint32> stack, list;
    std::vector<uint8> code;

    Reach(PageReader& reader, const VacuumState* v)
        : r(reader), vs(v), bits(size_t(v->nblocks) * reader.mi.per_page / 8 + 1),
          list(2 * reader.mi.m + 1), code(reader.mi.code_size) {}
    bool has(uint32 id) const { return size_t(id / 8) < bits.size() && (bits[id / 8] >> (id % 8) & 1); }
    bool live(uint32 id) {
        return (uint64) id < (uint64) vs->nblocks * r.mi.per_page && !is_deleted(vs, id) &&
               !(r.copy_code(id, code.data()) & (HNSW_SLOT_DELETED | HNSW_SLOT_FREE));
    }
    // Marks everything reachable from start (live) on layer 0.
    void flood(uint32 start) {
        bits[start / 8] |= (uint8) (1 << (start % 8));
        stack.assign(1, start);
        while (!stack.empty()) {
            uint32 id = stack.back();
            stack.pop_back();
            uint32 n = r.neighbors(id, 0, list.data());
            for (uint32 j = 0; j < n; j++) {
                uint32 x = list[j];
                if (has(x) || !live(x))
                    continue;
                bits[x / 8] |= (uint8) (1 << (x % 8));
                stack.push_back(x);
            }
        }
    }
};

// Links an element nothing reaches from its nearest reached element: appended
// to a list with room, else in place of that element's farthest neighbour
// (which the next round of the caller checks in turn).
static void link_orphan(PageReader& r, Reach& reach, uint32 id, const uint8* code) {
    const HnswMetaInfo& mi = r.mi;
    std::vector<uint32> cand, nbrs(2 * mi.m + 1);
    uint32 n = r.neighbors(id, 0, nbrs.data());
    cand.assign(nbrs.begin(), nbrs.begin() + n);
    search_candidates(r, code, 0, size_t(mi.ef_construction), cand);
    std::vector<vx::hnsw::Neighbor> near;
    std::vector<uint8> other(mi.code_size);
    for (uint32 c : cand) {
        if (c == id || !reach.has(c))
            continue;
        bool dup = false;
        for (const auto& e : near)
            dup |= e.id == c;
        if (dup || (r.copy_code(c, other.data()) & (HNSW_SLOT_DELETED | HNSW_SLOT_FREE)))
            continue;
        near.push_back({r.between(code, other.data()), c});
    }
    if (near.empty())
        near.push_back({0.0f, mi.entry_point});
    std::sort(near.begin(), near.end());
    for (const auto& e : near)
        if (append_link(r, e.id, 0, id))
            return;
    /* Every candidate is full: the nearest one drops its farthest neighbour,
     * which the orphan (reached now) takes in when it has room. */
    uint32 gone = displace_farthest(r, near[0].id, 0, id);
    if (gone != HNSW_NO_ELEMENT)
        append_link(r, id, 0, gone);
}

// Pass 2c: every live element reachable from the entry point on layer 0 (C++).
static void reconnect(PageReader& r, const VacuumState* vs) {
    const HnswMetaInfo& mi = r.mi;
    if (mi.entry_point == HNSW_NO_ELEMENT)
        return;
    std::vector<uint8> code(mi.code_size);
    /* A replaced neighbour may lose its last in-link: a few rounds settle it. */
    for (int round = 0; round < 4; round++) {
        Reach reach(r, vs);
        reach.flood(mi.entry_point);
        uint64 linked = 0;
        for (BlockNumber b = 1; b < vs->nblocks; b++) {
            for (uint32 o = 0; o < mi.per_page; o++) {
                uint32 id = b * mi.per_page + o;
                if (reach.has(id) || is_deleted(vs, id))
                    continue;
                if (r.copy_code(id, code.data()) & (HNSW_SLOT_DELETED | HNSW_SLOT_FREE))
                    continue;
                link_orphan(r, reach, id, code.data());
                reach.flood(id);
                linked++;
            }
            if (b % 64 == 0)
                r.release_all();
        }
        if (linked == 0)
            break;
        pg_guarded([&] {
            elog(DEBUG1, "hnsw vacuum: linked %llu unreachable elements of \"%s\"", (unsigned long long) linked,
                 RelationGetRelationName(r.index));
        });
    }
}

// Pass 3: deleted slots become free; their pages go to the free-page list.
static void free_deleted(Relation index, VacuumState* vs, BufferAccessStrategy strategy) {
    Buffer mbuf = ReadBuffer(index, HNSW_METAPAGE_BLKNO);
    for (BlockNumber b = 1; b < vs->nblocks; b++) {
        vacuum_delay_point();
        Buffer buf = ReadBufferExtended(index, MAIN_FORKNUM, b, RBM_NORMAL, strategy);
        LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
        Page page = BufferGetPage(buf);
        bool any = false;
        if (vx::pg::checked_page_type(index, b, page, HNSW_PAGE_KIND) == HNSW_PAGE_ELEMENT) {
            GenericXLogState* st = NULL;
            Page gp = NULL;
            OffsetNumber max = PageGetMaxOffsetNumber(page);
            for (OffsetNumber off = FirstOffsetNumber; off <= max; off++) {
                HnswElementSlot* s = (HnswElementSlot*) PageGetItem(page, PageGetItemId(page, off));
                if (!(s->flags & HNSW_SLOT_DELETED) || (s->flags & HNSW_SLOT_FREE))
                    continue;
                if (!st) {
                    st = GenericXLogStart(index);
                    gp = GenericXLogRegisterBuffer(st, buf, 0);
                }
                HnswElementSlot* g = (HnswElementSlot*) PageGetItem(gp, PageGetItemId(gp, off));
                g->flags = HNSW_SLOT_FREE;
                g->count0 = 0;
                any = true;
            }
            if (st)
                GenericXLogFinish(st);
        }
        UnlockReleaseBuffer(buf);
        if (!any)
            continue;
        LockBuffer(mbuf, BUFFER_LOCK_EXCLUSIVE);
        HnswMetaPageData* meta = HnswPageGetMeta(BufferGetPage(mbuf));
        bool listed = false;
        for (uint32 i = 0; i < meta->nfree_blocks; i++)
            listed |= meta->free_blocks[i] == b;
        bool overflow = !listed && meta->nfree_blocks >= HNSW_MAX_FREE_BLOCKS;
        if (!listed && (!overflow || meta->free_cursor == InvalidBlockNumber || meta->free_cursor > b)) {
            GenericXLogState* st = GenericXLogStart(index);
            meta = HnswPageGetMeta(GenericXLogRegisterBuffer(st, mbuf, 0));
            if (overflow)
                meta->free_cursor = b; /* inserts scan on from here */
            else
                meta->free_blocks[meta->nfree_blocks++] = b;
            GenericXLogFinish(st);
        }
        LockBuffer(mbuf, BUFFER_LOCK_UNLOCK);
    }
    ReleaseBuffer(mbuf);
}

}  // namespace vx::pg::hnsw

using namespace vx::pg::hnsw;

// Pass 2c alone, under the update lock (VACUUM with nothing to delete).
static void reconnect_index(Relation index) {
    MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "hnsw vacuum", ALLOCSET_DEFAULT_SIZES);
    MemoryContext old = MemoryContextSwitchTo(cxt);
    LockPage(index, HNSW_UPDATE_LOCK, ExclusiveLock);
    VacuumState* vs = (VacuumState*) palloc0(sizeof(VacuumState));
    read_meta(index, &vs->mi);
    vs->nblocks = RelationGetNumberOfBlocks(index);
    size_t bytes = (size_t) vs->nblocks * vs->mi.per_page / 8 + 1;
    vs->deleted = (uint8*) MemoryContextAllocHuge(cxt, bytes);
    memset(vs->deleted, 0, bytes);
    PageReader* r = (PageReader*) palloc0(sizeof(PageReader));
    r->init(index, vs->mi);
    VX_GUARD({ reconnect(*r, vs); });
    r->release_all();
    UnlockPage(index, HNSW_UPDATE_LOCK, ExclusiveLock);
    MemoryContextSwitchTo(old);
    MemoryContextDelete(cxt);
}

// Marks dead elements, repairs the graph around them and frees their slots.
IndexBulkDeleteResult* hnswbulkdelete(IndexVacuumInfo* info, IndexBulkDeleteResult* stats,
                                      IndexBulkDeleteCallback callback, void* callback_state) {
    Relation index = info->index;
    if (stats == NULL)
        stats = (IndexBulkDeleteResult*) palloc0(sizeof(IndexBulkDeleteResult));
    MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "hnsw vacuum", ALLOCSET_DEFAULT_SIZES);
    MemoryContext old = MemoryContextSwitchTo(cxt);
    VacuumState* vs = (VacuumState*) palloc0(sizeof(VacuumState));
    read_meta(index, &vs->mi);
    vs->nblocks = RelationGetNumberOfBlocks(index);
    size_t bytes = (size_t) vs->nblocks * vs->mi.per_page / 8 + 1;
    vs->deleted = (uint8*) MemoryContextAllocHuge(cxt, bytes);
    memset(vs->deleted, 0, bytes);
    vs->best = HNSW_NO_ELEMENT;
    vs->best_level = -1;
    stats->num_index_tuples = 0;
    mark_dead(index, vs, callback, callback_state, stats, info->strategy);
    if (vs->ndeleted > 0) {
        LockPage(index, HNSW_UPDATE_LOCK, ExclusiveLock);
        cover_new_pages(index, vs);
        fix_entry_point(index, vs);
        PageReader* r = (PageReader*) palloc0(sizeof(PageReader));
        r->init(index, vs->mi);
        VX_GUARD({
            repair_lists(*r, vs);
            reconnect(*r, vs);
        });
        r->release_all();
        free_deleted(index, vs, info->strategy);
        UnlockPage(index, HNSW_UPDATE_LOCK, ExclusiveLock);
    }
    stats->num_pages = RelationGetNumberOfBlocks(index);
    MemoryContextSwitchTo(old);
    MemoryContextDelete(cxt);
    return stats;
}

// Statistics; the work is done in bulkdelete.
IndexBulkDeleteResult* hnswvacuumcleanup(IndexVacuumInfo* info, IndexBulkDeleteResult* stats) {
    if (info->analyze_only)
        return stats;
    if (stats == NULL) {
        /* No bulkdelete ran (nothing dead): links the elements that inserts
         * left unreachable, if any. */
        reconnect_index(info->index);
        stats = (IndexBulkDeleteResult*) palloc0(sizeof(IndexBulkDeleteResult));
        stats->num_index_tuples = info->num_heap_tuples;
        stats->estimated_count = info->estimated_count;
    }
    stats->num_pages = RelationGetNumberOfBlocks(info->index);
    return stats;
}
