// hnsw aminsert: one element into a built index.
//
// Steps: (1) draw the element's level; (2) under the index-wide update lock
// (LockPage on HNSW_UPDATE_LOCK: share normally, exclusive when the new
// element may become the entry point, or the index is empty) search the graph
// on pages from the entry point with ef_construction and choose neighbours per
// layer with the core heuristic; (3) allocate a slot (a free slot left by
// VACUUM, else the last element page, else a new page) under the metapage's
// exclusive lock and write the element, its upper tuple and the metapage in
// one GenericXLog record; (4) add back links one neighbour page at a time
// (exclusive content lock on that page only; a full list is re-chosen with
// the heuristic outside the lock and written only if it did not change
// meanwhile, else re-read and re-chosen).
//
// Reachability: scans start layer 0 from the entry point, so every element
// must stay reachable from it, at every WAL record (a crash may stop an
// insert anywhere; a committed row's insert has finished). A list drops a
// live neighbour only after the new element, which the list keeps, links it
// (its own earlier record); a new element no list took displaces a
// neighbour of its nearest that it links; a new entry point links the old
// one. VACUUM's repair (vacuum.cpp) re-links what its list changes cut off.
//
// Locking: content locks are taken one page at a time, except in (3), in the
// order metapage -> element page -> upper page; nothing else locks the
// metapage while holding another page, so there is no deadlock. Scans take no
// heavyweight lock. VACUUM's repair takes the update lock exclusively, so it
// never runs alongside inserts.
//
// C++ / PostgreSQL: (2) and (4) run C++ (core templates, std::vector) inside
// VX_GUARD, with every PostgreSQL call through pg_guarded (STYLE 4, way (b));
// (3) is plain C-style code.
#include "pg/hnsw/hnsw.h"

extern "C" {
#include "access/generic_xlog.h"
#include "common/pg_prng.h"
#include "storage/bufmgr.h"
#include "storage/lmgr.h"
#include "utils/memutils.h"
#include "utils/rel.h"
}

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/hnsw/graph.h"
#include "pg/common/error_bridge.h"
#include "pg/common/pg_guard.h"
#include "pg/hnsw/links.h"

