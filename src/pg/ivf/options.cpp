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

// Float centroids for vector and bytevector, packed bits for bitvector.
uint32 centroid_size_of(const HnswKind& kind, uint32 dims) {
    return kind.type == HNSW_TYPE_BITVECTOR ? (dims + 7) / 8 : dims * (uint32) sizeof(float);
}

// mode / compression_level through the shared resolver; pq_m checks.
vx::pg::ResolvedOptions resolve_index_options(Relation index, const HnswKind& kind, uint8 flavor,
                                              uint32 dims) {
    IvfOptions* o = (IvfOptions*) index->rd_options;
    const char* mode = NULL;
    const char* level = NULL;
    if (o && flavor == IVF_FLAVOR_IVF && o->mode_offset)
        mode = (const char*) o + o->mode_offset;
    if (o && flavor == IVF_FLAVOR_IVF && o->compression_offset)
        level = (const char*) o + o->compression_offset;
    vx::pg::ResolvedOptions r = vx::pg::resolve_options(mode, level, kind.type == HNSW_TYPE_VECTOR,
                                                        vx::pg::Compression::x1);
    if (o && flavor == IVF_FLAVOR_IVF && o->pq_m > 0) {
        if (kind.type != HNSW_TYPE_VECTOR)
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("pq_m requires a vector column")));
        if (dims % (uint32) o->pq_m != 0)
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("pq_m = %d does not divide the column's %u dimensions", o->pq_m, dims),
                            errhint("Choose pq_m among the divisors of %u.", dims)));
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("pq_m is not supported by this index yet"),
                        errdetail("Product-quantized lists need the shared rescoring routine.")));
    }
    return r;
}

}  // namespace vx::pg::ivf
