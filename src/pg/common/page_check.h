// Reading index pages without trusting them: the checks every access method
// makes before it follows anything stored in a page (sizes, offsets, counts),
// so a corrupted or hostile page image gives a clear error (SQLSTATE XX002,
// index_corrupted, naming the index, block and offset, REINDEX hint) instead
// of a read outside the page. The checks are pure functions of the page bytes
// returning what is wrong (a constant string, NULL when nothing), so both
// PostgreSQL-style code (page_corrupt: ereport) and C++ search code
// (throw_page_corrupt: a PgError, no palloc) can use them, and the fuzz
// targets of test/fuzz call them on random and mutated page images.
#pragma once

extern "C" {
#include "postgres.h"
#include "storage/block.h"
#include "storage/bufpage.h"
#include "utils/relcache.h"
}

namespace vx::pg {

/// ereport "index "<name>" is corrupt at block B, offset O" with the detail.
void page_corrupt(Relation index, BlockNumber blk, OffsetNumber off, const char* detail) pg_attribute_noreturn();

/// The same as a vx::pg::PgError exception, for C++ code (formats into a
/// stack buffer: no palloc, no ereport).
[[noreturn]] void throw_page_corrupt(Relation index, BlockNumber blk, OffsetNumber off, const char* detail);

/// Where an access method keeps its page type: the special area's size and
/// the offset of the uint16 page type in it.
struct PageKind {
    uint32 special;
    uint32 type_offset;
};

/// The page type stored in a page of this kind: 0 for a new (all-zero)
/// page, -1 when the header is not that of a page of this kind (so the
/// special area, and the type in it, is not where it should be).
int page_type(Page page, PageKind kind);

/// page_type for PostgreSQL-style code: an invalid header is page_corrupt.
uint16 checked_page_type(Relation index, BlockNumber blk, Page page, PageKind kind);

/// What is wrong with a page that should be initialized with the special
/// area of `kind` holding `page_type`, and a sane header (lower <= upper <=
/// special); NULL when nothing.
const char* page_problem(Page page, PageKind kind, uint16 page_type);

/// What is wrong with item `off` of a page without page_problem: it must be
/// a used line pointer to at least `min_size` bytes inside the item space.
const char* item_problem(Page page, OffsetNumber off, uint32 min_size);

/// page_problem, then item_problem: the item, or page_corrupt (ereport).
void* page_item(Relation index, BlockNumber blk, Page page, PageKind kind, uint16 page_type, OffsetNumber off,
                uint32 min_size);

/// Error unless a metapage's column description is possible: column type
/// (HNSW_TYPE_*) with 1..16000 dimensions (64000 bits), a metric of that
/// type (vx::hnsw::Metric), a known code encoding (above f32 only for vector
/// columns). Returns the bytes of one code of that description.
uint32 check_meta_codes(Relation index, uint8 type, uint8 metric, uint32 dims, uint8 encoding);

}  // namespace vx::pg
