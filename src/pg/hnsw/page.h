// On-page layout of an hnsw index (format version 1). A POD contract: every
// struct here is written to disk as is; sizes are checked by static_assert.
//
// Blocks
//   0          metapage (HnswMetaPageData after the page header)
//   1..        element pages and upper-layer pages, interleaved as the index
//              grows; the special area (HnswPageOpaque) says which kind.
//
// Element ids
//   An element lives in a fixed-size slot (one line pointer, item of
//   slot_size bytes) on an element page. Its id is
//       id = block * per_page + (offset - 1)
//   so neighbour lists hold 4-byte ids, not 6-byte TIDs, the block of an id is
//   one division away, and a scan's visited set is an array indexed by id (ids
//   of blocks that are not element pages are simply never used). A build puts
//   the elements on blocks 1.. in breadth-first order of the layer-0 graph
//   from the entry point, so neighbours tend to share pages; upper pages follow.
//   Element slots are added to a page in order and never removed, so slot k
//   of an element page sits k * MAXALIGN(slot_size) below the special area
//   (PageReader::slot_at relies on it).
//
// Element slot (HnswElementSlot, then 2m layer-0 neighbour ids, then the code)
//   heap TID, level, flags (deleted / free), layer-0 neighbour count, where the
//   upper-layer lists are (block/offset of an HnswUpperTuple, only for level>0),
//   uint32 nbrs[2m], code[code_size]. The code's encoding comes from the
//   compression level in the metapage; at 1x it is the value itself (float32
//   for vector, int8 for bytevector, packed bits for bitvector), so distances
//   to codes are exact. Above 1x it is a vx::quant code (f16, sq8, sq4, sq2,
//   bq1) and the full value exists only in the heap (scans rescore from it).
//
// Quantizer pages (HNSW_PAGE_QUANT): the trained parameters of a quantized
//   index (vx::quant::Quantizer::serialize, e.g. 6 KB for sq8 at 768 dims)
//   as raw bytes between the page header and pd_lower, over quant_npages
//   consecutive blocks starting at quant_block, written once by the build.
//   quant_block 0 (never a quantizer page) means none: a 1x index, or an
//   index built on an empty table, whose inserts use default parameters
//   (ranges [-1, 1], threshold 0; see quant.cpp).
//
// Upper-layer tuple (HnswUpperTuple), variable size, on upper pages:
//   owner id, level L, then for l = 1..L: uint32 count, uint32 ids[m].
//   Its size is fixed by the owner's level, so it is updated in place.
//
// Slot states: live -> deleted (VACUUM saw its heap tuple dead; still a graph
// node until lists are repaired) -> free (no list points at it; an insert may
// reuse it, and its upper tuple when the new level is not higher). Pages with
// free slots are listed in the metapage (free_blocks); when VACUUM frees more
// pages than fit, free_cursor is where inserts scan on for more.
//
// Metapage: magic, format version (others are refused with a REINDEX hint),
// dims, column type, metric, mode / compression level / code encoding as the
// options resolver chose them, m, ef_construction, code/slot sizes, slots per
// page, entry point and its level, insert hints (last element and upper
// page), the free-page list, and room for trained quantizer parameters.
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

#include <cstdint>

#define HNSW_MAGIC 0x48584E56u /* "VNXH" */
#define HNSW_FORMAT_VERSION 1        /* written by this build */
#define HNSW_OLDEST_READ_VERSION 1    /* read by this build (pg/common/format_version.h) */
#define HNSW_PAGE_ID 0xFF91
#define HNSW_METAPAGE_BLKNO 0
/* LockPage() tag for the index-wide update lock (share: insert; exclusive:
 * entry point change, vacuum repair). Not a real block: a lock tag only. */
#define HNSW_UPDATE_LOCK 0

#define HNSW_PAGE_META 1
#define HNSW_PAGE_ELEMENT 2
#define HNSW_PAGE_UPPER 3
#define HNSW_PAGE_QUANT 4

#define HNSW_SLOT_DELETED 0x01
#define HNSW_SLOT_FREE 0x02

#define HNSW_NO_ELEMENT 0xFFFFFFFFu
#define HNSW_MAX_FREE_BLOCKS 256
#define HNSW_QUANTIZER_BYTES 2048

/* Column type of the indexed column. */
#define HNSW_TYPE_VECTOR 1
#define HNSW_TYPE_BYTEVECTOR 2
#define HNSW_TYPE_BITVECTOR 3