namespace vx::pg::hnsw {

using vx::hnsw::Neighbor;

/* Neighbour lists chosen for a new element (POD, palloc'd). */
struct InsertPlan {
    int level;
    uint32 owner; /* random seed for the order of duplicates */
    uint32 count[vx::hnsw::kMaxLevel + 1];
    uint32* ids[vx::hnsw::kMaxLevel + 1];
};

// A random level, floor(-ln(u) / ln(m)), capped so the upper tuple fits a page.
static int random_level(int m) {
    double u = 1.0 - pg_prng_double(&pg_global_prng_state); /* (0, 1] */
    int level = (int) std::floor(-std::log(u) / std::log((double) m));
    level = Min(level, vx::hnsw::kMaxLevel);
    while (level > 0 && MAXALIGN(HnswUpperSize(m, level)) + sizeof(ItemIdData) > HNSW_PAGE_SPACE)
        level--;
    return level;
}

// Search from the entry point and neighbour choice per layer (C++); value is
// the new element's full value, so a quantized index searches with the exact
// query against codes.
static void plan_links(PageReader& r, const uint8* value, InsertPlan* plan) {
    const HnswMetaInfo& mi = r.mi;
    vx::hnsw::SearchScratch s;
    s.reserve(mi.ef_construction, 2 * mi.m);
    GrowingVisited visited;
    visited.v.resize(size_t(r.npins) * mi.per_page);
    PageNbrs nbrs{&r};
    vx::quant::PreparedQuery pq;
    PageDist dist = value_dist(r, value, &pq);
    uint32 ep = mi.entry_point;
    Neighbor cur{dist(ep), ep};
    for (int l = mi.max_level; l > plan->level; l--)
        cur = vx::hnsw::greedy_closest(nbrs, dist, l, cur, s);
    std::vector<Neighbor> found(1, cur);
    std::vector<uint32> cand, out;
    std::vector<float> out_dist;
    SelectScratch ss;
    for (int l = Min(plan->level, mi.max_level); l >= 0; l--) {
        visited.clear();
        PageNbrs nbrs_l{&r, &visited};
        vx::hnsw::search_layer(nbrs_l, dist, visited, l, size_t(mi.ef_construction), found.data(),
                               found.size(), s);
        found.assign(s.results.begin(), s.results.end());
        cand.clear();
        for (const Neighbor& n : found)
            cand.push_back(n.id);
        select_for_value(r, value, HNSW_NO_ELEMENT, plan->owner, cand, max_degree(mi, l), ss, out, out_dist);
        plan->count[l] = uint32(out.size());
        memcpy(plan->ids[l], out.data(), out.size() * sizeof(uint32));
    }
}

/* Buffers for link_from. */
struct LinkScratch {
    std::vector<uint32> cur, cand, out, next;
    std::vector<float> out_dist;
    std::vector<uint8> base, other;
    SelectScratch ss;
};

enum class Linked { yes, no, raced };

// Links `to` into nb's list on a layer (C++). A full list is re-chosen with
// the heuristic; a neighbour it drops must keep an in-link (a deleted one
// too, until VACUUM frees it: live ones may be reached through it), so `to`
// (which the list keeps: reached wherever nb is) links it first, in a WAL
// record of its own that replay applies before the replacement, and on
// layer 0 one that `to` has no room for stays in the list (the list is left
// as it was when they do not all fit). `raced` when a concurrent insert
// changed the list between reading and writing it.
static Linked link_from(PageReader& r, uint32 nb, int l, uint32 to, LinkScratch& w) {
    uint32 cap = max_degree(r.mi, l);
    if (append_link(r, nb, l, to))
        return Linked::yes;
    uint32 n = r.neighbors(nb, l, w.cur.data());
    w.cand.assign(w.cur.begin(), w.cur.begin() + n);
    w.cand.push_back(to);
    r.copy_code(nb, w.base.data());
    select_for(r, w.base.data(), nb, nb, w.cand, cap, w.ss, w.out, w.out_dist);
    if (std::find(w.out.begin(), w.out.end(), to) == w.out.end())
        return Linked::no;
    w.next = w.out;
    for (uint32 q = 0; q < n; q++) {
        uint32 x = w.cur[q];
        if (x == to || std::find(w.out.begin(), w.out.end(), x) != w.out.end())
            continue;
        if (r.copy_code(x, w.other.data()) & HNSW_SLOT_FREE)
            continue; /* a stale reference: VACUUM's repair drops it */
        if (!append_link(r, to, l, x) && l == 0)
            w.next.push_back(x);
    }
    if (w.next.size() > cap)
        return Linked::no;
    return replace_list(r, nb, l, w.cur.data(), n, w.next.data(), uint32(w.next.size())) ? Linked::yes : Linked::raced;
}

// Links `to` from each chosen neighbour (C++). Concurrent inserts change the
// same lists, so a raced attempt is repeated: giving up could leave the new
// element with no in-link at all.
static void add_back_links(PageReader& r, uint32 to, const InsertPlan* plan) {
    LinkScratch w;
    w.cur.resize(2 * r.mi.m + 1);
    w.base.resize(r.mi.code_size);
    w.other.resize(r.mi.code_size);
    bool linked0 = false; /* some layer-0 list holds the new element */
    for (int l = Min(plan->level, r.mi.max_level); l >= 0; l--) {
        for (uint32 j = 0; j < plan->count[l]; j++) {
            Linked res = Linked::raced;
            for (int attempt = 0; attempt < 8 && res == Linked::raced; attempt++)
                res = link_from(r, plan->ids[l][j], l, to, w);
            linked0 |= l == 0 && res == Linked::yes;
        }
    }
    /* No neighbour took it: nothing would reach the new element. The nearest
     * neighbour that can takes it in place of a neighbour the new element links. */
    for (int attempt = 0; attempt < 8 && !linked0; attempt++)
        for (uint32 j = 0; !linked0 && j < plan->count[0]; j++)
            linked0 = displace_farthest(r, plan->ids[0][j], 0, to) != HNSW_NO_ELEMENT;
}

// A new entry point links the old one on layer 0 (in place of its farthest
// neighbour when full): scans start layer 0 from the entry point too, and
// everything reached from the old one stays reached.
static void keep_old_entry(const HnswMetaInfo& mi, InsertPlan* plan) {
    uint32 ep = mi.entry_point;
    for (uint32 j = 0; j < plan->count[0]; j++)
        if (plan->ids[0][j] == ep)
            return;
    if (plan->count[0] < max_degree(mi, 0))
        plan->count[0]++;
    plan->ids[0][plan->count[0] - 1] = ep; /* the list is nearest first */
}

// A new page at the end of the index, exclusively locked.
static Buffer extend_index(Relation index) {
    LockRelationForExtension(index, ExclusiveLock);
    Buffer buf = ReadBufferExtended(index, MAIN_FORKNUM, P_NEW, RBM_NORMAL, NULL);
    UnlockRelationForExtension(index, ExclusiveLock);
    LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
    return buf;
}

// First free slot of a locked element page, or InvalidOffsetNumber.
static OffsetNumber find_free_slot(Page page) {
    if (vx::pg::page_type(page, HNSW_PAGE_KIND) != HNSW_PAGE_ELEMENT) /* also a corrupt header */
        return InvalidOffsetNumber;
    OffsetNumber max = PageGetMaxOffsetNumber(page);
    for (OffsetNumber off = FirstOffsetNumber; off <= max; off++) {
        HnswElementSlot* s = (HnswElementSlot*) PageGetItem(page, PageGetItemId(page, off));
        if (s->flags & HNSW_SLOT_FREE)
            return off;
    }
    return InvalidOffsetNumber;
}

// Allocates a slot, writes element, upper tuple and metapage in one WAL record; returns the id.
static uint32 write_element(Relation index, const HnswMetaInfo& mi, const InsertPlan* plan,
                            const uint8* code, ItemPointer heaptid) {
    Buffer mbuf = ReadBuffer(index, HNSW_METAPAGE_BLKNO);
    LockBuffer(mbuf, BUFFER_LOCK_EXCLUSIVE);
    GenericXLogState* st = GenericXLogStart(index);
    HnswMetaPageData* meta = HnswPageGetMeta(GenericXLogRegisterBuffer(st, mbuf, 0));

    /* Element slot: a free one, room on the last element page, or a new page. */
    Buffer ebuf = InvalidBuffer;
    OffsetNumber off = InvalidOffsetNumber;
    bool new_page = false;
    while (meta->nfree_blocks > 0) {
        ebuf = ReadBuffer(index, meta->free_blocks[meta->nfree_blocks - 1]);
        LockBuffer(ebuf, BUFFER_LOCK_EXCLUSIVE);
        off = find_free_slot(BufferGetPage(ebuf));
        if (off != InvalidOffsetNumber)
            break;
        UnlockReleaseBuffer(ebuf);
        ebuf = InvalidBuffer;
        meta->nfree_blocks--;
    }
    /* The free-page list overflowed at VACUUM: scan on from the cursor, a window at a time. */
    if (!BufferIsValid(ebuf) && meta->free_cursor != InvalidBlockNumber) {
        BlockNumber nblocks = RelationGetNumberOfBlocks(index);
        BlockNumber b = meta->free_cursor;
        for (; b < nblocks && b < meta->free_cursor + 64; b++) {
            ebuf = ReadBuffer(index, b);
            LockBuffer(ebuf, BUFFER_LOCK_EXCLUSIVE);
            off = find_free_slot(BufferGetPage(ebuf));
            if (off != InvalidOffsetNumber)
                break;
            UnlockReleaseBuffer(ebuf);
            ebuf = InvalidBuffer;
        }
        meta->free_cursor = b < nblocks ? b : InvalidBlockNumber;
    }
    if (!BufferIsValid(ebuf) && meta->last_element_block != InvalidBlockNumber) {
        ebuf = ReadBuffer(index, meta->last_element_block);
        LockBuffer(ebuf, BUFFER_LOCK_EXCLUSIVE);
        if (PageGetMaxOffsetNumber(BufferGetPage(ebuf)) >= mi.per_page) {
            UnlockReleaseBuffer(ebuf);
            ebuf = InvalidBuffer;
        }
    }
    if (!BufferIsValid(ebuf)) {
        ebuf = extend_index(index);
        new_page = true;
        meta->last_element_block = BufferGetBlockNumber(ebuf);
    }
    BlockNumber eblk = BufferGetBlockNumber(ebuf);
    if ((uint64) (eblk + 1) * mi.per_page >= (uint64) HNSW_NO_ELEMENT)
        ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED), errmsg("hnsw index is too large")));
    Page epage = GenericXLogRegisterBuffer(st, ebuf, new_page ? GENERIC_XLOG_FULL_IMAGE : 0);
    if (new_page)
        init_page(epage, HNSW_PAGE_ELEMENT);

    HnswElementSlot* slot;
    bool reused = off != InvalidOffsetNumber;
    if (reused) {
        slot = (HnswElementSlot*) PageGetItem(epage, PageGetItemId(epage, off));
    } else {
        slot = (HnswElementSlot*) palloc0(mi.slot_size);
    }
    BlockNumber old_ublk = reused ? slot->upper_blk : InvalidBlockNumber;
    OffsetNumber old_uoff = reused ? slot->upper_off : InvalidOffsetNumber;
    int old_level = reused ? slot->level : 0;

    /* Upper tuple: reuse the old one when big enough, else append. */
    Buffer ubuf = InvalidBuffer;
    BlockNumber ublk = InvalidBlockNumber;
    OffsetNumber uoff = InvalidOffsetNumber;
    if (plan->level > 0) {
        uint32 usz = HnswUpperSize(mi.m, plan->level);
        HnswUpperTuple* ut = (HnswUpperTuple*) palloc0(usz);
        Page upage;
        if (old_level >= plan->level && old_ublk != InvalidBlockNumber) {
            ubuf = ReadBuffer(index, old_ublk);
            LockBuffer(ubuf, BUFFER_LOCK_EXCLUSIVE);
            upage = GenericXLogRegisterBuffer(st, ubuf, 0);
            ublk = old_ublk;
            uoff = old_uoff;
        } else {
            bool fresh = false;
            if (meta->last_upper_block != InvalidBlockNumber) {
                ubuf = ReadBuffer(index, meta->last_upper_block);
                LockBuffer(ubuf, BUFFER_LOCK_EXCLUSIVE);
                if (PageGetFreeSpace(BufferGetPage(ubuf)) < MAXALIGN(usz)) {
                    UnlockReleaseBuffer(ubuf);
                    ubuf = InvalidBuffer;
                }
            }
            if (!BufferIsValid(ubuf)) {
                ubuf = extend_index(index);
                fresh = true;
                meta->last_upper_block = BufferGetBlockNumber(ubuf);
            }
            upage = GenericXLogRegisterBuffer(st, ubuf, fresh ? GENERIC_XLOG_FULL_IMAGE : 0);
            if (fresh)
                init_page(upage, HNSW_PAGE_UPPER);
            ublk = BufferGetBlockNumber(ubuf);
        }
        ut->owner = eblk * mi.per_page + ((reused ? off : PageGetMaxOffsetNumber(epage) + 1) - 1);
        ut->level = (uint8) plan->level;
        for (int l = 1; l <= plan->level; l++) {
            uint32* list = HnswUpperList(ut, mi.m, l);
            list[0] = plan->count[l];
            memcpy(list + 1, plan->ids[l], plan->count[l] * sizeof(uint32));
        }
        if (uoff != InvalidOffsetNumber) {
            HnswUpperTuple* old = (HnswUpperTuple*) PageGetItem(upage, PageGetItemId(upage, uoff));
            memcpy(old, ut, usz);
        } else {
            uoff = PageAddItem(upage, (Item) ut, usz, InvalidOffsetNumber, false, false);
            if (uoff == InvalidOffsetNumber)
                elog(ERROR, "hnsw: failed to add upper tuple to \"%s\"", RelationGetRelationName(index));
        }
    }

    /* The element slot itself. */
    HnswElementSlot fresh;
    memset(&fresh, 0, sizeof(fresh));
    fresh.heaptid = *heaptid;
    fresh.level = (uint8) plan->level;
    fresh.count0 = (uint16) plan->count[0];
    fresh.upper_blk = plan->level > 0 ? ublk : (reused ? old_ublk : InvalidBlockNumber);
    fresh.upper_off = plan->level > 0 ? uoff : (reused ? old_uoff : InvalidOffsetNumber);
    if (plan->level == 0 && reused)
        fresh.level = 0; /* keeps the old upper tuple for a later reuse; level says it is unused */
    memcpy(slot, &fresh, sizeof(fresh));
    memset(HnswSlotNbrs(slot), 0, sizeof(uint32) * 2 * mi.m);
    memcpy(HnswSlotNbrs(slot), plan->ids[0], plan->count[0] * sizeof(uint32));
    memcpy(HnswSlotCode(slot, mi.m), code, mi.code_size);
    if (!reused) {
        off = PageAddItem(epage, (Item) slot, mi.slot_size, InvalidOffsetNumber, false, false);
        if (off == InvalidOffsetNumber)
            elog(ERROR, "hnsw: failed to add element to \"%s\"", RelationGetRelationName(index));
    }
    uint32 id = eblk * mi.per_page + (off - 1);
    if (meta->entry_point == HNSW_NO_ELEMENT || plan->level > meta->max_level) {
        meta->entry_point = id;
        meta->max_level = plan->level;
    }
    meta->inserted++;
    GenericXLogFinish(st);
    if (BufferIsValid(ubuf))
        UnlockReleaseBuffer(ubuf);
    UnlockReleaseBuffer(ebuf);
    UnlockReleaseBuffer(mbuf);
    return id;
}

