// Quantizer parameters in index pages (see quant_pages.h).
//
// C++ / PostgreSQL: pages are read into palloc'd bytes first; the Quantizer is
// built inside VX_GUARD and owned by a memory context reset callback (STYLE 4,
// way (a)).
#include "pg/common/quant_pages.h"

extern "C" {
#include "storage/bufmgr.h"
#include "storage/bufpage.h"
#include "utils/memutils.h"
#include "utils/rel.h"
}

#include <algorithm>
#include <vector>

#include "pg/common/error_bridge.h"
#include "pg/common/page_check.h"

namespace vx::pg {

using vx::quant::Quantizer;

// Bytes of blob per quantizer page.
uint32 quant_page_bytes(uint32 special) {
    return (uint32) (BLCKSZ - MAXALIGN(SizeOfPageHeaderData) - MAXALIGN(special));
}

// Serialized parameters from the quantizer pages (palloc'd).
uint8* read_quantizer_blob(Relation index, BlockNumber first, uint32 size, uint16 page_type,
                           uint32 special, uint32 type_offset) {
    uint8* blob = (uint8*) palloc(size);
    uint32 done = 0, per_page = quant_page_bytes(special);
    for (BlockNumber b = first; done < size; b++) {
        Buffer buf = ReadBuffer(index, b);
        LockBuffer(buf, BUFFER_LOCK_SHARE);
        Page page = BufferGetPage(buf);
        if (page_problem(page, PageKind{special, type_offset}, page_type))
            ereport(ERROR, (errcode(ERRCODE_INDEX_CORRUPTED),
                            errmsg("index \"%s\": block %u is not a quantizer page",
                                   RelationGetRelationName(index), b),
                            errhint("REINDEX INDEX %s;", RelationGetRelationName(index))));
        uint32 n = Min(per_page, size - done);
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
const Quantizer* load_quantizer_pages(Relation index, BlockNumber first, uint32 size, uint16 page_type,
                                      uint32 special, vx::quant::Encoding encoding, uint32 dims) {
    uint8* blob = first != 0 ? read_quantizer_blob(index, first, size, page_type, special, 0) : NULL;
    MemoryContextCallback* cb = (MemoryContextCallback*) palloc0(sizeof(MemoryContextCallback));
    Quantizer* q = nullptr;
    VX_GUARD({
        if (blob) {
            q = new Quantizer(Quantizer::deserialize(blob, size));
        } else {
            std::vector<float> sample(2 * size_t(dims), 1.0f);
            std::fill(sample.begin(), sample.begin() + dims, -1.0f);
            q = new Quantizer(encoding);
            q->train(sample.data(), 2, dims);
        }
    });
    if (q->encoding() != encoding || q->dim() != dims) {
        delete q;
        ereport(ERROR, (errcode(ERRCODE_INDEX_CORRUPTED),
                        errmsg("index \"%s\": quantizer does not match the metapage",
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

// Consecutive new pages from `first`, written without WAL (the build logs
// every block afterwards).
BlockNumber write_quantizer_pages(Relation index, BlockNumber first, const uint8* blob, uint32 size,
                                  void (*init_page)(Page page), uint32 special) {
    uint32 done = 0, per_page = quant_page_bytes(special);
    BlockNumber b = first;
    while (done < size) {
        Buffer buf = ReadBufferExtended(index, MAIN_FORKNUM, P_NEW, RBM_NORMAL, NULL);
        if (BufferGetBlockNumber(buf) != b)
            elog(ERROR, "index build: expected block %u, got %u", b, BufferGetBlockNumber(buf));
        LockBuffer(buf, BUFFER_LOCK_EXCLUSIVE);
        Page page = BufferGetPage(buf);
        init_page(page);
        uint32 n = Min(per_page, size - done);
        memcpy(PageGetContents(page), blob + done, n);
        ((PageHeader) page)->pd_lower = (PageGetContents(page) - (char*) page) + n;
        done += n;
        MarkBufferDirty(buf);
        UnlockReleaseBuffer(buf);
        b++;
    }
    return b - first;
}

}  // namespace vx::pg
