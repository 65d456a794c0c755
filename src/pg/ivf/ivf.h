// Internal interface of the ivf access method and its ivfflat name (src/pg/ivf/*.cpp).
//
// ivf and ivfflat share every callback; they differ in their reloptions
// (ivfflat: lists only, always 1x), their GUCs (ivf.* / ivfflat.*) and the
// flavor byte the build stores in the metapage, which scans read.
#pragma once

extern "C" {
#include "postgres.h"
#include "access/amapi.h"
#include "access/genam.h"
#include "nodes/execnodes.h"
#include "storage/bufmgr.h"
#include "utils/relcache.h"
}

#include "core/ivf/kmeans.h"
#include "core/quant/encoding.h"
#include "pg/common/index_access.h"
#include "pg/common/options.h"
#include "pg/common/scan_stats.h"
#include "pg/common/page_check.h"
#include "pg/hnsw/hnsw.h"
#include "pg/ivf/page.h"

/* Page kind of this access method for the page checks (page_check.h). */
#define IVF_PAGE_KIND (vx::pg::PageKind{sizeof(IvfPageOpaque), offsetof(IvfPageOpaque, page_type)})

#define IVF_DISTANCE_PROC 1
#define IVF_NORM_PROC 2

#define IVF_MIN_LISTS 1
#define IVF_MAX_LISTS 32768
#define IVF_DEFAULT_PROBES 10
#define IVFFLAT_DEFAULT_PROBES 1

/* ivf.iterative_scan / ivfflat.iterative_scan */
#define IVF_ITERATIVE_OFF 0
#define IVF_ITERATIVE_RELAXED 1
#define IVF_ITERATIVE_STRICT 2

/* Settings of one flavor (ivf.* or ivfflat.*). */
struct IvfGucs {
    int probes;
    int iterative_scan;
    int max_probes;
};
extern IvfGucs ivf_gucs[2]; /* by IVF_FLAVOR_* */

/* Reloptions of ivf (ivfflat parses into the same struct, lists only). */
typedef struct IvfOptions {
    int32 vl_len_;
    int lists; /* 0: default from the row count */
    int pq_m;  /* 0: no product quantization */
    int mode_offset;
    int compression_offset;
} IvfOptions;

/* The metapage fields every operation needs, copied out. */
typedef struct IvfMetaInfo {
    uint32 dims;
    HnswKind kind; /* column type and code metric (shared with hnsw) */
    uint8 centroid;
    uint8 flavor;
    uint32 lists;
    uint32 lists_per_page;
    uint32 n_list_blocks;
    uint32 centroid_size;
    uint32 code_size;
    uint32 entry_size;
    uint64 build_id;
    vx::pg::Mode mode;
    vx::pg::Compression level;
    vx::quant::Encoding encoding;
    uint32 pq_m;
    double oversample;
    bool rescore;
    BlockNumber quant_block;
    uint32 quant_bytes;
} IvfMetaInfo;

/* Options of an index being built: the shared resolver's result plus pq_m. */
struct IvfBuildOptions {
    vx::pg::ResolvedOptions r;
    uint32 pq_m; /* 0: no product quantization */
};

/* True when posting codes are not the values themselves. */
static inline bool ivf_quantized(const IvfMetaInfo& mi) {
    return mi.pq_m > 0 || mi.encoding != vx::quant::Encoding::f32;
}

/* Default oversample of product-quantized lists (rescoring on by default). */
#define IVF_PQ_DEFAULT_OVERSAMPLE 3.0
/* k' of rescoring rounds: ceil(oversample * this) candidates (clamped). */
#define IVF_RESCORE_K 100

struct IvfCodec;     /* a trained quantizer or PQ codebook (C++; freed with its memory context) */
struct IvfQueryCodes; /* a query prepared for code distances (same) */

/* All centroids and chain heads of an index, read from the list pages (palloc'd). */
typedef struct IvfListSet {
    uint32 lists;
    uint8* centroids;      /* lists * centroid_size */
    BlockNumber* start;    /* first posting page per list */
} IvfListSet;