// Inserts one value (also used by a build that ran out of maintenance_work_mem).
void insert_value(Relation index, Datum value, ItemPointer heaptid) {
    HnswMetaInfo mi;
    read_meta(index, &mi);
    uint8* val = (uint8*) palloc(mi.value_size);
    if (!value_to_code(mi.kind, mi.dims, value, val))
        return;
    InsertPlan* plan = (InsertPlan*) palloc0(sizeof(InsertPlan));
    plan->level = random_level(mi.m);
    plan->owner = pg_prng_uint32(&pg_global_prng_state);
    for (int l = 0; l <= plan->level; l++)
        plan->ids[l] = (uint32*) palloc0(sizeof(uint32) * max_degree(mi, l));

    LOCKMODE mode = ShareLock;
    LockPage(index, HNSW_UPDATE_LOCK, mode);
    read_meta(index, &mi);
    if (mi.entry_point == HNSW_NO_ELEMENT || plan->level > mi.max_level) {
        UnlockPage(index, HNSW_UPDATE_LOCK, mode);
        mode = ExclusiveLock;
        LockPage(index, HNSW_UPDATE_LOCK, mode);
        read_meta(index, &mi);
    }
    PageReader* r = (PageReader*) palloc0(sizeof(PageReader));
    r->init(index, mi);
    uint8* code = val;
    if (r->quant) {
        code = (uint8*) palloc0(mi.code_size);
        const vx::quant::Quantizer* q = r->quant;
        VX_GUARD({ q->encode((const float*) val, code); });
    }
    if (mi.entry_point != HNSW_NO_ELEMENT)
        VX_GUARD({ plan_links(*r, val, plan); });
    if (mi.entry_point != HNSW_NO_ELEMENT && plan->level > mi.max_level)
        keep_old_entry(mi, plan);
    r->release_all();
    uint32 id = write_element(index, mi, plan, code, heaptid);
    if (mi.entry_point != HNSW_NO_ELEMENT)
        VX_GUARD({ add_back_links(*r, id, plan); });
    r->release_all();
    UnlockPage(index, HNSW_UPDATE_LOCK, mode);
}

}  // namespace vx::pg::hnsw

// aminsert: NULLs are not indexed.
bool hnswinsert(Relation index, Datum* values, bool* isnull, ItemPointer heap_tid, Relation heap,
                IndexUniqueCheck checkUnique, bool indexUnchanged, IndexInfo* indexInfo) {
    (void) heap;
    (void) checkUnique;
    (void) indexUnchanged;
    (void) indexInfo;
    if (isnull[0])
        return false;
    MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "hnsw insert", ALLOCSET_DEFAULT_SIZES);
    MemoryContext old = MemoryContextSwitchTo(cxt);
    vx::pg::hnsw::insert_value(index, values[0], heap_tid);
    MemoryContextSwitchTo(old);
    MemoryContextDelete(cxt);
    return false;
}
