// ivf's (and ivfflat's) part of vector_ext_estimate and of the build's fit
// check: the layout numbers of page.h and the sizing parameters of reloptions.
#include "pg/ivf/ivf.h"

namespace vx::pg::ivf {

vx::sizing::PageGeometry page_geometry() {
    vx::sizing::PageGeometry g =
        vx::pg::item_page_geometry(sizeof(IvfPageOpaque), sizeof(IvfEntry), sizeof(IvfListTuple));
    Assert(g.space == IVF_PAGE_SPACE);
    return g;
}

// lists (or the default for the expected rows), pq_m, mode and
// compression_level; the session's probes and rescoring.
void sizing_of(const bytea* rd_options, const vx::pg::SizingTarget& t, const char* level, uint8 flavor,
               vx::pg::Sizing* out) {
    const IvfOptions* o = (const IvfOptions*) rd_options;
    IvfBuildOptions b = resolve_reloptions(rd_options, t.target, flavor, t.dims, level);
    out->resolved = b.r;
    out->product_quantized = b.pq_m > 0;
    out->max_level = flavor == IVF_FLAVOR_IVF && t.target.is_vector && t.target.quantizable
                         ? vx::pg::Compression::x32
                         : vx::pg::Compression::x1;
    vx::sizing::Params& p = out->params;
    p = vx::pg::common_params(vx::sizing::Am::ivf, t, b.r, IVF_RESCORE_K);
    p.pq_m = b.pq_m;
    p.lists = o && o->lists > 0 ? (uint32) o->lists : default_lists(t.rows);
    p.probes = (uint32) ivf_gucs[flavor].probes;
}

void sizing_ivf(const bytea* rd_options, const vx::pg::SizingTarget& t, const char* level, vx::pg::Sizing* out) {
    sizing_of(rd_options, t, level, IVF_FLAVOR_IVF, out);
}

void sizing_ivfflat(const bytea* rd_options, const vx::pg::SizingTarget& t, const char* level,
                    vx::pg::Sizing* out) {
    sizing_of(rd_options, t, level, IVF_FLAVOR_IVFFLAT, out);
}

}  // namespace vx::pg::ivf
