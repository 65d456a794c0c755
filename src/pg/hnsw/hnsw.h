// Internal interface of the hnsw access method (src/pg/hnsw/*.cpp).
#pragma once

extern "C" {
#include "postgres.h"
#include "access/amapi.h"
#include "access/genam.h"
#include "nodes/execnodes.h"
#include "storage/bufmgr.h"
#include "utils/relcache.h"
}

#include "core/hnsw/space.h"
#include "core/quant/quantizer.h"
#include "pg/common/scan_stats.h"
#include "pg/common/options.h"
#include "pg/common/sizing.h"
#include "pg/common/page_check.h"
#include "pg/hnsw/page.h"

/* Page kind of this access method for the page checks (page_check.h). */
#define HNSW_PAGE_KIND (vx::pg::PageKind{sizeof(HnswPageOpaque), offsetof(HnswPageOpaque, page_type)})

#define HNSW_DISTANCE_PROC 1
#define HNSW_NORM_PROC 2

#define HNSW_DEFAULT_M 16
#define HNSW_MIN_M 2
#define HNSW_MAX_M 100
#define HNSW_DEFAULT_EF_CONSTRUCTION 64
#define HNSW_MIN_EF_CONSTRUCTION 4
#define HNSW_MAX_EF_CONSTRUCTION 1000

/* hnsw.iterative_scan */
#define HNSW_ITERATIVE_OFF 0
#define HNSW_ITERATIVE_RELAXED 1
#define HNSW_ITERATIVE_STRICT 2

extern int hnsw_ef_search;
extern int hnsw_iterative_scan;
extern int hnsw_max_scan_tuples;

/* Reloptions as parsed by amoptions (string options: offsets into the struct). */
typedef struct HnswOptions {
    int32 vl_len_;
    int m;
    int ef_construction;
    int mode_offset;
    int compression_offset;
} HnswOptions;

/* What an index computes: column type, metric and code size. */
typedef struct HnswKind {
    uint8 type;              /* HNSW_TYPE_* */
    vx::hnsw::Metric metric; /* distance between codes */
    bool sqrt_result;        /* operator returns sqrt of the metric (l2) */
    bool skip_zero;          /* cosine: zero vectors are not indexed */
} HnswKind;

/* The metapage fields every operation needs, copied out. */
typedef struct HnswMetaInfo {
    uint32 dims;
    HnswKind kind;
    int m;
    int ef_construction;
    uint32 code_size;  /* bytes of a stored code */
    uint32 value_size; /* bytes of a 1x code (the value); = code_size at 1x */
    uint32 slot_size;
    uint32 per_page;
    uint32 entry_point;
    int max_level;
    vx::pg::Mode mode;
    vx::pg::Compression level;
    vx::quant::Encoding encoding;
    BlockNumber quant_block; /* 0: no stored quantizer */
    uint32 quant_bytes;
    float oversample;        /* default oversample factor, 0: none */
    bool rescore;            /* rescore by default */
    uint64 inserted;
} HnswMetaInfo;

/* Codes are quantized (not the values themselves). */
static inline bool hnsw_quantized(const HnswMetaInfo& mi) {
    return mi.encoding != vx::quant::Encoding::f32;
}

namespace vx::pg {
struct TidList;
struct IndexInfoReport;
}

