// Internal interface of the binary access method (src/pg/binary/*.cpp): a
// flat scan over densely packed codes (page layout: page.h).
//
// What an index computes (column type, metric, codes of values) is the same
// as for hnsw, so the operator-class lookup and value-to-code conversion of
// src/pg/hnsw/kind.cpp are reused, not copied.
#pragma once

extern "C" {
#include "postgres.h"
#include "access/amapi.h"
#include "access/genam.h"
#include "nodes/execnodes.h"
#include "storage/bufmgr.h"
#include "utils/relcache.h"
}

#include "pg/binary/page.h"
#include "pg/common/index_access.h"
#include "pg/common/index_info.h"
#include "pg/common/options.h"
#include "pg/common/scan_stats.h"
#include "pg/common/page_check.h"
#include "pg/hnsw/hnsw.h"

/* Page kind of this access method for the page checks (page_check.h). */
#define BINARY_PAGE_KIND (vx::pg::PageKind{sizeof(BinaryPageOpaque), offsetof(BinaryPageOpaque, page_type)})

#define BINARY_DISTANCE_PROC 1

/* vector_ext.binary_batch_size: rows one pass over the codes yields (k'). */
extern int binary_batch_size;

/* Reloptions as parsed by amoptions (string options: offsets into the struct). */
typedef struct BinaryOptions {
    int32 vl_len_;
    int mode_offset;
    int compression_offset;
} BinaryOptions;

/* The metapage fields every operation needs, copied out. */
typedef struct BinaryMetaInfo {
    uint32 dims;
    HnswKind kind;
    vx::pg::Mode mode;
    vx::pg::Compression level;
    vx::quant::Encoding encoding;
    bool rescore;
    float oversample;
    uint32 code_size;  /* bytes of a stored code */
    uint32 value_size; /* bytes of the value as a 1x code (= code_size at 1x) */
    uint32 per_page;
    BlockNumber insert_block;
    BlockNumber quant_block;
    uint32 quant_bytes;
} BinaryMetaInfo;

/* Codes are quantized (not the values themselves). */
static inline bool binary_quantized(const BinaryMetaInfo& mi) {
    return mi.encoding != vx::quant::Encoding::f32;
}

namespace vx::pg::binary {

/* handler.cpp */
void register_gucs();
/* mode and compression_level of parsed reloptions (NULL: none) through the
 * shared resolver; level, when not NULL, replaces compression_level. */
vx::pg::ResolvedOptions resolve_reloptions(const bytea* rd_options, vx::pg::OptionTarget target, const char* level);

/* sizing.cpp: page layout numbers and sizing of reloptions (vector_ext_estimate). */
vx::sizing::PageGeometry page_geometry();
void sizing(const bytea* rd_options, const vx::pg::SizingTarget& target, const char* level, vx::pg::Sizing* out);

/* pages.cpp */
void init_page(Page page, uint16 type);
/* Sets pd_lower of a fresh code page past its entry arrays. */
void init_code_page(Page page, uint32 code_size, uint32 per_page);
uint32 entries_per_page(uint32 code_size);
void check_meta(Relation index, const BinaryMetaPageData* meta);
void meta_to_info(const BinaryMetaPageData* meta, BinaryMetaInfo* info);
void read_meta(Relation index, BinaryMetaInfo* info);
/* Live entries of a locked code page; errors when the page does not fit the
 * metapage's layout. */
uint32 code_page_count(Relation index, BlockNumber blk, Page page, const BinaryMetaInfo& mi);
/* True for a code page; errors when the page header is invalid. */
static inline bool is_code_page(Relation index, BlockNumber blk, Page page) {
    return vx::pg::checked_page_type(index, blk, page, BINARY_PAGE_KIND) == BINARY_PAGE_CODES;
}

/* quant.cpp: the index's quantizer (nullptr at 1x), owned by the current
 * memory context; quantizer pages of a build. */
const vx::quant::Quantizer* load_quantizer(Relation index, const BinaryMetaInfo& mi);
BlockNumber write_quantizer(Relation index, BlockNumber first, const uint8* blob, uint32 size);
/* The stored code of a value (a 1x code in `value`, from value_to_code). */
void encode_value(const vx::quant::Quantizer* q, const BinaryMetaInfo& mi, const uint8* value, uint8* code);

/* inspect.cpp: vector_ext_index_info / vector_ext_index_check */
void index_info(Relation index, vx::pg::IndexInfoReport* out);
/* scan.cpp: the scan's counters for EXPLAIN (IndexAm::stats). */
const vx::pg::ScanStats* scan_stats(IndexScanDesc scan);
void check_index(Relation index, vx::pg::TidList* live);
bool indexable(Relation index, Datum value);

/* insert.cpp: appends one (code, TID) entry to a built index. */
void append_entry(Relation index, const uint8* code, ItemPointer tid);

}  // namespace vx::pg::binary

extern "C" {
IndexBuildResult* binarybuild(Relation heap, Relation index, IndexInfo* indexInfo);
void binarybuildempty(Relation index);
bool binaryinsert(Relation index, Datum* values, bool* isnull, ItemPointer heap_tid, Relation heap,
                  IndexUniqueCheck checkUnique, bool indexUnchanged, IndexInfo* indexInfo);
IndexBulkDeleteResult* binarybulkdelete(IndexVacuumInfo* info, IndexBulkDeleteResult* stats,
                                        IndexBulkDeleteCallback callback, void* callback_state);
IndexBulkDeleteResult* binaryvacuumcleanup(IndexVacuumInfo* info, IndexBulkDeleteResult* stats);
IndexScanDesc binarybeginscan(Relation index, int nkeys, int norderbys);
void binaryrescan(IndexScanDesc scan, ScanKey keys, int nkeys, ScanKey orderbys, int norderbys);
bool binarygettuple(IndexScanDesc scan, ScanDirection dir);
void binaryendscan(IndexScanDesc scan);
}
