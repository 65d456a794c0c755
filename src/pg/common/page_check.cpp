// Reading index pages without trusting them (see page_check.h).
// Plain C-style code: ereport may longjmp anywhere here, except in
// throw_page_corrupt and the *_problem functions, which never ereport.
#include "pg/common/page_check.h"

extern "C" {
#include "utils/rel.h"
}

#include <cstdio>

#include "core/hnsw/space.h"
#include "core/quant/encoding.h"
#include "pg/common/error_bridge.h"
#include "pg/common/format_version.h"
#include "pg/hnsw/page.h"

namespace vx::pg {

void page_corrupt(Relation index, BlockNumber blk, OffsetNumber off, const char* detail) {
    ereport(ERROR, (errcode(ERRCODE_INDEX_CORRUPTED),
                    errmsg("index \"%s\" is corrupt at block %u, offset %u", RelationGetRelationName(index), blk,
                           (unsigned) off),
                    errdetail("%s", detail), errhint("REINDEX INDEX %s;", reindex_name(index))));
    pg_unreachable();
}

void throw_page_corrupt(Relation index, BlockNumber blk, OffsetNumber off, const char* detail) {
    char msg[256];
    snprintf(msg, sizeof(msg), "index \"%s\" is corrupt at block %u, offset %u: %s (REINDEX it)",
             RelationGetRelationName(index), blk, (unsigned) off, detail);
    throw PgError(ERRCODE_INDEX_CORRUPTED, msg);
}

int page_type(Page page, PageKind kind) {
    PageHeader ph = (PageHeader) page;
    if (PageIsNew(page))
        return 0;
    if (ph->pd_special != BLCKSZ - MAXALIGN(kind.special) || ph->pd_lower < SizeOfPageHeaderData ||
        ph->pd_lower > ph->pd_upper || ph->pd_upper > ph->pd_special)
        return -1;
    return *(uint16*) (PageGetSpecialPointer(page) + kind.type_offset);
}

uint16 checked_page_type(Relation index, BlockNumber blk, Page page, PageKind kind) {
    int type = page_type(page, kind);
    if (type < 0)
        page_corrupt(index, blk, 0, "The page header is invalid (lower, upper or special).");
    return (uint16) type;
}

const char* page_problem(Page page, PageKind kind, uint16 type) {
    int got = page_type(page, kind);
    if (got == 0)
        return "The page is not initialized.";
    if (got < 0)
        return "The page header is invalid (lower, upper or special).";
    if (got != type)
        return "The page is not of the expected type.";
    return NULL;
}

const char* item_problem(Page page, OffsetNumber off, uint32 min_size) {
    PageHeader ph = (PageHeader) page;
    if (off < FirstOffsetNumber || off > PageGetMaxOffsetNumber(page))
        return "There is no item at this offset.";
    ItemId iid = PageGetItemId(page, off);
    /* PageAddItem puts every item at a MAXALIGN'd offset. */
    if (!ItemIdIsNormal(iid) || ItemIdGetLength(iid) < min_size || ItemIdGetOffset(iid) < ph->pd_upper ||
        ItemIdGetOffset(iid) + ItemIdGetLength(iid) > ph->pd_special ||
        ItemIdGetOffset(iid) % MAXIMUM_ALIGNOF != 0)
        return "The item is not a used, aligned item of the expected size inside the page's item space.";
    return NULL;
}

void* page_item(Relation index, BlockNumber blk, Page page, PageKind kind, uint16 page_type, OffsetNumber off,
                uint32 min_size) {
    const char* bad = page_problem(page, kind, page_type);
    if (bad)
        page_corrupt(index, blk, 0, bad);
    bad = item_problem(page, off, min_size);
    if (bad)
        page_corrupt(index, blk, off, bad);
    return PageGetItem(page, PageGetItemId(page, off));
}

uint32 check_meta_codes(Relation index, uint8 type, uint8 metric, uint32 dims, uint8 encoding) {
    using vx::hnsw::Metric;
    uint32 max_dims = type == HNSW_TYPE_BITVECTOR ? 64000 : 16000;
    bool metric_ok = type == HNSW_TYPE_VECTOR       ? metric <= (uint8) Metric::l1_f32
                     : type == HNSW_TYPE_BYTEVECTOR ? metric >= (uint8) Metric::l2_i8 && metric <= (uint8) Metric::l1_i8
                     : type == HNSW_TYPE_BITVECTOR  ? metric == (uint8) Metric::hamming_bits ||
                                                         metric == (uint8) Metric::jaccard_bits
                                                    : false;
    if (!metric_ok || dims < 1 || dims > max_dims)
        page_corrupt(index, 0, 0,
                     psprintf("Column type %u with metric %u and %u dimensions is not possible.", type, metric, dims));
    if (encoding > (uint8) vx::quant::Encoding::bq1 || (encoding != 0 && type != HNSW_TYPE_VECTOR))
        page_corrupt(index, 0, 0, psprintf("Code encoding %u is not possible for column type %u.", encoding, type));
    if (encoding == (uint8) vx::quant::Encoding::f32)
        return (uint32) vx::hnsw::code_size_for((Metric) metric, dims);
    return (uint32) vx::quant::code_size((vx::quant::Encoding) encoding, dims);
}

}  // namespace vx::pg