namespace vx::pg::hnsw {

/* handler.cpp */
void register_gucs();

/* kind.cpp: operator class, column and values */
HnswKind kind_of_index(Relation index);
int dims_of_column(Relation index, uint8 type);
/* Copies the code of a (detoasted) value to out; false when it is not indexed
 * (cosine and all zeros). Errors on a dimension mismatch. */
bool value_to_code(const HnswKind& kind, uint32 dims, Datum value, uint8* out);
/* Bytes of a 1x code (the value) for this column. */
static inline uint32 code_size_of(const HnswKind& kind, uint32 dims) {
    return (uint32) vx::hnsw::code_size_for(kind.metric, dims);
}
/* Bytes of a stored code: the value at 1x, else the quantizer's code. */
uint32 stored_code_size(const HnswKind& kind, uint32 dims, vx::quant::Encoding encoding);
/* The operator's distance from a metric distance. */
static inline double operator_distance(const HnswKind& kind, float d) {
    return kind.sqrt_result ? sqrt((double) d) : (double) d;
}
/* HNSW_TYPE_* of a type, 0 when not one of ours. */
uint8 type_of_oid(Oid typid);
/* Column type and metric of a distance support function for a column type. */
HnswKind kind_of_proc(Oid typid, Oid proc);
/* Resolved mode/compression of parsed reloptions (NULL: none; errors when
 * rejected); level, when not NULL, replaces compression_level. */
vx::pg::ResolvedOptions resolve_reloptions(const bytea* rd_options, const vx::pg::OptionTarget& target,
                                           const char* level);
/* The resolver's view of the column and operator class (also used by binary). */
vx::pg::OptionTarget option_target(Relation index, const HnswKind& kind);
vx::pg::OptionTarget option_target_of(const HnswKind& kind, Oid typid, Oid opclass);
/* What sizing needs to know about an index's column (all AMs; rows expected). */
vx::pg::SizingTarget sizing_target(Relation index, const HnswKind& kind, double rows);

/* sizing.cpp: page layout numbers and sizing of reloptions (vector_ext_estimate). */
vx::sizing::PageGeometry page_geometry();
void sizing(const bytea* rd_options, const vx::pg::SizingTarget& target, const char* level,
            vx::pg::Sizing* out);
int option_m(Relation index);

/* pages.cpp: page helpers */
void read_meta(Relation index, HnswMetaInfo* info);
void check_meta(Relation index, const HnswMetaPageData* meta);
void init_page(Page page, uint16 type);
uint32 slots_per_page(uint32 slot_size);
static inline BlockNumber id_block(const HnswMetaInfo& mi, uint32 id) { return id / mi.per_page; }
static inline OffsetNumber id_offset(const HnswMetaInfo& mi, uint32 id) {
    return (OffsetNumber) (id % mi.per_page + 1);
}
static inline uint32 make_id(const HnswMetaInfo& mi, BlockNumber blk, OffsetNumber off) {
    return blk * mi.per_page + (off - 1);
}
/* The slot of id on a locked element page (NULL: none). find_slot sets *bad
 * (and returns NULL) when the slot is corrupt; page_slot raises an ERROR. */
HnswElementSlot* find_slot(Page page, const HnswMetaInfo& mi, uint32 id, const char** bad);
HnswElementSlot* page_slot(Relation index, Page page, const HnswMetaInfo& mi, uint32 id);
/* Where slot `off` of an element page sits: slots are added in order and never
 * removed, so slot k is k slot sizes below the special area. */
static inline HnswElementSlot* slot_position(Page page, const HnswMetaInfo& mi, OffsetNumber off) {
    return (HnswElementSlot*) ((char*) page + BLCKSZ - MAXALIGN(sizeof(HnswPageOpaque)) -
                               (size_t) off * MAXALIGN(mi.slot_size));
}
/* Id's list on layer `level` >= 1 from its upper tuple at off of a locked
 * page (0 when the tuple is not id's); *bad says what is corrupt. */
uint32 find_upper_list(Page page, OffsetNumber off, const HnswMetaInfo& mi, uint32 id, int level, uint32* out,
                       const char** bad);
/* Fills meta info from a metapage. */
void meta_to_info(const HnswMetaPageData* meta, HnswMetaInfo* info);

/* quant.cpp: quantizer parameters in pages */
vx::quant::Metric quant_metric(vx::hnsw::Metric metric);
/* The index's quantizer (nullptr at 1x), a heap object deleted when the
 * current memory context is reset or deleted. */
const vx::quant::Quantizer* load_quantizer(Relation index, const HnswMetaInfo& mi);
/* Writes a serialized quantizer to new pages from block `first` on (build,
 * no WAL); returns the number of pages. */
BlockNumber write_quantizer_pages(Relation index, BlockNumber first, const uint8* blob, uint32 size);

/* check.cpp: vector_ext_index_check's part for hnsw (see common/index_access.h). */
void check_index(Relation index, vx::pg::TidList* live);
bool indexable(Relation index, Datum value);
/* info.cpp: vector_ext_index_info's row for hnsw. */
void index_info(Relation index, vx::pg::IndexInfoReport* out);
/* scan.cpp: the scan's counters for EXPLAIN (IndexAm::stats). */
const vx::pg::ScanStats* scan_stats(IndexScanDesc scan);

/* insert.cpp: one element into a built index (also the build's fallback). */
void insert_value(Relation index, Datum value, ItemPointer heaptid);

}  // namespace vx::pg::hnsw

extern "C" {
IndexBuildResult* hnswbuild(Relation heap, Relation index, IndexInfo* indexInfo);
void hnswbuildempty(Relation index);
bool hnswinsert(Relation index, Datum* values, bool* isnull, ItemPointer heap_tid, Relation heap,
                IndexUniqueCheck checkUnique, bool indexUnchanged, IndexInfo* indexInfo);
IndexBulkDeleteResult* hnswbulkdelete(IndexVacuumInfo* info, IndexBulkDeleteResult* stats,
                                      IndexBulkDeleteCallback callback, void* callback_state);
IndexBulkDeleteResult* hnswvacuumcleanup(IndexVacuumInfo* info, IndexBulkDeleteResult* stats);
IndexScanDesc hnswbeginscan(Relation index, int nkeys, int norderbys);
void hnswrescan(IndexScanDesc scan, ScanKey keys, int nkeys, ScanKey orderbys, int norderbys);
bool hnswgettuple(IndexScanDesc scan, ScanDirection dir);
void hnswendscan(IndexScanDesc scan);
}
