// Index inspection for binary: vector_ext_index_info's report and
// vector_ext_index_check's verification (metapage, every page's type and
// entry count, free list and insert block, heap TIDs of live entries).
// Plain C-style code (no C++ objects alive): ereport may longjmp anywhere.
#include "pg/binary/binary.h"

extern "C" {
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "utils/rel.h"
}

#include "pg/common/index_access.h"
#include "pg/common/index_info.h"
#include "pg/common/quant_pages.h"

#define BINARY_CORRUPT(index, blk, ...)                                                            \
    ereport(ERROR, (errcode(ERRCODE_INDEX_CORRUPTED),                                              \
                    errmsg("binary index \"%s\" is corrupt at block %u", RelationGetRelationName(index), \
                           (unsigned) (blk)),                                                      \
                    errdetail(__VA_ARGS__), errhint("REINDEX INDEX %s;", RelationGetRelationName(index))))

namespace vx::pg::binary {

// Page type of a page, 0 for new pages.
static uint16 page_type_of(Page page) {
    return PageIsNew(page) ? 0 : BinaryPageGetOpaque(page)->page_type;
}

// Fills the report of a binary index: pages, entries, how full the code
// pages are, and the trained quantizer.
void index_info(Relation index, vx::pg::IndexInfoReport* out) {
    BinaryMetaInfo mi;
    read_meta(index, &mi);
    vx::pg::index_info_options(out, mi.mode, mi.level, vx::quant::encoding_name(mi.encoding), mi.dims, mi.oversample,
                               mi.rescore);
    BinaryMetaPageData meta;
    memset(&meta, 0, sizeof(meta));
    int64 code_pages = 0;
    BlockNumber nblocks = RelationGetNumberOfBlocks(index);
    BufferAccessStrategy strategy = GetAccessStrategy(BAS_BULKREAD);
    for (BlockNumber b = 0; b < nblocks; b++) {
        CHECK_FOR_INTERRUPTS();
        Buffer buf = ReadBufferExtended(index, MAIN_FORKNUM, b, RBM_NORMAL, strategy);
        LockBuffer(buf, BUFFER_LOCK_SHARE);
        Page page = BufferGetPage(buf);
        const char* kind = "unused";
        switch (page_type_of(page)) {
        case BINARY_PAGE_META:
            kind = "meta";
            memcpy(&meta, BinaryPageGetMeta(page), sizeof(meta));
            break;
        case BINARY_PAGE_CODES:
            kind = "codes";
            code_pages++;
            out->elements += BinaryPageGetOpaque(page)->count;
            break;
        case BINARY_PAGE_QUANT:
            kind = "quantizer";
            break;
        }
        UnlockReleaseBuffer(buf);
        vx::pg::index_info_add_pages(out, kind, BLCKSZ);
    }
    FreeAccessStrategy(strategy);
    StringInfo s = &out->structure;
    vx::pg::info_json_int(s, "code_bytes", mi.code_size);
    vx::pg::info_json_int(s, "entries_per_page", mi.per_page);
    vx::pg::info_json_int(s, "code_pages", code_pages);
    vx::pg::info_json_float(s, "fill", code_pages ? (double) out->elements / ((double) code_pages * mi.per_page) : 0);
    vx::pg::info_json_int(s, "pages_with_room", meta.nfree_blocks);
    vx::pg::info_json_int(s, "inserted", (int64) meta.inserted);
    if (binary_quantized(mi)) {
        vx::pg::info_json_quantizer(&out->quantizer, load_quantizer(index, mi), mi.quant_block != 0, mi.quant_bytes);
    }
}

// Verifies the index; appends the heap TIDs of live entries.
void check_index(Relation index, vx::pg::TidList* live) {
    BlockNumber nblocks = RelationGetNumberOfBlocks(index);
    if (nblocks == 0)
        BINARY_CORRUPT(index, 0, "The index has no metapage.");
    BufferAccessStrategy strategy = GetAccessStrategy(BAS_BULKREAD);
    Buffer buf = ReadBufferExtended(index, MAIN_FORKNUM, BINARY_METAPAGE_BLKNO, RBM_NORMAL, strategy);
    LockBuffer(buf, BUFFER_LOCK_SHARE);
    Page page = BufferGetPage(buf);
    if (PageGetSpecialSize(page) != MAXALIGN(sizeof(BinaryPageOpaque)) || page_type_of(page) != BINARY_PAGE_META)
        BINARY_CORRUPT(index, 0, "The metapage is not a binary metapage.");
    BinaryMetaPageData meta;
    memcpy(&meta, BinaryPageGetMeta(page), sizeof(meta));
    UnlockReleaseBuffer(buf);
    check_meta(index, &meta);
    if (meta.dims < 1 || meta.dims > 64000 || meta.type < HNSW_TYPE_VECTOR || meta.type > HNSW_TYPE_BITVECTOR)
        BINARY_CORRUPT(index, 0, "Column type %u with %u dimensions is not possible.", meta.type, meta.dims);
    if (meta.code_size == 0 || meta.per_page != entries_per_page(meta.code_size))
        BINARY_CORRUPT(index, 0, "Code size %u and %u entries per page do not agree.", meta.code_size, meta.per_page);
    if (meta.nfree_blocks > BINARY_MAX_FREE_BLOCKS)
        BINARY_CORRUPT(index, 0, "The free list holds %u pages (at most %d).", meta.nfree_blocks, BINARY_MAX_FREE_BLOCKS);
    for (BlockNumber b = 1; b < nblocks; b++) {
        CHECK_FOR_INTERRUPTS();
        buf = ReadBufferExtended(index, MAIN_FORKNUM, b, RBM_NORMAL, strategy);
        LockBuffer(buf, BUFFER_LOCK_SHARE);
        page = BufferGetPage(buf);
        uint16 type = page_type_of(page);
        if (type != 0 && PageGetSpecialSize(page) != MAXALIGN(sizeof(BinaryPageOpaque)))
            BINARY_CORRUPT(index, b, "The special area has %u bytes.", (unsigned) PageGetSpecialSize(page));
        bool in_quant = meta.quant_block != 0 && b >= meta.quant_block &&
                        (uint64) (b - meta.quant_block) * vx::pg::quant_page_bytes(sizeof(BinaryPageOpaque)) < meta.quant_bytes;
        if (in_quant != (type == BINARY_PAGE_QUANT))
            BINARY_CORRUPT(index, b, "Page type %u where the metapage %s quantizer page.", type,
                           in_quant ? "places a" : "places no");
        if (type == BINARY_PAGE_CODES) {
            uint32 count = BinaryPageGetOpaque(page)->count;
            if (count > meta.per_page)
                BINARY_CORRUPT(index, b, "The page holds %u entries (at most %u).", count, meta.per_page);
            for (uint32 i = 0; i < count; i++) {
                ItemPointerData tid = BinaryGetTid(page, meta.code_size, meta.per_page, i);
                if (!ItemPointerIsValid(&tid))
                    BINARY_CORRUPT(index, b, "Entry %u has an invalid heap TID.", i);
                live->add(&tid);
            }
        } else if (type != 0 && type != BINARY_PAGE_QUANT) {
            BINARY_CORRUPT(index, b, "Unknown page type %u.", type);
        }
        UnlockReleaseBuffer(buf);
    }
    bool insert_ok = meta.insert_block == InvalidBlockNumber || (meta.insert_block > 0 && meta.insert_block < nblocks);
    for (uint32 i = 0; i < meta.nfree_blocks && insert_ok; i++)
        insert_ok = meta.free_blocks[i] > 0 && meta.free_blocks[i] < nblocks;
    if (!insert_ok)
        BINARY_CORRUPT(index, 0, "The insert block or the free list points past the end of the index.");
    FreeAccessStrategy(strategy);
}

// Whether a value gets an entry: cosine skips zero vectors.
bool indexable(Relation index, Datum value) {
    BinaryMetaInfo mi;
    read_meta(index, &mi);
    uint8* code = (uint8*) palloc(mi.value_size);
    bool ok = vx::pg::hnsw::value_to_code(mi.kind, mi.dims, value, code);
    pfree(code);
    return ok;
}

}  // namespace vx::pg::binary
