// Page helpers of the hnsw access method: metapage, page init, slot lookup.
#include "pg/hnsw/hnsw.h"
#include "pg/common/format_version.h"

#include "core/hnsw/graph.h"
#include "pg/common/metapage.h"
#include "pg/common/page_check.h"

extern "C" {
#include "storage/bufmgr.h"
#include "utils/rel.h"
}

namespace vx::pg::hnsw {

// Initializes an empty page of one kind.
void init_page(Page page, uint16 type) {
    PageInit(page, BLCKSZ, sizeof(HnswPageOpaque));
    HnswPageOpaque* o = HnswPageGetOpaque(page);
    memset(o, 0, sizeof(*o));
    o->page_type = type;
    o->page_id = HNSW_PAGE_ID;
}

// Fixed-size slots that fit on one element page.
uint32 slots_per_page(uint32 slot_size) {
    return (uint32) (HNSW_PAGE_SPACE / (MAXALIGN(slot_size) + sizeof(ItemIdData)));
}

// Error unless the metapage is ours and of a version we read.
void check_meta(Relation index, const HnswMetaPageData* meta) {
    if (meta->magic != HNSW_MAGIC)
        ereport(ERROR, (errcode(ERRCODE_INDEX_CORRUPTED),
                        errmsg("index \"%s\" is not an hnsw index of vector_ext",
                               RelationGetRelationName(index))));
    check_format_version(index, meta->version, HNSW_OLDEST_READ_VERSION, HNSW_FORMAT_VERSION);
    /* Every size a reader computes with must agree with the others. */
    uint32 code_size = check_meta_codes(index, meta->type, meta->metric, meta->dims, meta->encoding);
    if (meta->m < HNSW_MIN_M || meta->m > HNSW_MAX_M || meta->ef_construction < HNSW_MIN_EF_CONSTRUCTION ||
        meta->ef_construction > HNSW_MAX_EF_CONSTRUCTION)
        page_corrupt(index, HNSW_METAPAGE_BLKNO, 0,
                     psprintf("m = %u, ef_construction = %u are out of range.", meta->m, meta->ef_construction));
    if (meta->code_size != code_size || meta->slot_size != HnswSlotSize(meta->m, meta->code_size) ||
        meta->per_page != slots_per_page(meta->slot_size) || meta->per_page == 0)
        page_corrupt(index, HNSW_METAPAGE_BLKNO, 0,
                     psprintf("Code size %u, slot size %u and %u slots per page do not match m = %u and the "
                              "column.", meta->code_size, meta->slot_size, meta->per_page, meta->m));
    if (meta->max_level < -1 || meta->max_level > vx::hnsw::kMaxLevel ||
        (meta->entry_point == HNSW_NO_ELEMENT) != (meta->max_level == -1))
        page_corrupt(index, HNSW_METAPAGE_BLKNO, 0,
                     psprintf("Entry point %u with level %d is not possible.", meta->entry_point, meta->max_level));
    if (meta->nfree_blocks > HNSW_MAX_FREE_BLOCKS || meta->mode > (uint8) Mode::on_disk ||
        meta->compression > (uint8) Compression::x32)
        page_corrupt(index, HNSW_METAPAGE_BLKNO, 0,
                     psprintf("Free-page count %u, mode %u or compression level %u is out of range.",
                              meta->nfree_blocks, meta->mode, meta->compression));
}

// Copies the fields operations need.
void meta_to_info(const HnswMetaPageData* meta, HnswMetaInfo* info) {
    info->dims = meta->dims;
    info->kind.type = meta->type;
    info->kind.metric = (vx::hnsw::Metric) meta->metric;
    info->kind.sqrt_result = meta->metric == (uint8) vx::hnsw::Metric::l2_f32 ||
                             meta->metric == (uint8) vx::hnsw::Metric::l2_i8;
    info->kind.skip_zero = meta->metric == (uint8) vx::hnsw::Metric::cosine_f32 ||
                           meta->metric == (uint8) vx::hnsw::Metric::cosine_i8;
    info->m = meta->m;
    info->ef_construction = meta->ef_construction;
    info->code_size = meta->code_size;
    info->value_size = (uint32) vx::hnsw::code_size_for(info->kind.metric, meta->dims);
    info->slot_size = meta->slot_size;
    info->per_page = meta->per_page;
    info->entry_point = meta->entry_point;
    info->max_level = meta->max_level;
    info->mode = (vx::pg::Mode) meta->mode;
    info->level = (vx::pg::Compression) meta->compression;
    info->encoding = (vx::quant::Encoding) meta->encoding;
    info->quant_block = meta->quant_block;
    info->quant_bytes = meta->quant_bytes;
    info->oversample = meta->oversample;
    info->rescore = meta->rescore != 0;
    info->inserted = meta->inserted;
}

// Reads the metapage under a share lock.
void read_meta(Relation index, HnswMetaInfo* info) {
    read_metapage(index, check_meta, meta_to_info, info);
}

// The slot of element id on its (locked) page; NULL when the page has no such
// slot (not an element page, or fewer slots). *bad says what is wrong when the
// slot is not where and how big page.h says, or holds more neighbours than
// fit (so a list read from a slot stays inside it). Pure: never ereports.
HnswElementSlot* find_slot(Page page, const HnswMetaInfo& mi, uint32 id, const char** bad) {
    OffsetNumber off = id_offset(mi, id);
    int type = page_type(page, HNSW_PAGE_KIND);
    *bad = type < 0 ? "The page header is invalid (lower, upper or special)." : NULL;
    if (type != HNSW_PAGE_ELEMENT || off > PageGetMaxOffsetNumber(page))
        return NULL;
    if ((*bad = item_problem(page, off, mi.slot_size)))
        return NULL;
    HnswElementSlot* s = (HnswElementSlot*) PageGetItem(page, PageGetItemId(page, off));
    if (s != slot_position(page, mi, off))
        *bad = "The element slot is not where the slot size puts it.";
    else if (s->count0 > 2 * mi.m || s->level > vx::hnsw::kMaxLevel)
        *bad = "The slot's level or layer-0 neighbour count is out of range.";
    return *bad ? NULL : s;
}

// find_slot for PostgreSQL-style code: corruption is an ERROR.
HnswElementSlot* page_slot(Relation index, Page page, const HnswMetaInfo& mi, uint32 id) {
    const char* bad;
    HnswElementSlot* s = find_slot(page, mi, id, &bad);
    if (bad)
        page_corrupt(index, id_block(mi, id), id_offset(mi, id), bad);
    return s;
}

// Copies the layer-`level` list (level >= 1) of element id from its upper
// tuple at `off` of a locked page; 0 when the tuple is not id's (reused).
// Pure: *bad says what is wrong (then 0).
uint32 find_upper_list(Page page, OffsetNumber off, const HnswMetaInfo& mi, uint32 id, int level, uint32* out,
                       const char** bad) {
    int type = page_type(page, HNSW_PAGE_KIND);
    *bad = type < 0 ? "The page header is invalid (lower, upper or special)." : NULL;
    if (type != HNSW_PAGE_UPPER || off > PageGetMaxOffsetNumber(page))
        return 0;
    if ((*bad = item_problem(page, off, sizeof(HnswUpperTuple))))
        return 0;
    ItemId iid = PageGetItemId(page, off);
    HnswUpperTuple* t = (HnswUpperTuple*) PageGetItem(page, iid);
    if (t->owner != id || t->level < level)
        return 0;
    if (ItemIdGetLength(iid) < HnswUpperSize(mi.m, t->level)) {
        *bad = "The upper tuple is too short for its level.";
        return 0;
    }
    uint32* list = HnswUpperList(t, mi.m, level);
    uint32 n = Min(list[0], (uint32) mi.m);
    memcpy(out, list + 1, n * sizeof(uint32));
    return n;
}

}  // namespace vx::pg::hnsw
