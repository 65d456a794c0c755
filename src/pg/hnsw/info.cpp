// vector_ext_index_info for hnsw: metapage fields, live elements and bytes per
// page kind (one pass over the index under share locks, page by page).
#include "pg/hnsw/hnsw.h"

extern "C" {
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "utils/rel.h"
}

#include "pg/common/index_info.h"

namespace vx::pg::hnsw {

// Fills the report of an hnsw index.
void index_info(Relation index, vx::pg::IndexInfoReport* out) {
    HnswMetaInfo mi;
    read_meta(index, &mi);
    out->mode = vx::pg::mode_name(mi.mode);
    out->compression_level = vx::pg::level_name(mi.level);
    out->encoding = vx::quant::encoding_name(mi.encoding);
    out->dimensions = (int) mi.dims;
    out->oversample = mi.oversample;
    out->rescore = mi.rescore;
    BlockNumber nblocks = RelationGetNumberOfBlocks(index);
    for (BlockNumber b = 0; b < nblocks; b++) {
        CHECK_FOR_INTERRUPTS();
        Buffer buf = ReadBuffer(index, b);
        LockBuffer(buf, BUFFER_LOCK_SHARE);
        Page page = BufferGetPage(buf);
        const char* kind = "unused";
        if (!PageIsNew(page)) {
            switch (vx::pg::checked_page_type(index, b, page, HNSW_PAGE_KIND)) {
            case HNSW_PAGE_META:
                kind = "meta";
                break;
            case HNSW_PAGE_ELEMENT: {
                kind = "element";
                OffsetNumber max = PageGetMaxOffsetNumber(page);
                for (OffsetNumber off = FirstOffsetNumber; off <= max; off++) {
                    HnswElementSlot* s = (HnswElementSlot*) PageGetItem(page, PageGetItemId(page, off));
                    if (!(s->flags & (HNSW_SLOT_DELETED | HNSW_SLOT_FREE)))
                        out->elements++;
                }
                break;
            }
            case HNSW_PAGE_UPPER:
                kind = "upper";
                break;
            case HNSW_PAGE_QUANT:
                kind = "quantizer";
                break;
            }
        }
        UnlockReleaseBuffer(buf);
        vx::pg::index_info_add_pages(out, kind, BLCKSZ);
    }
}


}  // namespace vx::pg::hnsw
