// Page helpers of the binary access method: page init, metapage.
#include "pg/binary/binary.h"
#include "pg/common/format_version.h"

extern "C" {
#include "storage/bufmgr.h"
#include "utils/rel.h"
}

namespace vx::pg::binary {

// Initializes an empty page of one kind.
void init_page(Page page, uint16 type) {
    PageInit(page, BLCKSZ, sizeof(BinaryPageOpaque));
    BinaryPageOpaque* o = BinaryPageGetOpaque(page);
    memset(o, 0, sizeof(*o));
    o->page_type = type;
    o->page_id = BINARY_PAGE_ID;
}

// A fresh code page: the entry arrays lie below pd_lower (see page.h).
void init_code_page(Page page, uint32 code_size, uint32 per_page) {
    init_page(page, BINARY_PAGE_CODES);
    ((PageHeader) page)->pd_lower =
        (LocationIndex) (MAXALIGN(SizeOfPageHeaderData) + (size_t) per_page * (code_size + sizeof(ItemPointerData)));
}

// Entries (code and TID) that fit on one code page.
uint32 entries_per_page(uint32 code_size) {
    return (uint32) (BINARY_PAGE_SPACE / (code_size + sizeof(ItemPointerData)));
}

// Error unless the metapage is ours and of a version we read.
void check_meta(Relation index, const BinaryMetaPageData* meta) {
    if (meta->magic != BINARY_MAGIC)
        ereport(ERROR, (errcode(ERRCODE_INDEX_CORRUPTED),
                        errmsg("index \"%s\" is not a binary index of vector_ext",
                               RelationGetRelationName(index))));
    check_format_version(index, meta->version, BINARY_OLDEST_READ_VERSION, BINARY_FORMAT_VERSION);
}

// Copies the fields operations need.
void meta_to_info(const BinaryMetaPageData* meta, BinaryMetaInfo* info) {
    info->dims = meta->dims;
    info->kind.type = meta->type;
    info->kind.metric = (vx::hnsw::Metric) meta->metric;
    info->kind.sqrt_result = meta->metric == (uint8) vx::hnsw::Metric::l2_f32 ||
                             meta->metric == (uint8) vx::hnsw::Metric::l2_i8;
    info->kind.skip_zero = meta->metric == (uint8) vx::hnsw::Metric::cosine_f32 ||
                           meta->metric == (uint8) vx::hnsw::Metric::cosine_i8;
    info->mode = (vx::pg::Mode) meta->mode;
    info->level = (vx::pg::Compression) meta->compression;
    info->encoding = (vx::quant::Encoding) meta->encoding;
    info->rescore = meta->rescore != 0;
    info->oversample = meta->oversample;
    info->code_size = meta->code_size;
    info->value_size = vx::pg::hnsw::code_size_of(info->kind, info->dims);
    info->per_page = meta->per_page;
    info->insert_block = meta->insert_block;
    info->quant_block = meta->quant_block;
    info->quant_bytes = meta->quant_bytes;
}

// Reads the metapage under a share lock.
void read_meta(Relation index, BinaryMetaInfo* info) {
    Buffer buf = ReadBuffer(index, BINARY_METAPAGE_BLKNO);
    LockBuffer(buf, BUFFER_LOCK_SHARE);
    BinaryMetaPageData* meta = BinaryPageGetMeta(BufferGetPage(buf));
    check_meta(index, meta);
    meta_to_info(meta, info);
    UnlockReleaseBuffer(buf);
}

}  // namespace vx::pg::binary
