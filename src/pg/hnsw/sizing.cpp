// hnsw's part of vector_ext_estimate and of the build's fit check: the layout
// numbers of page.h and the sizing parameters of its reloptions.
#include "pg/hnsw/hnsw.h"

namespace vx::pg::hnsw {

vx::sizing::PageGeometry page_geometry() {
    vx::sizing::PageGeometry g =
        vx::pg::item_page_geometry(sizeof(HnswPageOpaque), sizeof(HnswElementSlot), sizeof(HnswUpperTuple));
    Assert(g.space == HNSW_PAGE_SPACE);
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
