// hnsw part of vector_ext_index_check: every page and tuple against the
// layout of page.h. Two passes over the blocks: the first checks page headers,
// item sizes and positions and records the state and level of every element
// id; the second checks that every list of a live or deleted element points
// at elements that exist (live, or deleted and not yet freed by VACUUM) of a
// high enough level, and that upper tuples belong to their elements. Then the
// metapage's entry point and free-page list. Errors name block and offset.
//
// Plain C-style code (no C++ objects alive): ereport may longjmp anywhere.
#include "pg/hnsw/hnsw.h"

extern "C" {
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "utils/memutils.h"
#include "utils/rel.h"
}

#include "core/hnsw/graph.h"
#include "pg/common/index_access.h"

namespace vx::pg::hnsw {

/* Element states recorded by the first pass. */
enum : uint8 { kNone = 0, kLive, kDeleted, kFree };

struct CheckState {
    Relation index;
    HnswMetaInfo mi;
    HnswMetaPageData meta;
    BlockNumber nblocks;
    uint8* state; /* per id */
    uint8* level; /* per id */
    uint8* kind;  /* per block: page type, 0 for new pages */
    BufferAccessStrategy strategy;
};

#define CORRUPT(cs, blk, off, ...)                                                                     \
    ereport(ERROR, (errcode(ERRCODE_INDEX_CORRUPTED),                                                 \
                    errmsg("hnsw index \"%s\" is corrupt at block %u, offset %u", RelationGetRelationName((cs)->index), \
                           (unsigned) (blk), (unsigned) (off)),                                        \
                    errdetail(__VA_ARGS__), errhint("REINDEX INDEX %s;", RelationGetRelationName((cs)->index))))

// The metapage: ours, our version, sizes that agree with each other.
static void check_metapage(CheckState* cs) {
    Buffer buf = ReadBufferExtended(cs->index, MAIN_FORKNUM, HNSW_METAPAGE_BLKNO, RBM_NORMAL, cs->strategy);
    LockBuffer(buf, BUFFER_LOCK_SHARE);
    Page page = BufferGetPage(buf);
    if (PageIsNew(page) || PageGetSpecialSize(page) != MAXALIGN(sizeof(HnswPageOpaque)) ||
        HnswPageGetOpaque(page)->page_type != HNSW_PAGE_META)
        CORRUPT(cs, 0, 0, "The metapage is not an hnsw metapage.");
    memcpy(&cs->meta, HnswPageGetMeta(page), sizeof(HnswMetaPageData));
    UnlockReleaseBuffer(buf);
    HnswMetaPageData* m = &cs->meta;
    check_meta(cs->index, m);
    /* check_meta checked the sizes, levels and the free-page count. */
    meta_to_info(m, &cs->mi);
    if (m->quant_block >= cs->nblocks)
        CORRUPT(cs, 0, 0, "The quantizer pages start at block %u, beyond the end.", m->quant_block);
    /* Trained parameters: checksum, encoding and dimensions (errors otherwise). */
    (void) load_quantizer(cs->index, cs->mi);
}

// Pass 1 over one page: header, items, element states.
static void scan_page(CheckState* cs, BlockNumber b, Page page) {
    const HnswMetaInfo& mi = cs->mi;
    if (PageIsNew(page)) /* extended, then a crash before its WAL record: unused */
        return;
    PageHeader ph = (PageHeader) page;
    if (PageGetSpecialSize(page) != MAXALIGN(sizeof(HnswPageOpaque)) || ph->pd_lower < SizeOfPageHeaderData ||
        ph->pd_lower > ph->pd_upper || ph->pd_upper > ph->pd_special)
        CORRUPT(cs, b, 0, "The page header is invalid (lower %u, upper %u, special %u).", ph->pd_lower,
                ph->pd_upper, ph->pd_special);
    HnswPageOpaque* o = HnswPageGetOpaque(page);
    if (o->page_id != HNSW_PAGE_ID ||
        (o->page_type != HNSW_PAGE_ELEMENT && o->page_type != HNSW_PAGE_UPPER && o->page_type != HNSW_PAGE_QUANT))
        CORRUPT(cs, b, 0, "Page type %u is not an element, upper or quantizer page.", o->page_type);
    cs->kind[b] = (uint8) o->page_type;
    if (o->page_type == HNSW_PAGE_QUANT)
        return; /* raw bytes, checked as a whole by load_quantizer */
    OffsetNumber max = PageGetMaxOffsetNumber(page);
    for (OffsetNumber off = FirstOffsetNumber; off <= max; off++) {
        ItemId iid = PageGetItemId(page, off);
        if (!ItemIdIsNormal(iid))
            CORRUPT(cs, b, off, "The line pointer is not in use.");
        if (ItemIdGetOffset(iid) + ItemIdGetLength(iid) > ph->pd_special || ItemIdGetOffset(iid) < ph->pd_upper)
            CORRUPT(cs, b, off, "The item (offset %u, length %u) is outside the page's item space.",
                    ItemIdGetOffset(iid), ItemIdGetLength(iid));
        if (o->page_type == HNSW_PAGE_UPPER) {
            HnswUpperTuple* t = (HnswUpperTuple*) PageGetItem(page, iid);
            if (ItemIdGetLength(iid) < sizeof(HnswUpperTuple) || t->level < 1 || t->level > vx::hnsw::kMaxLevel ||
                ItemIdGetLength(iid) < HnswUpperSize(mi.m, t->level)) /* reused by a lower level: larger */
                CORRUPT(cs, b, off, "Upper tuple of length %u is too short for level %u.", ItemIdGetLength(iid),
                        t->level);
            continue;
        }
        if (max > mi.per_page)
            CORRUPT(cs, b, 0, "The element page has %u slots; at most %u fit.", max, mi.per_page);
        if (ItemIdGetLength(iid) != mi.slot_size ||
            ItemIdGetOffset(iid) != BLCKSZ - MAXALIGN(sizeof(HnswPageOpaque)) - (size_t) off * MAXALIGN(mi.slot_size))
            CORRUPT(cs, b, off, "The element slot has length %u at %u; expected %u at %u.", ItemIdGetLength(iid),
                    ItemIdGetOffset(iid), mi.slot_size,
                    (unsigned) (BLCKSZ - MAXALIGN(sizeof(HnswPageOpaque)) - (size_t) off * MAXALIGN(mi.slot_size)));
        HnswElementSlot* s = (HnswElementSlot*) PageGetItem(page, iid);
        uint32 id = make_id(mi, b, off);
        if (s->flags & ~(HNSW_SLOT_DELETED | HNSW_SLOT_FREE))
            CORRUPT(cs, b, off, "Unknown slot flags 0x%x.", s->flags);
        if (s->flags & HNSW_SLOT_FREE) {
            cs->state[id] = kFree;
            continue;
        }
        if (s->level > vx::hnsw::kMaxLevel || s->count0 > 2 * mi.m)
            CORRUPT(cs, b, off, "Level %u or %u layer-0 neighbours are out of range.", s->level, s->count0);
        if (!ItemPointerIsValid(&s->heaptid))
            CORRUPT(cs, b, off, "The heap TID is invalid.");
        cs->state[id] = (s->flags & HNSW_SLOT_DELETED) ? kDeleted : kLive;
        cs->level[id] = s->level;
    }
}

// A neighbour id on layer l must be an element (live or deleted) of level >= l.
static void check_ref(CheckState* cs, BlockNumber b, OffsetNumber off, int l, uint32 to) {
    uint64 nids = (uint64) cs->nblocks * cs->mi.per_page;
    if ((uint64) to >= nids || (cs->state[to] != kLive && cs->state[to] != kDeleted))
        CORRUPT(cs, b, off, "Its layer-%d list links to element %u, which %s.", l, to,
                (uint64) to >= nids ? "is beyond the end of the index"
                                    : (cs->state[to] == kFree ? "is a free slot" : "does not exist"));
    if (cs->level[to] < l)
        CORRUPT(cs, b, off, "Its layer-%d list links to element %u of level %u.", l, to, cs->level[to]);
}

// Pass 2 over one element page: every list of a live or deleted element.
static void check_lists(CheckState* cs, BlockNumber b, Page page) {
    const HnswMetaInfo& mi = cs->mi;
    OffsetNumber max = PageGetMaxOffsetNumber(page);
    for (OffsetNumber off = FirstOffsetNumber; off <= max; off++) {
        HnswElementSlot* s = (HnswElementSlot*) PageGetItem(page, PageGetItemId(page, off));
        uint32 id = make_id(mi, b, off);
        if (cs->state[id] != kLive && cs->state[id] != kDeleted)
            continue;
        for (uint32 j = 0; j < s->count0; j++)
            check_ref(cs, b, off, 0, HnswSlotNbrs(s)[j]);
        if (s->level == 0)
            continue;
        BlockNumber ublk = s->upper_blk;
        OffsetNumber uoff = s->upper_off;
        if (ublk >= cs->nblocks || cs->kind[ublk] != HNSW_PAGE_UPPER)
            CORRUPT(cs, b, off, "Its upper tuple's block %u is not an upper page.", ublk);
        Buffer ub = ReadBufferExtended(cs->index, MAIN_FORKNUM, ublk, RBM_NORMAL, cs->strategy);
        LockBuffer(ub, BUFFER_LOCK_SHARE);
        Page up = BufferGetPage(ub);
        if (uoff < FirstOffsetNumber || uoff > PageGetMaxOffsetNumber(up))
            CORRUPT(cs, b, off, "Its upper tuple (%u,%u) does not exist.", ublk, uoff);
        HnswUpperTuple* t = (HnswUpperTuple*) PageGetItem(up, PageGetItemId(up, uoff));
        if (t->owner != id || t->level < s->level)
            CORRUPT(cs, b, off, "Its upper tuple (%u,%u) belongs to element %u of level %u.", ublk, uoff,
                    t->owner, t->level);
        for (int l = 1; l <= s->level; l++) {
            uint32* list = HnswUpperList(t, mi.m, l);
            if (list[0] > (uint32) mi.m)
                CORRUPT(cs, b, off, "Its layer-%d list has %u entries; at most %d fit.", l, list[0], mi.m);
            for (uint32 j = 0; j < list[0]; j++)
                check_ref(cs, b, off, l, list[1 + j]);
        }
        UnlockReleaseBuffer(ub);
    }
}

// Entry point, levels and the metapage's block pointers.
static void check_meta_refs(CheckState* cs) {
    const HnswMetaPageData* m = &cs->meta;
    uint64 nids = (uint64) cs->nblocks * cs->mi.per_page;
    int top = -1;
    for (uint64 id = 0; id < nids; id++)
        if (cs->state[id] == kLive && (int) cs->level[id] > top)
            top = cs->level[id];
    if (m->entry_point != HNSW_NO_ELEMENT) {
        uint32 ep = m->entry_point;
        if ((uint64) ep >= nids || (cs->state[ep] != kLive && cs->state[ep] != kDeleted))
            CORRUPT(cs, 0, 0, "The entry point %u is not an element.", ep);
        if ((int) cs->level[ep] != m->max_level)
            CORRUPT(cs, 0, 0, "The entry point %u has level %u, the metapage says %d.", ep, cs->level[ep],
                    m->max_level);
    }
    if (top > m->max_level)
        CORRUPT(cs, 0, 0, "A live element has level %d, above the entry point's %d.", top, m->max_level);
    if (top >= 0 && m->entry_point == HNSW_NO_ELEMENT)
        CORRUPT(cs, 0, 0, "The index has live elements but no entry point.");
    for (uint32 i = 0; i < m->nfree_blocks; i++)
        if (m->free_blocks[i] >= cs->nblocks || cs->kind[m->free_blocks[i]] != HNSW_PAGE_ELEMENT)
            CORRUPT(cs, 0, 0, "Free-page list entry %u is block %u, not an element page.", i, m->free_blocks[i]);
    if (m->free_cursor != InvalidBlockNumber && m->free_cursor >= cs->nblocks)
        CORRUPT(cs, 0, 0, "The free-slot cursor is block %u, beyond the end.", m->free_cursor);
    if (m->last_element_block != InvalidBlockNumber &&
        (m->last_element_block >= cs->nblocks || cs->kind[m->last_element_block] != HNSW_PAGE_ELEMENT))
        CORRUPT(cs, 0, 0, "The last element page %u is not an element page.", m->last_element_block);
    if (m->last_upper_block != InvalidBlockNumber &&
        (m->last_upper_block >= cs->nblocks || cs->kind[m->last_upper_block] != HNSW_PAGE_UPPER))
        CORRUPT(cs, 0, 0, "The last upper page %u is not an upper page.", m->last_upper_block);
}

// Verifies the index; appends the heap TIDs of live elements.
void check_index(Relation index, vx::pg::TidList* live) {
    CheckState cs;
    memset(&cs, 0, sizeof(cs));
    cs.index = index;
    cs.strategy = GetAccessStrategy(BAS_BULKREAD);
    cs.nblocks = RelationGetNumberOfBlocks(index);
    if (cs.nblocks == 0)
        CORRUPT(&cs, 0, 0, "The index has no metapage.");
    check_metapage(&cs);
    size_t nids = (size_t) cs.nblocks * cs.mi.per_page;
    cs.state = (uint8*) MemoryContextAllocHuge(CurrentMemoryContext, nids);
    cs.level = (uint8*) MemoryContextAllocHuge(CurrentMemoryContext, nids);
    cs.kind = (uint8*) palloc0_array(uint8, cs.nblocks);
    memset(cs.state, 0, nids);
    memset(cs.level, 0, nids);
    for (int pass = 0; pass < 2; pass++) {
        for (BlockNumber b = 1; b < cs.nblocks; b++) {
            CHECK_FOR_INTERRUPTS();
            if (pass == 1 && cs.kind[b] != HNSW_PAGE_ELEMENT)
                continue;
            Buffer buf = ReadBufferExtended(index, MAIN_FORKNUM, b, RBM_NORMAL, cs.strategy);
            LockBuffer(buf, BUFFER_LOCK_SHARE);
            Page page = BufferGetPage(buf);
            if (pass == 0) {
                scan_page(&cs, b, page);
            } else {
                check_lists(&cs, b, page);
                OffsetNumber max = PageGetMaxOffsetNumber(page);
                for (OffsetNumber off = FirstOffsetNumber; off <= max; off++) {
                    HnswElementSlot* s = (HnswElementSlot*) PageGetItem(page, PageGetItemId(page, off));
                    if (cs.state[make_id(cs.mi, b, off)] == kLive)
                        live->add(&s->heaptid);
                }
            }
            UnlockReleaseBuffer(buf);
        }
    }
    check_meta_refs(&cs);
}

// Whether a value gets an element: cosine skips zero vectors.
bool indexable(Relation index, Datum value) {
    HnswMetaInfo mi;
    read_meta(index, &mi);
    uint8* code = (uint8*) palloc(mi.value_size); /* value_to_code writes the 1x value */
    bool ok = value_to_code(mi.kind, mi.dims, value, code);
    pfree(code);
    return ok;
}

}  // namespace vx::pg::hnsw
