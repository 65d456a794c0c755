// Page helpers of the binary access method: page init, metapage.
#include "pg/binary/binary.h"
#include "pg/common/format_version.h"

#include "pg/common/metapage.h"
#include "pg/common/page_check.h"

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
    /* Every size a reader computes with must agree with the others. */
    uint32 code_size = check_meta_codes(index, meta->type, meta->metric, meta->dims, meta->encoding);
    if (meta->code_size != code_size || meta->per_page != entries_per_page(meta->code_size) || meta->per_page == 0)
        page_corrupt(index, BINARY_METAPAGE_BLKNO, 0,
                     psprintf("Code size %u and %u entries per page do not fit the column.", meta->code_size,
                              meta->per_page));
    if (meta->nfree_blocks > BINARY_MAX_FREE_BLOCKS || meta->mode > (uint8) Mode::on_disk ||
        meta->compression > (uint8) Compression::x32)
        page_corrupt(index, BINARY_METAPAGE_BLKNO, 0,
                     psprintf("Free-page count %u, mode %u or compression level %u is out of range.",
                              meta->nfree_blocks, meta->mode, meta->compression));
}

// The live entries of a locked code page, after checking that its header and
// count fit the metapage's layout (so reading entries 0..count-1 stays on it).
uint32 code_page_count(Relation index, BlockNumber blk, Page page, const BinaryMetaInfo& mi) {
    const char* bad = page_problem(page, BINARY_PAGE_KIND, BINARY_PAGE_CODES);
    if (bad)
        page_corrupt(index, blk, 0, bad);
    uint32 count = BinaryPageGetOpaque(page)->count;
    if (count > mi.per_page)
        page_corrupt(index, blk, 0, psprintf("The code page claims %u entries; %u fit.", count, mi.per_page));
    return count;
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
    read_metapage(index, check_meta, meta_to_info, info);
}

}  // namespace vx::pg::binary
