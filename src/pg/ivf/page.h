// On-page layout of an ivf index (format version 1). A POD contract: every
// struct here is written to disk as is; sizes are checked by static_assert.
//
// Blocks
//   0                      metapage (IvfMetaPageData after the page header)
//   1 .. n_list_blocks     list pages: one IvfListTuple per list, list k at
//                          block 1 + k / lists_per_page, offset k % lists_per_page + 1
//   then                   posting pages; each list is a chain linked by
//                          IvfPageOpaque.next, from IvfListTuple.start. A build
//                          writes each chain on consecutive blocks; inserts
//                          append to the chain (new pages at the end of the index).
//
// List tuple: start and insert blocks of the chain (InvalidBlockNumber: the
// list has no page yet), then the centroid: dims float32 for vector and
// bytevector columns, packed bits (nbytes) for bitvector columns.
//
// Posting entry (IvfEntry, then the code): heap TID, 2 bytes padding so the
// code is 8-byte aligned, code[code_size]. Entries have a
// fixed size per index; VACUUM deletes dead ones with PageIndexMultiDelete and
// points the list's insert block back at the first page with room, so space
// is reused.
//
// Posting codes are the value itself at 1x (and for bytevector / bitvector
// columns), a quantizer's code at 2x..32x (vx::quant, trained at build), or M
// PQ bytes with pq_m = M (vx::ivf::PqCodec, on unit vectors for cosine). The
// serialized quantizer / codebooks sit on quantizer pages (the blob in
// consecutive pages from quant_block, written after the build's posting pages).
//
// Metapage: magic, format version (others are refused with a REINDEX hint),
// dims, column type, value metric, centroid rule, flavor (ivf / ivfflat), mode
// / compression / encoding and rescoring defaults as the options resolver
// chose them, pq_m, list count, sizes, quantizer pages, a random build id.
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

#define IVF_MAGIC 0x46564956u /* "VIVF" */
#define IVF_FORMAT_VERSION 1        /* written by this build */
#define IVF_OLDEST_READ_VERSION 1    /* read by this build (pg/common/format_version.h) */
#define IVF_PAGE_ID 0xFF92
#define IVF_METAPAGE_BLKNO 0
#define IVF_FIRST_LIST_BLKNO 1

#define IVF_PAGE_META 1
#define IVF_PAGE_LIST 2
#define IVF_PAGE_POSTING 3
#define IVF_PAGE_QUANT 4

#define IVF_FLAVOR_IVF 0
#define IVF_FLAVOR_IVFFLAT 1

/* How centroids are compared (vx::ivf::Metric values, or binary). */
#define IVF_CENTROID_BINARY 255

/* Special area of every page. */
typedef struct IvfPageOpaque {
    BlockNumber next;  /* posting pages: next page of the list, or Invalid */
    uint16 page_type;  /* IVF_PAGE_* */
    uint16 unused;
    uint16 unused2;
    uint16 page_id;    /* IVF_PAGE_ID, for tools */
} IvfPageOpaque;
static_assert(sizeof(IvfPageOpaque) == 12, "IvfPageOpaque is on disk");

typedef struct IvfMetaPageData {
    uint32 magic;
    uint32 version;
    uint32 dims;
    uint8 type;        /* HNSW_TYPE_* (column type, shared numbering) */
    uint8 metric;      /* vx::hnsw::Metric between a query and a full value */
    uint8 centroid;    /* vx::ivf::Metric, or IVF_CENTROID_BINARY */
    uint8 flavor;      /* IVF_FLAVOR_* */
    uint8 mode;        /* vx::pg::Mode */
    uint8 compression; /* vx::pg::Compression */
    uint8 encoding;    /* vx::quant::Encoding of the codes (f32: the value itself) */
    uint8 rescore;     /* scans rescore by default */
    uint32 lists;          /* number of lists (>= 1) */
    uint32 lists_per_page; /* list tuples per list page */
    uint32 n_list_blocks;  /* list pages, from block 1 */
    uint32 centroid_size;  /* bytes of a centroid */
    uint32 code_size;      /* bytes per code */
    uint32 entry_size;     /* bytes per posting entry (item size) */
    uint32 sample_rows;    /* rows k-means trained on (statistics) */
    uint32 quant_bytes;    /* serialized quantizer / PQ codebooks (0: none) */
    BlockNumber quant_block; /* first quantizer page (0: none) */
    uint16 pq_m;           /* product quantization sub-quantizers (0: none) */
    uint16 pad;
    float4 oversample;     /* default oversample factor (0: none) */
    uint64 built_rows;     /* rows written by the build (statistics) */
    uint64 build_id;       /* random per build: keys backends' centroid caches */
} IvfMetaPageData;
static_assert(sizeof(IvfMetaPageData) == 80, "IvfMetaPageData is on disk");

typedef struct IvfListTuple {
    BlockNumber start;  /* first posting page, or Invalid */
    BlockNumber insert; /* where inserts try first, or Invalid */
    uint32 unused[2];
    /* centroid[centroid_size] */
} IvfListTuple;
static_assert(sizeof(IvfListTuple) == 16, "IvfListTuple is on disk");

typedef struct IvfEntry {
    ItemPointerData heaptid; /* 6 bytes */
    uint16 unused;
    /* code[code_size] */
} IvfEntry;
static_assert(sizeof(IvfEntry) == 8, "IvfEntry is on disk");

#define IvfPageGetOpaque(page) ((IvfPageOpaque*) PageGetSpecialPointer(page))
#define IvfPageGetMeta(page) ((IvfMetaPageData*) PageGetContents(page))
static inline uint8* IvfListCentroid(IvfListTuple* t) { return (uint8*) (t + 1); }
static inline uint8* IvfEntryCode(IvfEntry* e) { return (uint8*) (e + 1); }

/* Usable bytes on a page for items and line pointers. */
#define IVF_PAGE_SPACE (BLCKSZ - MAXALIGN(SizeOfPageHeaderData) - MAXALIGN(sizeof(IvfPageOpaque)))
