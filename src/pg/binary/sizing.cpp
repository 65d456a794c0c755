// binary's part of vector_ext_estimate and of the build's fit check: the
// layout numbers of page.h and the sizing parameters of its reloptions.
#include "pg/binary/binary.h"

#include "pg/common/quant_pages.h"

namespace vx::pg::binary {

// Code pages pack codes then TIDs with no line pointers (page.h).
vx::sizing::PageGeometry page_geometry() {
    vx::sizing::PageGeometry g;
    g.block_size = BLCKSZ;
    g.space = BINARY_PAGE_SPACE;
    g.line_pointer = 0;
    g.align = 1;
    g.element_header = sizeof(ItemPointerData);
    g.aux_header = 0;
    g.quant_page_bytes = vx::pg::quant_page_bytes(sizeof(BinaryPageOpaque));
    return g;
}

// mode and compression_level; the session's batch size and rescoring.
void sizing(const bytea* rd_options, const vx::pg::SizingTarget& t, const char* level, vx::pg::Sizing* out) {
    out->resolved = resolve_reloptions(rd_options, t.target, level);
    out->max_level = t.target.is_vector && t.target.quantizable ? vx::pg::Compression::x32 : vx::pg::Compression::x1;
    out->product_quantized = false;
    vx::sizing::Params& p = out->params;
    p = vx::pg::common_params(vx::sizing::Am::binary, t, out->resolved, binary_batch_size);
    p.batch = (uint32_t) binary_batch_size;
    /* Only quantized codes are rescored (binary/scan.cpp). */
    if (p.encoding == vx::quant::Encoding::f32)
        p.rescore_candidates = 0;
}

}  // namespace vx::pg::binary
