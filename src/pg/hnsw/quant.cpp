// Quantizer parameters of an hnsw index: written to dedicated pages by the
// build, loaded by scans and inserts (page layout: page.h).
//
// An index built on an empty table has no sample to train on; its codes use
// default parameters (ranges [-1, 1], bq1 threshold 0, which suit normalized
// embeddings) and a NOTICE at build time suggests a REINDEX once data is there.
//
// C++ / PostgreSQL: pages are read into palloc'd bytes first; the Quantizer is
// built inside VX_GUARD and owned by a memory context reset callback (STYLE 4,
// way (a)).
#include "pg/hnsw/hnsw.h"

extern "C" {
#include "storage/bufmgr.h"
#include "utils/memutils.h"
#include "utils/rel.h"
}

#include <vector>

#include "pg/common/error_bridge.h"

namespace vx::pg::hnsw {

using vx::quant::Quantizer;

/* Bytes of blob per quantizer page. */
#define HNSW_QUANT_PAGE_BYTES ((uint32) (BLCKSZ - MAXALIGN(SizeOfPageHeaderData) - MAXALIGN(sizeof(HnswPageOpaque))))

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

// Serialized parameters from the quantizer pages (palloc'd).
static uint8* read_blob(Relation index, const HnswMetaInfo& mi) {
    uint8* blob = (uint8*) palloc(mi.quant_bytes);
    uint32 done = 0;
    for (BlockNumber b = mi.quant_block; done < mi.quant_bytes; b++) {
        Buffer buf = ReadBuffer(index, b);
        LockBuffer(buf, BUFFER_LOCK_SHARE);
        Page page = BufferGetPage(buf);
        if (PageIsNew(page) || HnswPageGetOpaque(page)->page_type != HNSW_PAGE_QUANT)
            ereport(ERROR, (errcode(ERRCODE_INDEX_CORRUPTED),
                            errmsg("hnsw index \"%s\": block %u is not a quantizer page",
                                   RelationGetRelationName(index), b),
                            errhint("REINDEX INDEX %s;", RelationGetRelationName(index))));
        uint32 n = Min(HNSW_QUANT_PAGE_BYTES, mi.quant_bytes - done);
        memcpy(blob + done, PageGetContents(page), n);
        done += n;
        UnlockReleaseBuffer(buf);
    }
    return blob;
}

// Deletes the quantizer with its memory context.
static void free_quantizer(void* arg) {
    delete (Quantizer*) arg;
}

// Stored parameters, or the defaults when the build had no sample.
const Quantizer* load_quantizer(Relation index, const HnswMetaInfo& mi) {
    if (!hnsw_quantized(mi))
        return nullptr;
    uint8* blob = mi.quant_block != 0 ? read_blob(index, mi) : NULL;
    MemoryContextCallback* cb = (MemoryContextCallback*) palloc0(sizeof(MemoryContextCallback));
    Quantizer* q = nullptr;
    uint32 size = mi.quant_bytes;
    vx::quant::Encoding enc = mi.encoding;
    uint32 dims = mi.dims;
    VX_GUARD({
        if (blob) {
            q = new Quantizer(Quantizer::deserialize(blob, size));
        } else {
            std::vector<float> sample(2 * size_t(dims), 1.0f);
            std::fill(sample.begin(), sample.begin() + dims, -1.0f);
            q = new Quantizer(enc);
            q->train(sample.data(), 2, dims);
        }
    });
    if (q->encoding() != mi.encoding || q->dim() != mi.dims) {
        delete q;
        ereport(ERROR, (errcode(ERRCODE_INDEX_CORRUPTED),
                        errmsg("hnsw index \"%s\": quantizer does not match the metapage",
                               RelationGetRelationName(index)),
                        errhint("REINDEX INDEX %s;", RelationGetRelationName(index))));
    }
    cb->func = free_quantizer;
    cb->arg = q;
    MemoryContextRegisterResetCallback(CurrentMemoryContext, cb);
    if (blob)
        pfree(blob);
    return q;
}

// Consecutive new pages from `first`, exclusively written without WAL (the
// build logs every block afterwards).
BlockNumber write_quantizer_pages(Relation index, BlockNumber first, const uint8* blob, uint32 size) {
    uint32 done = 0;
    BlockNumber b = first;
    while (done < size) {
        Buffer buf = ReadBufferExtended(index, MAIN_FORKNUM, P_NEW, RBM_NORMAL, NULL);
        if (BufferGetBlockNumber(buf) != b)
            elog(ERROR, "hnsw build: expected block %u, got %u", b, BufferGetBlockNumber(buf));
        LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
        Page page = BufferGetPage(buf);
        init_page(page, HNSW_PAGE_QUANT);
        uint32 n = Min(HNSW_QUANT_PAGE_BYTES, size - done);
        memcpy(PageGetContents(page), blob + done, n);
        ((PageHeader) page)->pd_lower = (PageGetContents(page) - (char*) page) + n;
        done += n;
        MarkBufferDirty(buf);
        UnlockReleaseBuffer(buf);
        b++;
    }
    return b - first;
}

}  // namespace vx::pg::hnsw
