// ivf's (and ivfflat's) part of vector_ext_estimate and of the build's fit
// check: the layout numbers of page.h and the sizing parameters of reloptions.
#include "pg/ivf/ivf.h"

extern "C" {
#include "miscadmin.h"
}

#include "pg/common/quant_pages.h"
#include "pg/common/rescore.h"

namespace vx::pg::ivf {

vx::sizing::PageGeometry page_geometry() {
    vx::sizing::PageGeometry g;
    g.block_size = BLCKSZ;
    g.space = IVF_PAGE_SPACE;
    g.line_pointer = sizeof(ItemIdData);
    g.align = MAXIMUM_ALIGNOF;
    g.element_header = sizeof(IvfEntry);
    g.aux_header = sizeof(IvfListTuple);
    g.quant_page_bytes = vx::pg::quant_page_bytes(sizeof(IvfPageOpaque));
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
    p = vx::sizing::Params();
    p.am = vx::sizing::Am::ivf;
    p.column = t.column;
    p.dims = t.dims;
    p.rows = (uint64_t) Max(t.rows, 0.0);
    p.encoding = b.r.encoding;
    p.pq_m = b.pq_m;
    p.cosine = t.cosine;
    p.lists = o && o->lists > 0 ? (uint32) o->lists : default_lists(t.rows);
    p.threads = vx::pg::build_threads();
    p.maintenance_work_mem = (uint64_t) maintenance_work_mem * 1024;
    p.probes = (uint32) ivf_gucs[flavor].probes;
    double oversample;
    bool rescore;
    vx::pg::rescore_settings(b.r.oversample, b.r.rescore, &oversample, &rescore);
    p.rescore_candidates = rescore ? (uint32_t) vx::pg::rescore_candidate_count(oversample, IVF_RESCORE_K) : 0;
}

void sizing_ivf(const bytea* rd_options, const vx::pg::SizingTarget& t, const char* level, vx::pg::Sizing* out) {
    sizing_of(rd_options, t, level, IVF_FLAVOR_IVF, out);
}

void sizing_ivfflat(const bytea* rd_options, const vx::pg::SizingTarget& t, const char* level,
                    vx::pg::Sizing* out) {
    sizing_of(rd_options, t, level, IVF_FLAVOR_IVFFLAT, out);
}

}  // namespace vx::pg::ivf
