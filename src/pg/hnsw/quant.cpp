// Quantizer parameters of an hnsw index: written to dedicated pages by the
// build, loaded by scans and inserts (page layout: page.h).
//
// An index built on an empty table has no sample to train on; its codes use
// default parameters (ranges [-1, 1], bq1 threshold 0, which suit normalized
// embeddings) and a NOTICE at build time suggests a REINDEX once data is there.
//
// The page chain itself is pg/common/quant_pages.h, shared with binary.
#include "pg/hnsw/hnsw.h"

extern "C" {
#include "storage/bufmgr.h"
#include "utils/memutils.h"
#include "utils/rel.h"
}

#include <vector>

#include "pg/common/quant_pages.h"

namespace vx::pg::hnsw {

using vx::quant::Quantizer;


// The quantizer metric of an operator class's metric (l2, ip, cosine only).
vx::quant::Metric quant_metric(vx::hnsw::Metric metric) {
    switch (metric) {
    case vx::hnsw::Metric::neg_dot_f32:
        return vx::quant::Metric::inner_product;
    case vx::hnsw::Metric::cosine_f32:
        return vx::quant::Metric::cosine;
    default:
        return vx::quant::Metric::l2;
    }
}

// Initializes a quantizer page.
static void init_quant_page(Page page) { init_page(page, HNSW_PAGE_QUANT); }

// Stored parameters, or the defaults when the build had no sample.
const Quantizer* load_quantizer(Relation index, const HnswMetaInfo& mi) {
    if (!hnsw_quantized(mi))
        return nullptr;
    return vx::pg::load_quantizer_pages(index, mi.quant_block, mi.quant_bytes, HNSW_PAGE_QUANT,
                                        sizeof(HnswPageOpaque), mi.encoding, mi.dims);
}

// Consecutive new pages from `first` (build, no WAL).
BlockNumber write_quantizer_pages(Relation index, BlockNumber first, const uint8* blob, uint32 size) {
    return vx::pg::write_quantizer_pages(index, first, blob, size, init_quant_page, sizeof(HnswPageOpaque));
}

}  // namespace vx::pg::hnsw
