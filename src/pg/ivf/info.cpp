// vector_ext_index_info for ivf and ivfflat: metapage fields, live entries and
// bytes per page kind (one pass over the index under share locks, page by page).
#include "pg/ivf/ivf.h"

extern "C" {
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "utils/rel.h"
}

#include "pg/common/index_access.h"

namespace vx::pg::ivf {

// Fills the report of an ivf index.
void index_info(Relation index, vx::pg::IndexInfoReport* out) {
    IvfMetaInfo mi;
    read_meta(index, &mi);
    out->mode = vx::pg::mode_name(mi.mode);
    out->compression_level = vx::pg::level_name(mi.level);
    out->encoding = mi.pq_m > 0 ? psprintf("pq%u", mi.pq_m) : vx::quant::encoding_name(mi.encoding);
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
            switch (vx::pg::checked_page_type(index, b, page, IVF_PAGE_KIND)) {
            case IVF_PAGE_META:
                kind = "meta";
                break;
            case IVF_PAGE_LIST:
                kind = "list";
                break;
            case IVF_PAGE_POSTING:
                kind = "posting";
                out->elements += PageGetMaxOffsetNumber(page);
                break;
            case IVF_PAGE_QUANT:
                kind = "quantizer";
                break;
            }
        }
        UnlockReleaseBuffer(buf);
        vx::pg::index_info_add_pages(out, kind, BLCKSZ);
    }
}

}  // namespace vx::pg::ivf
