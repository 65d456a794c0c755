// On-page layout of a binary index (format version 1): a flat, densely packed
// array of codes that every scan reads from end to end. A POD contract: every
// struct here is written to disk as is; sizes are checked by static_assert.
//
// Blocks
//   0    metapage (BinaryMetaPageData after the page header)
//   1..  code pages (BINARY_PAGE_CODES), and (quantized indexes) quantizer
//        pages written by the build right after the metapage.
//
// Code page: no line pointers. After the page header come per_page codes of
//   code_size bytes back to back (entry i at contents + i * code_size), then
//   per_page heap TIDs (6 bytes each, entry i at contents + per_page *
//   code_size + 6 i). Entries 0..count-1 are live (count is in the special
//   area); there are no holes: VACUUM moves the last entries into the places
//   of removed ones. pd_lower is the end of the TID array, so GenericXLog's
//   delta covers the whole array area (the hole pd_lower..pd_upper is the few
//   bytes that fit no entry). Codes are contiguous so that one page is one
//   call of a batch kernel with stride code_size.
//
// Codes: at 1x the value itself (float32 for vector, int8 for bytevector,
//   packed bits for bitvector; distances are exact); above 1x a vx::quant
//   code (vector columns only; the heap holds the values, scans rescore).
//
// Metapage: magic, format version (others are refused with a REINDEX hint),
//   dims, column type, metric, mode / compression level / code encoding as the
//   options resolver chose them, code size, entries per page, the block
//   inserts append to, pages VACUUM found with room, quantizer pages.
//
// Every change after the build goes through GenericXLog; the build writes
// pages without WAL and then logs them all with log_newpage_range.
#pragma once

extern "C" {
#include "postgres.h"
#include "storage/block.h"
#include "storage/bufpage.h"
#include "storage/itemptr.h"
}

#define BINARY_MAGIC 0x4E42584Eu /* "NXBN" */
#define BINARY_FORMAT_VERSION 1        /* written by this build */
#define BINARY_OLDEST_READ_VERSION 1    /* read by this build (pg/common/format_version.h) */
#define BINARY_PAGE_ID 0xFF92
#define BINARY_METAPAGE_BLKNO 0

#define BINARY_PAGE_META 1
#define BINARY_PAGE_CODES 2
#define BINARY_PAGE_QUANT 3

#define BINARY_MAX_FREE_BLOCKS 256

/* Special area of every page. */
typedef struct BinaryPageOpaque {
    uint16 page_type; /* BINARY_PAGE_* */
    uint16 count;     /* code pages: live entries 0..count-1 */
    uint32 unused;
    uint16 unused2;
    uint16 page_id; /* BINARY_PAGE_ID, for tools */
} BinaryPageOpaque;
static_assert(sizeof(BinaryPageOpaque) == 12, "BinaryPageOpaque is on disk");

typedef struct BinaryMetaPageData {
    uint32 magic;
    uint32 version;
    uint32 dims;
    uint8 type;        /* HNSW_TYPE_* (column type, shared with hnsw) */
    uint8 metric;      /* vx::hnsw::Metric of the operator class */
    uint8 mode;        /* vx::pg::Mode */
    uint8 compression; /* vx::pg::Compression */
    uint8 encoding;    /* code encoding (0: the value itself) */
    uint8 rescore;     /* scans rescore by default */
    uint8 pad[2];
    float4 oversample;  /* resolved default oversample factor, 0: none */
    uint32 code_size;   /* bytes per code */
    uint32 per_page;    /* entries per code page */
    BlockNumber insert_block; /* where inserts append (Invalid: none yet) */
    BlockNumber quant_block;  /* first quantizer page, 0 when none */
    uint32 quant_bytes;       /* bytes of the serialized quantizer */
    uint32 pad1;
    uint64 inserted;          /* entries ever written (statistics) */
    uint32 nfree_blocks;      /* code pages VACUUM left with room */
    uint32 pad2;
    BlockNumber free_blocks[BINARY_MAX_FREE_BLOCKS];
} BinaryMetaPageData;
static_assert(sizeof(BinaryMetaPageData) == 64 + 4 * BINARY_MAX_FREE_BLOCKS,
              "BinaryMetaPageData is on disk");

#define BinaryPageGetOpaque(page) ((BinaryPageOpaque*) PageGetSpecialPointer(page))
#define BinaryPageGetMeta(page) ((BinaryMetaPageData*) PageGetContents(page))

/* Bytes of a code page for entries (codes and TIDs). */
#define BINARY_PAGE_SPACE \
    (BLCKSZ - MAXALIGN(SizeOfPageHeaderData) - MAXALIGN(sizeof(BinaryPageOpaque)))

/* Entry i's code on a code page. */
static inline uint8* BinaryPageCode(Page page, uint32 code_size, uint32 i) {
    return (uint8*) PageGetContents(page) + (size_t) i * code_size;
}
/* Where entry i's heap TID is on a code page. The TID array follows the
 * codes, so with an odd code size it starts at an odd offset, below
 * ItemPointerData's alignment: TIDs are copied in and out (BinaryGetTid,
 * BinarySetTid), never accessed in place. */
static inline char* BinaryPageTidBytes(Page page, uint32 code_size, uint32 per_page, uint32 i) {
    return (char*) PageGetContents(page) + (size_t) per_page * code_size + (size_t) i * sizeof(ItemPointerData);
}
/* Entry i's heap TID, copied out. */
static inline ItemPointerData BinaryGetTid(Page page, uint32 code_size, uint32 per_page, uint32 i) {
    ItemPointerData tid;
    memcpy(&tid, BinaryPageTidBytes(page, code_size, per_page, i), sizeof(tid));
    return tid;
}
/* Stores entry i's heap TID. */
static inline void BinarySetTid(Page page, uint32 code_size, uint32 per_page, uint32 i, const ItemPointerData* tid) {
    memcpy(BinaryPageTidBytes(page, code_size, per_page, i), tid, sizeof(*tid));
}