/* Special area of every page. */
typedef struct HnswPageOpaque {
    uint16 page_type; /* HNSW_PAGE_* */
    uint16 nfree;     /* element pages: free slots (hint) */
    uint32 unused;
    uint16 unused2;
    uint16 page_id; /* HNSW_PAGE_ID, for tools */
} HnswPageOpaque;
static_assert(sizeof(HnswPageOpaque) == 12, "HnswPageOpaque is on disk");

typedef struct HnswMetaPageData {
    uint32 magic;
    uint32 version;
    uint32 dims;
    uint8 type;        /* HNSW_TYPE_* */
    uint8 metric;      /* vx::hnsw::Metric of the operator class */
    uint8 mode;        /* vx::pg::Mode */
    uint8 compression; /* vx::pg::Compression */
    uint8 encoding;    /* vx::quant::Encoding of the codes */
    uint8 pad[3];
    uint16 m;
    uint16 ef_construction;
    uint32 code_size; /* bytes per code */
    uint32 slot_size; /* bytes per element slot (item size) */
    uint32 per_page;  /* element slots per element page */
    uint32 entry_point; /* element id or HNSW_NO_ELEMENT */
    int32 max_level;    /* level of the entry point, -1 when empty */
    uint64 inserted;    /* elements ever written (statistics) */
    BlockNumber last_element_block; /* where inserts append (Invalid: none yet) */
    BlockNumber last_upper_block;
    uint32 nfree_blocks; /* element pages known to hold free slots */
    BlockNumber free_cursor; /* when free_blocks overflowed: first page to scan
                              * for more free slots (Invalid: none) */
    BlockNumber free_blocks[HNSW_MAX_FREE_BLOCKS];
    /* Quantized codes (zero for 1x indexes written before they existed). */
    BlockNumber quant_block; /* first quantizer page, 0 when none */
    uint32 quant_bytes;      /* bytes of the serialized quantizer */
    float4 oversample;       /* resolved default oversample factor, 0: none */
    uint8 rescore;           /* scans rescore by default */
    uint8 pad2[3];
    uint8 reserved[HNSW_QUANTIZER_BYTES - 16];
} HnswMetaPageData;
static_assert(sizeof(HnswMetaPageData) == 72 + 4 * HNSW_MAX_FREE_BLOCKS + HNSW_QUANTIZER_BYTES,
              "HnswMetaPageData is on disk");

typedef struct HnswElementSlot {
    ItemPointerData heaptid; /* 6 bytes */
    uint8 level;
    uint8 flags;        /* HNSW_SLOT_* */
    uint16 count0;      /* layer-0 neighbours in use */
    OffsetNumber upper_off; /* HnswUpperTuple, when level > 0 */
    BlockNumber upper_blk;
    /* uint32 nbrs[2 * m]; uint8 code[code_size]; */
} HnswElementSlot;
static_assert(sizeof(HnswElementSlot) == 16, "HnswElementSlot is on disk");

typedef struct HnswUpperTuple {
    uint32 owner;
    uint8 level;
    uint8 pad[3];
    /* for l = 1..level: uint32 count; uint32 ids[m]; */
} HnswUpperTuple;
static_assert(sizeof(HnswUpperTuple) == 8, "HnswUpperTuple is on disk");

#define HnswPageGetOpaque(page) ((HnswPageOpaque*) PageGetSpecialPointer(page))
#define HnswPageGetMeta(page) ((HnswMetaPageData*) PageGetContents(page))

/* Layer-0 neighbour ids of a slot. */
static inline uint32* HnswSlotNbrs(HnswElementSlot* s) { return (uint32*) (s + 1); }
/* The code of a slot (m: the index's m). */
static inline uint8* HnswSlotCode(HnswElementSlot* s, int m) {
    return (uint8*) (HnswSlotNbrs(s) + 2 * m);
}
/* Bytes of a slot holding 2m ids and a code. */
static inline uint32 HnswSlotSize(int m, uint32 code_size) {
    return (uint32) (sizeof(HnswElementSlot) + sizeof(uint32) * 2 * m + code_size);
}
/* Bytes of an upper tuple for an element of this level. */
static inline uint32 HnswUpperSize(int m, int level) {
    return (uint32) (sizeof(HnswUpperTuple) + (size_t) level * (1 + m) * sizeof(uint32));
}
/* [count, ids...] of layer `level` (>= 1) in an upper tuple. */
static inline uint32* HnswUpperList(HnswUpperTuple* t, int m, int level) {
    return (uint32*) (t + 1) + (size_t) (level - 1) * (1 + m);
}
/* Usable bytes on a page for items and line pointers. */
#define HNSW_PAGE_SPACE (BLCKSZ - MAXALIGN(SizeOfPageHeaderData) - MAXALIGN(sizeof(HnswPageOpaque)))
