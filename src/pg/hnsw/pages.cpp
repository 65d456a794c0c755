// Page helpers of the hnsw access method: metapage, page init, slot lookup.
#include "pg/hnsw/hnsw.h"
#include "pg/common/format_version.h"

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
    Buffer buf = ReadBuffer(index, HNSW_METAPAGE_BLKNO);
    LockBuffer(buf, BUFFER_LOCK_SHARE);
    HnswMetaPageData* meta = HnswPageGetMeta(BufferGetPage(buf));
    check_meta(index, meta);
    meta_to_info(meta, info);
    UnlockReleaseBuffer(buf);
}

// The slot of element id on its (locked) page; NULL when the page has no such slot.
HnswElementSlot* page_slot(Page page, const HnswMetaInfo& mi, uint32 id) {
    OffsetNumber off = id_offset(mi, id);
    if (PageIsNew(page) || HnswPageGetOpaque(page)->page_type != HNSW_PAGE_ELEMENT ||
        off > PageGetMaxOffsetNumber(page))
        return NULL;
    return (HnswElementSlot*) PageGetItem(page, PageGetItemId(page, off));
}

}  // namespace vx::pg::hnsw
