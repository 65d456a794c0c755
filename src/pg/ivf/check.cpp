// ivf part of vector_ext_index_check: every page against the layout of page.h.
// The metapage's sizes must agree with each other; list pages hold exactly
// `lists` list tuples; every list's chain runs over posting pages (no page in
// two chains, no cycle, the insert block on the chain) whose entries all have
// the index's entry size; every posting page belongs to a chain; the
// quantizer pages hold a blob the codec reads back. Errors name block and
// offset.
//
// Plain C-style code (no C++ objects alive): ereport may longjmp anywhere.
#include "pg/ivf/ivf.h"

extern "C" {
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "utils/memutils.h"
#include "utils/rel.h"
}

namespace vx::pg::ivf {

#define CORRUPT(index, blk, off, ...)                                                                   \
    ereport(ERROR, (errcode(ERRCODE_INDEX_CORRUPTED),                                                 \
                    errmsg("ivf index \"%s\" is corrupt at block %u, offset %u", RelationGetRelationName(index), \
                           (unsigned) (blk), (unsigned) (off)),                                        \
                    errdetail(__VA_ARGS__), errhint("REINDEX INDEX %s;", RelationGetRelationName(index))))

// A page of the expected type, share-locked (the caller releases it).
static Buffer read_page(Relation index, BlockNumber blk, uint16 type, BufferAccessStrategy strategy) {
    Buffer buf = ReadBufferExtended(index, MAIN_FORKNUM, blk, RBM_NORMAL, strategy);
    LockBuffer(buf, BUFFER_LOCK_SHARE);
    Page page = BufferGetPage(buf);
    if (PageIsNew(page) || PageGetSpecialSize(page) != MAXALIGN(sizeof(IvfPageOpaque)) ||
        IvfPageGetOpaque(page)->page_id != IVF_PAGE_ID || IvfPageGetOpaque(page)->page_type != type) {
        uint16 got = PageIsNew(page) ? 0 : IvfPageGetOpaque(page)->page_type;
        UnlockReleaseBuffer(buf);
        CORRUPT(index, blk, 0, "Expected a page of type %u, found type %u.", type, got);
    }
    return buf;
}

// The metapage: sizes that agree with each other.
static void check_metapage(Relation index, const IvfMetaInfo& mi, BlockNumber nblocks) {
    /* check_meta (read_meta) checked the sizes against each other. */
    if (IVF_FIRST_LIST_BLKNO + mi.n_list_blocks > nblocks)
        CORRUPT(index, 0, 0, "%u list pages of %u tuples for %u lists do not fit the index of %u blocks.",
                mi.n_list_blocks, mi.lists_per_page, mi.lists, nblocks);
    if (ivf_quantized(mi) && (mi.quant_block <= mi.n_list_blocks || mi.quant_block >= nblocks || mi.quant_bytes == 0))
        CORRUPT(index, 0, 0, "quantizer pages at block %u (%u bytes) are not within the index.", mi.quant_block,
                mi.quant_bytes);
}

// Verifies the index; appends the TIDs of its entries to live.
void check_index(Relation index, vx::pg::TidList* live) {
    IvfMetaInfo mi;
    read_meta(index, &mi);
    BlockNumber nblocks = RelationGetNumberOfBlocks(index);
    check_metapage(index, mi, nblocks);
    BufferAccessStrategy strategy = GetAccessStrategy(BAS_BULKREAD);
    uint8* kind = (uint8*) palloc0(nblocks); /* page type seen per block (0: not reached) */
    kind[IVF_METAPAGE_BLKNO] = IVF_PAGE_META;

    /* Quantizer pages, and the blob they hold must load. */
    if (ivf_quantized(mi)) {
        const uint32 per = (uint32) (BLCKSZ - MAXALIGN(SizeOfPageHeaderData) - MAXALIGN(sizeof(IvfPageOpaque)));
        BlockNumber n = (mi.quant_bytes + per - 1) / per;
        if (mi.quant_block + n > nblocks)
            CORRUPT(index, mi.quant_block, 0, "%u quantizer pages run past the end of the index.", n);
        for (BlockNumber b = mi.quant_block; b < mi.quant_block + n; b++) {
            UnlockReleaseBuffer(read_page(index, b, IVF_PAGE_QUANT, strategy));
            kind[b] = IVF_PAGE_QUANT;
        }
        codec_load(index, mi);
    }

    /* List pages and chains. */
    uint32 k = 0;
    for (BlockNumber lb = 0; lb < mi.n_list_blocks; lb++) {
        BlockNumber lblk = IVF_FIRST_LIST_BLKNO + lb;
        Buffer lbuf = read_page(index, lblk, IVF_PAGE_LIST, strategy);
        kind[lblk] = IVF_PAGE_LIST;
        Page lpage = BufferGetPage(lbuf);
        OffsetNumber lmax = PageGetMaxOffsetNumber(lpage);
        uint32 expect = Min(mi.lists_per_page, mi.lists - lb * mi.lists_per_page);
        if (lmax != expect) {
            UnlockReleaseBuffer(lbuf);
            CORRUPT(index, lblk, 0, "The list page holds %u list tuples, not %u.", lmax, expect);
        }
        BlockNumber* start = (BlockNumber*) palloc(sizeof(BlockNumber) * lmax);
        BlockNumber* insert = (BlockNumber*) palloc(sizeof(BlockNumber) * lmax);
        for (OffsetNumber off = FirstOffsetNumber; off <= lmax; off++) {
            ItemId iid = PageGetItemId(lpage, off);
            if (!ItemIdIsNormal(iid) || ItemIdGetLength(iid) != sizeof(IvfListTuple) + mi.centroid_size) {
                UnlockReleaseBuffer(lbuf);
                CORRUPT(index, lblk, off, "A list tuple has length %u, not %u.", ItemIdGetLength(iid),
                        (unsigned) (sizeof(IvfListTuple) + mi.centroid_size));
            }
            IvfListTuple* t = (IvfListTuple*) PageGetItem(lpage, iid);
            start[off - 1] = t->start;
            insert[off - 1] = t->insert;
        }
        UnlockReleaseBuffer(lbuf);
        for (OffsetNumber off = FirstOffsetNumber; off <= lmax; off++, k++) {
            bool insert_seen = insert[off - 1] == InvalidBlockNumber;
            for (BlockNumber blk = start[off - 1]; blk != InvalidBlockNumber;) {
                CHECK_FOR_INTERRUPTS();
                if (blk <= mi.n_list_blocks || blk >= nblocks)
                    CORRUPT(index, lblk, off, "List %u links block %u, outside the posting pages.", k, blk);
                if (kind[blk] != 0)
                    CORRUPT(index, blk, 0, "Block %u is reached twice (list %u).", blk, k);
                Buffer buf = read_page(index, blk, IVF_PAGE_POSTING, strategy);
                kind[blk] = IVF_PAGE_POSTING;
                insert_seen |= blk == insert[off - 1];
                Page page = BufferGetPage(buf);
                OffsetNumber max = PageGetMaxOffsetNumber(page);
                for (OffsetNumber o = FirstOffsetNumber; o <= max; o++) {
                    ItemId iid = PageGetItemId(page, o);
                    if (!ItemIdIsNormal(iid) || ItemIdGetLength(iid) != mi.entry_size) {
                        UnlockReleaseBuffer(buf);
                        CORRUPT(index, blk, o, "An entry has length %u, not %u.", ItemIdGetLength(iid), mi.entry_size);
                    }
                    IvfEntry* e = (IvfEntry*) PageGetItem(page, iid);
                    if (!ItemPointerIsValid(&e->heaptid)) {
                        UnlockReleaseBuffer(buf);
                        CORRUPT(index, blk, o, "An entry has an invalid heap TID.");
                    }
                    live->add(&e->heaptid);
                }
                BlockNumber next = IvfPageGetOpaque(page)->next;
                UnlockReleaseBuffer(buf);
                blk = next;
            }
            if (!insert_seen)
                CORRUPT(index, lblk, off, "The insert block %u of list %u is not on its chain.", insert[off - 1], k);
        }
        pfree(start);
        pfree(insert);
    }

    /* Every other page is unused space (a new page an interrupted insert left). */
    for (BlockNumber b = 0; b < nblocks; b++) {
        if (kind[b] != 0)
            continue;
        CHECK_FOR_INTERRUPTS();
        Buffer buf = ReadBufferExtended(index, MAIN_FORKNUM, b, RBM_NORMAL, strategy);
        LockBuffer(buf, BUFFER_LOCK_SHARE);
        bool isnew = PageIsNew(BufferGetPage(buf));
        UnlockReleaseBuffer(buf);
        if (!isnew)
            CORRUPT(index, b, 0, "Block %u is not the metapage, a list, posting or quantizer page, and not new.", b);
    }
    FreeAccessStrategy(strategy);
    pfree(kind);
}

// Whether a non-NULL value gets an entry (cosine skips zero vectors).
bool indexable(Relation index, Datum value) {
    IvfMetaInfo mi;
    read_meta(index, &mi);
    uint8* code = (uint8*) palloc(vx::pg::hnsw::code_size_of(mi.kind, mi.dims));
    bool ok = vx::pg::hnsw::value_to_code(mi.kind, mi.dims, value, code);
    pfree(code);
    return ok;
}

}  // namespace vx::pg::ivf
