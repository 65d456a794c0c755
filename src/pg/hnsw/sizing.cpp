// hnsw's part of vector_ext_estimate and of the build's fit check: the layout
// numbers of page.h and the sizing parameters of its reloptions.
#include "pg/hnsw/hnsw.h"

#include "pg/common/quant_pages.h"

namespace vx::pg::hnsw {

vx::sizing::PageGeometry page_geometry() {
    vx::sizing::PageGeometry g;
    g.block_size = BLCKSZ;
    g.space = HNSW_PAGE_SPACE;
    g.line_pointer = sizeof(ItemIdData);
    g.align = MAXIMUM_ALIGNOF;
    g.element_header = sizeof(HnswElementSlot);
    g.aux_header = sizeof(HnswUpperTuple);
    g.quant_page_bytes = vx::pg::quant_page_bytes(sizeof(HnswPageOpaque));
    return g;
}

// m, ef_construction, mode and compression_level; the session's ef_search and rescoring.
void sizing(const bytea* rd_options, const vx::pg::SizingTarget& t, const char* level, vx::pg::Sizing* out) {
    const HnswOptions* o = (const HnswOptions*) rd_options;
    out->resolved = resolve_reloptions(rd_options, t.target, level);
    out->max_level = t.target.is_vector && t.target.quantizable ? t.target.max_level : vx::pg::Compression::x1;
    out->product_quantized = false;
    vx::sizing::Params& p = out->params;
    p = vx::pg::common_params(vx::sizing::Am::hnsw, t, out->resolved, hnsw_ef_search);
    p.m = o ? o->m : HNSW_DEFAULT_M;
    p.ef_construction = o ? o->ef_construction : HNSW_DEFAULT_EF_CONSTRUCTION;
    p.ef_search = (uint32_t) hnsw_ef_search;
}

}  // namespace vx::pg::hnsw
