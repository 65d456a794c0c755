// ivf options: reloptions of an index, the default list count, centroid rule.
#include "pg/ivf/ivf.h"

extern "C" {
#include "utils/rel.h"
}

#include <cmath>

namespace vx::pg::ivf {

// lists of the index (0 when not given).
int option_lists(Relation index) {
    IvfOptions* o = (IvfOptions*) index->rd_options;
    return o ? o->lists : 0;
}

// rows / 1000 up to 1M rows, sqrt(rows) beyond (the two meet at 1000).
uint32 default_lists(double rows) {
    double l = rows <= 1000000.0 ? rows / 1000.0 : std::sqrt(rows);
    if (l < IVF_MIN_LISTS)
        l = IVF_MIN_LISTS;
    if (l > IVF_MAX_LISTS)
        l = IVF_MAX_LISTS;
    return (uint32) l;
}

// l2 / l1 train Euclidean k-means, ip / cosine spherical, bits binary k-means.
uint8 centroid_rule(const HnswKind& kind) {
    using vx::hnsw::Metric;
    switch (kind.metric) {
    case Metric::l2_f32:
    case Metric::l2_i8:
        return (uint8) vx::ivf::Metric::l2;
    case Metric::neg_dot_f32:
    case Metric::neg_dot_i8:
        return (uint8) vx::ivf::Metric::inner_product;
    case Metric::cosine_f32:
    case Metric::cosine_i8:
        return (uint8) vx::ivf::Metric::cosine;
    case Metric::l1_f32:
    case Metric::l1_i8:
        return (uint8) vx::ivf::Metric::l1;
    default:
        return IVF_CENTROID_BINARY;
    }
}

// mode / compression_level of parsed reloptions (NULL: none) through the
// shared resolver, and pq_m checks; level, when not NULL, replaces compression_level.
IvfBuildOptions resolve_reloptions(const bytea* rd_options, vx::pg::OptionTarget target, uint8 flavor,
                                   uint32 dims, const char* level) {
    const IvfOptions* o = (const IvfOptions*) rd_options;
    const char* mode = NULL;
    bool ivf = flavor == IVF_FLAVOR_IVF;
    if (o && ivf && o->mode_offset)
        mode = (const char*) o + o->mode_offset;
    if (!level && o && ivf && o->compression_offset)
        level = (const char*) o + o->compression_offset;
    /* ivfflat keeps full values (pgvector's ivfflat); ivf takes every level. */
    target.max_level = ivf ? vx::pg::Compression::x32 : vx::pg::Compression::x1;
    IvfBuildOptions r;
    r.pq_m = 0;
    int pq_m = o && ivf ? o->pq_m : 0;
    if (pq_m > 0) {
        if (level)
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("pq_m cannot be combined with compression_level \"%s\"", level),
                            errdetail("pq_m = M stores M-byte product quantization codes instead of a compression level's codes."),
                            errhint("Give either pq_m or compression_level.")));
        if (!target.is_vector || !target.quantizable)
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("pq_m is not supported for operator class %s", target.opclass ? target.opclass : "?"),
                            errdetail("Product quantization needs a vector column and an l2, inner product or cosine operator class.")));
        if (dims % (uint32) pq_m != 0)
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("pq_m = %d does not divide the column's %u dimensions", pq_m, dims),
                            errhint("Choose pq_m among the divisors of %u.", dims)));
        /* mode only: codes are PQ's, and scans rescore by default. */
        r.r = vx::pg::resolve_options(mode, "1x", target);
        r.pq_m = (uint32) pq_m;
        r.r.oversample = IVF_PQ_DEFAULT_OVERSAMPLE;
        r.r.rescore = true;
        return r;
    }
    r.r = vx::pg::resolve_options(mode, level, target);
    return r;
}

}  // namespace vx::pg::ivf