namespace vx::pg::ivf {

/* handler.cpp */
void register_gucs();


/* options.cpp: reloptions, defaults */
int option_lists(Relation index);
/* mode / compression_level / pq_m of parsed reloptions (NULL: none) through
 * the shared resolver; level, when not NULL, replaces compression_level. */
IvfBuildOptions resolve_reloptions(const bytea* rd_options, vx::pg::OptionTarget target, uint8 flavor,
                                   uint32 dims, const char* level);
/* lists when not given: rows / 1000 up to 1M rows, sqrt(rows) beyond, in 1..IVF_MAX_LISTS. */
uint32 default_lists(double rows);
/* Centroid rule of a code metric (vx::ivf::Metric or IVF_CENTROID_BINARY). */
uint8 centroid_rule(const HnswKind& kind);
/* Bytes of a centroid. */
uint32 centroid_size_of(const HnswKind& kind, uint32 dims);

/* sizing.cpp: page layout numbers and sizing of reloptions (vector_ext_estimate). */
vx::sizing::PageGeometry page_geometry();
void sizing_of(const bytea* rd_options, const vx::pg::SizingTarget& target, const char* level, uint8 flavor,
               vx::pg::Sizing* out);
void sizing_ivf(const bytea* rd_options, const vx::pg::SizingTarget& target, const char* level, vx::pg::Sizing* out);
void sizing_ivfflat(const bytea* rd_options, const vx::pg::SizingTarget& target, const char* level,
                    vx::pg::Sizing* out);

/* pages.cpp */
void init_page(Page page, uint16 type);
void check_meta(Relation index, const IvfMetaPageData* meta);
void read_meta(Relation index, IvfMetaInfo* info);
void meta_to_info(const IvfMetaPageData* meta, IvfMetaInfo* info);
uint32 list_tuples_per_page(uint32 centroid_size);
uint32 entries_per_page(uint32 entry_size);
/* Checked items (errors name block and offset when corrupt): a list's tuple
 * on its share-locked list page, an entry of a posting page. */
struct IvfListTuple* list_tuple(Relation index, const IvfMetaInfo& mi, Page page, uint32 list);
struct IvfEntry* posting_entry(Relation index, const IvfMetaInfo& mi, BlockNumber blk, Page page, OffsetNumber off);
static inline BlockNumber list_block(const IvfMetaInfo& mi, uint32 list) {
    return IVF_FIRST_LIST_BLKNO + list / mi.lists_per_page;
}
static inline OffsetNumber list_offset(const IvfMetaInfo& mi, uint32 list) {
    return (OffsetNumber) (list % mi.lists_per_page + 1);
}
/* Reads every list tuple (share locks, one page at a time). */
void read_lists(Relation index, const IvfMetaInfo& mi, IvfListSet* out);
/* Centroids (lists * centroid_size bytes) from a per-backend cache, read
 * from the list pages on a miss; valid until the next call. Above 16 MB they
 * are not cached: the result is palloc'd and the caller may pfree it. */
#define IVF_CACHE_MAX_BYTES (16 * 1024 * 1024)
static inline bool centroids_cached(const IvfMetaInfo& mi) {
    return (size_t) mi.lists * mi.centroid_size <= IVF_CACHE_MAX_BYTES;
}
const uint8* cached_centroids(Relation index, const IvfMetaInfo& mi);
/* The query's float form for probing (vector, bytevector) or its bits; in out. */
void centroid_query(const IvfMetaInfo& mi, const uint8* code, uint8* out);
/* Up to nprobe lists nearest to a centroid query, nearest first (C++ inside VX_GUARD). */
uint32 nearest(const IvfMetaInfo& mi, const uint8* centroids, const uint8* cq, uint32 nprobe,
               uint32* out);

/* check.cpp / info.cpp: vector_ext_index_check and vector_ext_index_info */
void check_index(Relation index, vx::pg::TidList* live);
bool indexable(Relation index, Datum value);
void index_info(Relation index, vx::pg::IndexInfoReport* out);
/* scan.cpp: the scan's counters for EXPLAIN (IndexAm::stats). */
const vx::pg::ScanStats* scan_stats(IndexScanDesc scan);

/* codec.cpp: quantized posting codes (C++ inside VX_GUARD; objects owned by
 * the current memory context through reset callbacks). */
uint32 codec_code_size(const IvfBuildOptions& o, uint32 dims);
/* Trains on ns sample rows (floats); the blob to store is returned in *blob / *bytes. */
IvfCodec* codec_train(const IvfBuildOptions& o, const HnswKind& kind, uint32 dims, const float* sample,
                      size_t ns, int threads, uint8** blob, uint32* bytes);
/* The index's codec from its quantizer pages (NULL at 1x). */
IvfCodec* codec_load(Relation index, const IvfMetaInfo& mi);
/* The scalar quantizer of a codec (NULL for PQ codebooks). */
const vx::quant::Quantizer* codec_quantizer(const IvfCodec* c);
/* Encodes n rows of dims floats (row-major) into n codes. */
void codec_encode(IvfCodec* c, const float* x, size_t n, uint8* codes, int threads);
/* A query for code distances. */
IvfQueryCodes* codec_prepare(IvfCodec* c, const float* query);
/* Code distance (smaller is closer), and the operator's value of it. */
float codec_distance(const IvfQueryCodes* q, const uint8* code);
double codec_operator_distance(const IvfCodec* c, const HnswKind& kind, float d);
/* Writes the blob on new consecutive pages from `first` (build, no WAL); returns the count. */
BlockNumber write_quantizer_pages(Relation index, BlockNumber first, const uint8* blob, uint32 size);

/* insert.cpp: one entry into list `list` (also the build's fallback). */
void insert_entry(Relation index, const IvfMetaInfo& mi, uint32 list, const uint8* code,
                  ItemPointer heaptid);
void insert_value(Relation index, Datum value, ItemPointer heaptid);

}  // namespace vx::pg::ivf

extern "C" {
IndexBuildResult* ivfbuild(Relation heap, Relation index, IndexInfo* indexInfo);
IndexBuildResult* ivfflatbuild(Relation heap, Relation index, IndexInfo* indexInfo);
void ivfbuildempty(Relation index);
void ivfflatbuildempty(Relation index);
bool ivfinsert(Relation index, Datum* values, bool* isnull, ItemPointer heap_tid, Relation heap,
               IndexUniqueCheck checkUnique, bool indexUnchanged, IndexInfo* indexInfo);
IndexBulkDeleteResult* ivfbulkdelete(IndexVacuumInfo* info, IndexBulkDeleteResult* stats,
                                     IndexBulkDeleteCallback callback, void* callback_state);
IndexBulkDeleteResult* ivfvacuumcleanup(IndexVacuumInfo* info, IndexBulkDeleteResult* stats);
IndexScanDesc ivfbeginscan(Relation index, int nkeys, int norderbys);
void ivfrescan(IndexScanDesc scan, ScanKey keys, int nkeys, ScanKey orderbys, int norderbys);
bool ivfgettuple(IndexScanDesc scan, ScanDirection dir);
void ivfendscan(IndexScanDesc scan);
}
