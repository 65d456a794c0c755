// vector_ext_index_info for hnsw: metapage fields, live / deleted / free
// slots, bytes per page kind, and the graph's shape: elements per level and,
// per layer, the histogram of live elements' neighbour counts.
//
// Two passes under share locks, one page at a time: element pages first
// (slot states, levels, layer-0 degrees, where each live element's upper
// tuple is), then upper pages, counting only the upper tuples a live element
// points at (a freed slot's tuple may linger until an insert reuses it).
// Plain C-style code: ereport may longjmp anywhere.
#include "pg/hnsw/hnsw.h"

extern "C" {
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "utils/rel.h"
}

#include <cstdlib>

#include "core/hnsw/graph.h"
#include "pg/common/index_info.h"
#include "pg/hnsw/links.h"

namespace vx::pg::hnsw {

namespace {

constexpr int kLevels = vx::hnsw::kMaxLevel + 1;

/* What the passes gather. */
struct GraphCounts {
    int64 level_count[kLevels]; /* live elements by level */
    int64* degree[kLevels];     /* per layer: histogram of list lengths 0..max_degree */
    int64 free_slots;
    uint64* upper_at;  /* (block << 16 | offset) of live elements' upper tuples */
    uint64 nupper, upper_cap;
    BlockNumber* upper_blocks;
    uint32 nupper_blocks;
};

// Orders packed tuple locations.
int cmp_u64(const void* a, const void* b) {
    uint64 x = *(const uint64*) a, y = *(const uint64*) b;
    return x < y ? -1 : x > y ? 1 : 0;
}

// Counts the slots of an element page.
void count_element_page(Page page, BlockNumber blk, const HnswMetaInfo& mi, IndexInfoReport* out, GraphCounts* g) {
    OffsetNumber max = PageGetMaxOffsetNumber(page);
    for (OffsetNumber off = FirstOffsetNumber; off <= max; off++) {
        ItemId iid = PageGetItemId(page, off);
        if (!ItemIdIsUsed(iid) || ItemIdGetLength(iid) < sizeof(HnswElementSlot))
            continue;
        HnswElementSlot* s = (HnswElementSlot*) PageGetItem(page, iid);
        if (s->flags & HNSW_SLOT_FREE) {
            g->free_slots++;
            continue;
        }
        if (s->flags & HNSW_SLOT_DELETED) {
            out->dead++;
            continue;
        }
        out->elements++;
        int level = Min((int) s->level, kLevels - 1);
        g->level_count[level]++;
        g->degree[0][Min((uint32) s->count0, max_degree(mi, 0))]++;
        if (level > 0) {
            if (g->nupper == g->upper_cap) {
                g->upper_cap = g->upper_cap ? g->upper_cap * 2 : 1024;
                g->upper_at = g->upper_at ? (uint64*) repalloc_huge(g->upper_at, g->upper_cap * sizeof(uint64))
                                          : (uint64*) palloc_extended(g->upper_cap * sizeof(uint64), MCXT_ALLOC_HUGE);
            }
            g->upper_at[g->nupper++] = ((uint64) s->upper_blk << 16) | s->upper_off;
        }
    }
}

// Counts the upper tuples of an upper page that a live element points at.
void count_upper_page(Page page, BlockNumber blk, const HnswMetaInfo& mi, GraphCounts* g) {
    OffsetNumber max = PageGetMaxOffsetNumber(page);
    for (OffsetNumber off = FirstOffsetNumber; off <= max; off++) {
        ItemId iid = PageGetItemId(page, off);
        if (!ItemIdIsUsed(iid) || ItemIdGetLength(iid) < sizeof(HnswUpperTuple))
            continue;
        HnswUpperTuple* t = (HnswUpperTuple*) PageGetItem(page, iid);
        if (t->level < 1 || t->level >= kLevels || ItemIdGetLength(iid) < HnswUpperSize(mi.m, t->level))
            continue;
        uint64 at = ((uint64) blk << 16) | off;
        if (bsearch(&at, g->upper_at, g->nupper, sizeof(uint64), cmp_u64) == NULL)
            continue;
        for (int l = 1; l <= t->level; l++)
            g->degree[l][Min(HnswUpperList(t, mi.m, l)[0], max_degree(mi, l))]++;
    }
}

// Pass 1: every page's kind and bytes; element pages counted, upper pages listed.
void first_pass(Relation index, const HnswMetaInfo& mi, IndexInfoReport* out, GraphCounts* g) {
    BlockNumber nblocks = RelationGetNumberOfBlocks(index);
    BufferAccessStrategy strategy = GetAccessStrategy(BAS_BULKREAD);
    g->upper_blocks = (BlockNumber*) palloc_extended(Max(nblocks, 1) * sizeof(BlockNumber), MCXT_ALLOC_HUGE);
    for (BlockNumber b = 0; b < nblocks; b++) {
        CHECK_FOR_INTERRUPTS();
        Buffer buf = ReadBufferExtended(index, MAIN_FORKNUM, b, RBM_NORMAL, strategy);
        LockBuffer(buf, BUFFER_LOCK_SHARE);
        Page page = BufferGetPage(buf);
        const char* kind = "unused";
        if (vx::pg::page_type(page, HNSW_PAGE_KIND) > 0) { /* not new, header sane */
            switch (vx::pg::page_type(page, HNSW_PAGE_KIND)) {
            case HNSW_PAGE_META:
                kind = "meta";
                break;
            case HNSW_PAGE_ELEMENT:
                kind = "element";
                count_element_page(page, b, mi, out, g);
                break;
            case HNSW_PAGE_UPPER:
                kind = "upper";
                g->upper_blocks[g->nupper_blocks++] = b;
                break;
            case HNSW_PAGE_QUANT:
                kind = "quantizer";
                break;
            }
        }
        UnlockReleaseBuffer(buf);
        vx::pg::index_info_add_pages(out, kind, BLCKSZ);
    }
    FreeAccessStrategy(strategy);
}

// Pass 2: the upper pages.
void second_pass(Relation index, const HnswMetaInfo& mi, GraphCounts* g) {
    if (g->nupper > 1)
        qsort(g->upper_at, g->nupper, sizeof(uint64), cmp_u64);
    for (uint32 i = 0; i < g->nupper_blocks && g->nupper > 0; i++) {
        CHECK_FOR_INTERRUPTS();
        Buffer buf = ReadBuffer(index, g->upper_blocks[i]);
        LockBuffer(buf, BUFFER_LOCK_SHARE);
        Page page = BufferGetPage(buf);
        if (!PageIsNew(page) && HnswPageGetOpaque(page)->page_type == HNSW_PAGE_UPPER)
            count_upper_page(page, g->upper_blocks[i], mi, g);
        UnlockReleaseBuffer(buf);
    }
}

// The structure object: parameters, slot counts, levels and layers.
void write_structure(const HnswMetaInfo& mi, const GraphCounts& g, StringInfo s) {
    info_json_int(s, "m", mi.m);
    info_json_int(s, "ef_construction", mi.ef_construction);
    info_json_int(s, "max_level", mi.max_level);
    info_json_int(s, "slots_per_page", mi.per_page);
    info_json_int(s, "free_slots", g.free_slots);
    info_json_int(s, "inserted", (int64) mi.inserted);
    int top = 0;
    for (int l = 0; l < kLevels; l++)
        if (g.level_count[l] > 0)
            top = l;
    info_json_counts(s, "levels", g.level_count, top + 1);
    appendStringInfoString(s, ", \"layers\": [");
    int64 on_layer = 0;
    for (int l = 0; l <= top; l++)
        on_layer += g.level_count[l];
    for (int l = 0; l <= top; l++) {
        int buckets = (int) max_degree(mi, l) + 1;
        appendStringInfoString(s, l ? ", {" : "{");
        info_json_int(s, "layer", l);
        info_json_int(s, "elements", on_layer);
        info_json_int(s, "max_degree", buckets - 1);
        info_json_summary(s, "degree", vx::stats::summarize_histogram(g.degree[l], buckets));
        info_json_counts(s, "degree_histogram", g.degree[l], buckets);
        appendStringInfoChar(s, '}');
        on_layer -= g.level_count[l];
    }
    appendStringInfoChar(s, ']');
}

}  // namespace

// Fills the report of an hnsw index.
void index_info(Relation index, vx::pg::IndexInfoReport* out) {
    HnswMetaInfo mi;
    read_meta(index, &mi);
    vx::pg::index_info_options(out, mi.mode, mi.level, vx::quant::encoding_name(mi.encoding), mi.dims, mi.oversample,
                               mi.rescore);
    GraphCounts g;
    memset(&g, 0, sizeof(g));
    for (int l = 0; l < kLevels; l++)
        g.degree[l] = (int64*) palloc0(sizeof(int64) * (max_degree(mi, l) + 1));
    first_pass(index, mi, out, &g);
    second_pass(index, mi, &g);
    write_structure(mi, g, &out->structure);
    if (hnsw_quantized(mi)) {
        vx::pg::info_json_quantizer(&out->quantizer, load_quantizer(index, mi), mi.quant_block != 0, mi.quant_bytes);
    }
}

}  // namespace vx::pg::hnsw
