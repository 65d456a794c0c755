// hnsw VACUUM.
//
// ambulkdelete, in three passes over the element pages:
//   1. mark: slots whose heap TID the callback reports dead get the DELETED
//      flag (they stay graph nodes, so concurrent searches still pass through
//      them, but scans no longer return them);
//   2. repair, under the update lock held exclusively (no insert runs):
//      first every live element is made reachable on layer 0 from the next
//      entry point through live elements alone (a flood fill; an element
//      nothing reaches is linked from its nearest reached element); then the
//      entry point moves when the old one is deleted (to the live element of
//      highest level); every live element whose list points at a deleted one
//      gets its list re-chosen with the heuristic among its live neighbours
//      and the neighbours of its deleted ones, a live neighbour it drops kept
//      reached (keep_reached); a last flood fill checks, so a full iterative
//      scan returns every row at every point of the pass;
//   3. free: deleted slots become FREE and their pages go into the metapage's
//      free-page list, so inserts reuse them and churn does not grow the index.
// Content locks are exclusive (not cleanup) locks: scans read TIDs when they
// return a row, under a share lock, and skip DELETED/FREE slots.
// Cancel: passes 1 and 3 call vacuum_delay_point per page; the C++ passes 2b
// and 2c call it per element through pg_guarded (a cancel comes back as a C++
// exception, unwinds, and is raised at VX_GUARD), so a cancel lands within
// one element's repair. Every list change is one WAL record and keeps every
// live element reached, so a cancelled (or crashed) VACUUM leaves a graph
// that scans cover and the next VACUUM finishes.
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

// Cancel and cost-based delay from the C++ passes (see the file comment).
static inline void delay_point() {
    pg_guarded([] { vacuum_delay_point(); });
}

// A live neighbour a repaired layer-0 list drops keeps an in-link: a member
// of the new list links it (appended first, its own WAL record), else the
// list keeps it; when that overflows, the list only loses its deleted
// neighbours, which no live path needs after pass 2a' (see hnswbulkdelete).
static void keep_reached(PageReader& r, const VacuumState* vs, const uint32* list, uint32 n,
                         const std::vector<uint32>& out, std::vector<uint32>& next) {
    for (uint32 j = 0; j < n; j++) {
        uint32 x = list[j];
        if (is_deleted(vs, x) || std::find(out.begin(), out.end(), x) != out.end())
            continue;
        bool adopted = false;
        for (size_t k = 0; k < out.size() && !adopted; k++)
            adopted = append_link(r, out[k], 0, x);
        if (!adopted)
            next.push_back(x);
    }
    if (next.size() > max_degree(r.mi, 0)) {
        next.clear();
        for (uint32 j = 0; j < n; j++)
            if (!is_deleted(vs, list[j]))
                next.push_back(list[j]);
    }
}

// Pass 2b: lists of live elements lose their deleted neighbours (C++, in VX_GUARD).
static void repair_lists(PageReader& r, const VacuumState* vs) {
    const HnswMetaInfo& mi = r.mi;
    std::vector<uint32> list(2 * mi.m + 1), sub(2 * mi.m + 1), cand, out, next;
    std::vector<float> out_dist;
    std::vector<uint8> base(mi.code_size);
    SelectScratch ss;
    for (BlockNumber b = 1; b < vs->nblocks; b++) {
        for (uint32 o = 0; o < mi.per_page; o++) {
            uint32 id = b * mi.per_page + o;
            delay_point();
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
                next.assign(out.begin(), out.end());
                if (l == 0)
                    keep_reached(r, vs, list.data(), n, out, next);
                replace_list(r, id, l, list.data(), n, next.data(), uint32(next.size()));
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
        for (uint64 steps = 1; !stack.empty(); steps++) {
            if (steps % 1024 == 0)
                delay_point();
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
// to a list with room, else in place of a neighbour the orphan links.
static void link_orphan(PageReader& r, Reach& reach, uint32 id, const uint8* code, uint32 from) {
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
        near.push_back({0.0f, from});
    std::sort(near.begin(), near.end());
    for (const auto& e : near)
        if (append_link(r, e.id, 0, id))
            return;
    /* Every candidate is full: the nearest one that can drops a neighbour
     * the orphan (reached now) links in its place. */
    for (const auto& e : near)
        if (displace_farthest(r, e.id, 0, id) != HNSW_NO_ELEMENT)
            return;
}

// Passes 2a' and 2c: every live element reachable on layer 0 from `from`
// (a live element) through live elements only (C++).
static void reconnect(PageReader& r, const VacuumState* vs, uint32 from) {
    const HnswMetaInfo& mi = r.mi;
    if (from == HNSW_NO_ELEMENT)
        return;
    std::vector<uint8> code(mi.code_size);
    /* A replaced neighbour may lose its last in-link: a few rounds settle it. */
    for (int round = 0; round < 4; round++) {
        Reach reach(r, vs);
        reach.flood(from);
        uint64 linked = 0;
        for (BlockNumber b = 1; b < vs->nblocks; b++) {
            for (uint32 o = 0; o < mi.per_page; o++) {
                uint32 id = b * mi.per_page + o;
                if (reach.has(id) || is_deleted(vs, id))
                    continue;
                if (r.copy_code(id, code.data()) & (HNSW_SLOT_DELETED | HNSW_SLOT_FREE))
                    continue;
                delay_point();
                link_orphan(r, reach, id, code.data(), from);
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
    VX_GUARD({ reconnect(*r, vs, r->mi.entry_point); });
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
        read_meta(index, &vs->mi);
        PageReader* r = (PageReader*) palloc0(sizeof(PageReader));
        r->init(index, vs->mi);
        /* 2a': before any link is removed, everything is linked to be reached
         * from the next entry point through live elements alone; then no
         * crash or cancel point of 2b leaves a live element unreached. */
        uint32 next_ep = vs->mi.entry_point != HNSW_NO_ELEMENT && is_deleted(vs, vs->mi.entry_point)
                             ? (vs->best_level >= 0 ? vs->best : HNSW_NO_ELEMENT)
                             : vs->mi.entry_point;
        VX_GUARD({ reconnect(*r, vs, next_ep); });
        fix_entry_point(index, vs);
        r->mi = vs->mi;
        VX_GUARD({
            repair_lists(*r, vs);
            reconnect(*r, vs, r->mi.entry_point);
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
