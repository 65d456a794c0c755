// Build threads, and the shared "does an element fit on a page" check of
// every build (see sizing.h).
#include "pg/common/sizing.h"

extern "C" {
#include "lib/stringinfo.h"
#include "postmaster/bgworker.h"
#include "miscadmin.h"
}

#include <algorithm>
#include <thread>

#include "pg/common/quant_pages.h"
#include "pg/common/rescore.h"
#include "pg/hnsw/page.h"

namespace vx::pg {

vx::sizing::PageGeometry item_page_geometry(uint32 special, uint32 element_header, uint32 aux_header) {
    vx::sizing::PageGeometry g;
    g.block_size = BLCKSZ;
    g.space = quant_page_bytes(special); /* the same space: page minus header and special area */
    g.line_pointer = sizeof(ItemIdData);
    g.align = MAXIMUM_ALIGNOF;
    g.element_header = element_header;
    g.aux_header = aux_header;
    g.quant_page_bytes = quant_page_bytes(special);
    return g;
}

int build_threads() {
    unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    return std::max(1, std::min(max_parallel_maintenance_workers + 1, (int) cores));
}

vx::sizing::Params common_params(vx::sizing::Am am, const SizingTarget& t, const ResolvedOptions& resolved, int k) {
    vx::sizing::Params p;
    p.am = am;
    p.column = t.column;
    p.dims = t.dims;
    p.rows = (uint64_t) Max(t.rows, 0.0);
    p.encoding = resolved.encoding;
    p.cosine = t.cosine;
    p.threads = build_threads();
    p.maintenance_work_mem = (uint64_t) maintenance_work_mem * 1024;
    double oversample;
    bool rescore;
    rescore_settings(resolved.oversample, resolved.rescore, &oversample, &rescore);
    p.rescore_candidates = rescore ? (uint32_t) rescore_candidate_count(oversample, k) : 0;
    return p;
}

vx::sizing::Column sizing_column(uint8 hnsw_type) {
    switch (hnsw_type) {
    case HNSW_TYPE_VECTOR:
        return vx::sizing::Column::vector;
    case HNSW_TYPE_BYTEVECTOR:
        return vx::sizing::Column::bytevector;
    default:
        return vx::sizing::Column::bitvector;
    }
}

// The levels up to s.max_level at which an element would fit, quoted ("" if none).
static char* fitting_levels(const Sizing& s, const vx::sizing::PageGeometry& g) {
    StringInfoData out;
    initStringInfo(&out);
    for (int i = 0; i <= int(s.max_level); i++) {
        vx::sizing::Params p = s.params;
        p.pq_m = 0;
        p.encoding = level_info(Compression(i)).encoding;
        if (vx::sizing::element_fits(p, g))
            appendStringInfo(&out, "%s\"%s\"", out.len ? ", " : "", level_name(Compression(i)));
    }
    return out.data;
}

void check_element_fits(const char* am, const Sizing& s, const vx::sizing::PageGeometry& g) {
    const vx::sizing::Params& p = s.params;
    if (vx::sizing::element_fits(p, g))
        return;
    vx::sizing::Estimate e = vx::sizing::estimate(p, g);
    uint32 most = vx::sizing::max_dims(p, g, p.dims);
    const char* options = s.product_quantized ? psprintf("pq_m = %u", p.pq_m)
                                              : psprintf("compression_level \"%s\"", level_name(s.resolved.level));
    /* An ivf centroid that does not fit is the limit no level lifts: name it first. */
    bool element_too_big = e.list_tuple_bytes <= g.space;
    const char* what = element_too_big ? "an element" : "a list tuple (its centroid is stored at full precision)";
    uint32 bytes = element_too_big ? e.element_bytes : e.list_tuple_bytes;
    char* levels = fitting_levels(s, g);
    /* hnsw: the largest m (from 2) that fits, when a smaller m would. */
    int fitting_m = 0;
    for (int m = p.m - 1; p.am == vx::sizing::Am::hnsw && m >= 2 && !fitting_m; m--) {
        vx::sizing::Params q = p;
        q.m = m;
        if (vx::sizing::element_fits(q, g))
            fitting_m = m;
    }
    const char* hint;
    if (levels[0])
        hint = psprintf("compression_level %s would fit %u dimensions.", levels, p.dims);
    else if (fitting_m)
        hint = psprintf("No compression level fits %u dimensions with m = %d; m = %d or less would.", p.dims, p.m,
                        fitting_m);
    else
        hint = psprintf("No compression level of access method %s fits %u dimensions.", am, p.dims);
    ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                    errmsg("%u dimensions do not fit on an index page of access method %s with %s", p.dims, am,
                           options),
                    errdetail("With these options %s takes %u bytes and a page has %u; at most %u dimensions fit.",
                              what, bytes, g.space, most),
                    errhint("%s", hint)));
}

}  // namespace vx::pg
