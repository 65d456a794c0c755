// vector_ext_index_info for ivf and ivfflat: metapage fields, live entries,
// bytes per page kind, the distribution of list sizes and the trained
// quantizer (or PQ codebooks).
//
// One pass over the index under share locks, page by page, notes each
// posting page's entry count and next link; list sizes then follow each
// list's chain in those arrays (no page is read twice). Plain C-style code:
// ereport may longjmp anywhere.
#include "pg/ivf/ivf.h"

extern "C" {
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "utils/rel.h"
}

#include "pg/common/index_access.h"
#include "pg/common/index_info.h"

namespace vx::pg::ivf {

namespace {

/* What the pass gathers. */
struct ListPass {
    IvfMetaPageData meta;
    uint16* count;      /* per block: entries of a posting page */
    BlockNumber* next;  /* per block: next page of its list */
    bool* posting;      /* per block: a posting page */
    BlockNumber* start; /* per list: first posting page */
    BlockNumber nblocks; /* blocks the pass read (inserts may add more meanwhile) */
};

// Notes the chain heads of a list page.
void note_list_page(Page page, BlockNumber blk, const IvfMetaInfo& mi, ListPass* p) {
    OffsetNumber max = PageGetMaxOffsetNumber(page);
    for (OffsetNumber off = FirstOffsetNumber; off <= max; off++) {
        uint64 list = (uint64) (blk - IVF_FIRST_LIST_BLKNO) * mi.lists_per_page + (off - 1);
        ItemId iid = PageGetItemId(page, off);
        if (list < mi.lists && ItemIdIsUsed(iid) && ItemIdGetLength(iid) >= sizeof(IvfListTuple))
            p->start[list] = ((IvfListTuple*) PageGetItem(page, iid))->start;
    }
}

// Reads every page once: kinds, bytes, entries, links.
void read_pages(Relation index, const IvfMetaInfo& mi, IndexInfoReport* out, ListPass* p) {
    BlockNumber nblocks = RelationGetNumberOfBlocks(index);
    size_t n = Max(nblocks, 1);
    p->count = (uint16*) palloc_extended(n * sizeof(uint16), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
    p->next = (BlockNumber*) palloc_extended(n * sizeof(BlockNumber), MCXT_ALLOC_HUGE);
    p->posting = (bool*) palloc_extended(n, MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
    p->start = (BlockNumber*) palloc_extended(mi.lists * sizeof(BlockNumber), MCXT_ALLOC_HUGE);
    for (uint32 l = 0; l < mi.lists; l++)
        p->start[l] = InvalidBlockNumber;
    BufferAccessStrategy strategy = GetAccessStrategy(BAS_BULKREAD);
    for (BlockNumber b = 0; b < nblocks; b++) {
        CHECK_FOR_INTERRUPTS();
        Buffer buf = ReadBufferExtended(index, MAIN_FORKNUM, b, RBM_NORMAL, strategy);
        LockBuffer(buf, BUFFER_LOCK_SHARE);
        Page page = BufferGetPage(buf);
        const char* kind = "unused";
        if (vx::pg::page_type(page, IVF_PAGE_KIND) > 0) { /* not new, header sane */
            switch (vx::pg::page_type(page, IVF_PAGE_KIND)) {
            case IVF_PAGE_META:
                kind = "meta";
                memcpy(&p->meta, IvfPageGetMeta(page), sizeof(p->meta));
                break;
            case IVF_PAGE_LIST:
                kind = "list";
                note_list_page(page, b, mi, p);
                break;
            case IVF_PAGE_POSTING:
                kind = "posting";
                p->posting[b] = true;
                p->count[b] = PageGetMaxOffsetNumber(page);
                p->next[b] = IvfPageGetOpaque(page)->next;
                out->elements += p->count[b];
                break;
            case IVF_PAGE_QUANT:
                kind = "quantizer";
                break;
            }
        }
        UnlockReleaseBuffer(buf);
        vx::pg::index_info_add_pages(out, kind, BLCKSZ);
    }
    FreeAccessStrategy(strategy);
    p->nblocks = nblocks;
    for (BlockNumber b = 0; b < nblocks; b++)
        if (!p->posting[b])
            p->next[b] = InvalidBlockNumber;
}

// Entries of each list, by following its chain (at most nblocks steps: a
// damaged chain cannot loop forever).
void list_sizes(const IvfMetaInfo& mi, const ListPass& p, double* sizes) {
    BlockNumber nblocks = p.nblocks;
    for (uint32 l = 0; l < mi.lists; l++) {
        CHECK_FOR_INTERRUPTS();
        double n = 0;
        BlockNumber b = p.start[l];
        for (BlockNumber steps = 0; b < nblocks && p.posting[b] && steps < nblocks; steps++) {
            n += p.count[b];
            b = p.next[b];
        }
        sizes[l] = n;
    }
}

// The structure object: lists and how evenly entries spread over them.
void write_structure(const IvfMetaInfo& mi, const ListPass& p, double* sizes, StringInfo s) {
    info_json_int(s, "lists", mi.lists);
    info_json_int(s, "training_rows", p.meta.sample_rows);
    info_json_int(s, "built_rows", (int64) p.meta.built_rows);
    int64 empty = 0;
    for (uint32 l = 0; l < mi.lists; l++)
        empty += sizes[l] == 0;
    info_json_int(s, "empty_lists", empty);
    info_json_float(s, "imbalance", vx::stats::imbalance(sizes, mi.lists));
    info_json_summary(s, "list_size", vx::stats::summarize(sizes, mi.lists)); /* sorts sizes */
}

}  // namespace

// Fills the report of an ivf index.
void index_info(Relation index, vx::pg::IndexInfoReport* out) {
    IvfMetaInfo mi;
    read_meta(index, &mi);
    vx::pg::index_info_options(out, mi.mode, mi.level, mi.pq_m > 0 ? psprintf("pq%u", mi.pq_m) : vx::quant::encoding_name(mi.encoding), mi.dims, mi.oversample,
                               mi.rescore);
    ListPass p;
    memset(&p, 0, sizeof(p));
    read_pages(index, mi, out, &p);
    double* sizes = (double*) palloc_extended(Max(mi.lists, 1) * sizeof(double), MCXT_ALLOC_HUGE);
    list_sizes(mi, p, sizes);
    write_structure(mi, p, sizes, &out->structure);
    if (!ivf_quantized(mi))
        return;
    StringInfo q = &out->quantizer;
    info_json_int(q, "training_rows", p.meta.sample_rows);
    if (mi.pq_m > 0) {
        info_json_int(q, "bytes", mi.quant_bytes);
        /* The codebooks: pq_m sub-quantizers of 256 centroids (8 bits) each. */
        info_json_text(q, "encoding", "pq");
        info_json_int(q, "m", mi.pq_m);
        info_json_int(q, "nbits", 8);
        info_json_int(q, "centroids_per_subquantizer", 256);
        info_json_int(q, "sub_dimensions", mi.dims / mi.pq_m);
        info_json_bool(q, "residual", false);
        return;
    }
    vx::pg::info_json_quantizer(q, codec_quantizer(codec_load(index, mi)), true, mi.quant_bytes);
}

}  // namespace vx::pg::ivf
