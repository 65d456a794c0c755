// Quantizer parameters in index pages, for every access method that stores
// quantized codes: a build writes the serialized vx::quant::Quantizer over
// consecutive pages (raw bytes between the page header and pd_lower), scans
// and inserts load it back. Each AM gives its own page-type id for these
// pages; the reader checks the page type in the special area (the first
// uint16 for hnsw and binary; ivf's is at an offset).
//
// An index built on an empty table has no sample to train on: first == 0
// means none, and load_quantizer_pages returns one with default parameters
// (ranges [-1, 1], bq1 threshold 0, which suit normalized embeddings).
#pragma once

extern "C" {
#include "postgres.h"
#include "storage/block.h"
#include "storage/bufpage.h"
#include "utils/relcache.h"
}

#include "core/quant/quantizer.h"

namespace vx::pg {

/// Bytes of serialized quantizer one page holds (special area of `special` bytes).
uint32 quant_page_bytes(uint32 special);

/// Writes size bytes of blob to new pages from block `first` on (a build: no
/// WAL, the build logs every block afterwards); init_page(page) initializes a
/// page of the AM's quantizer page type. Returns the number of pages.
BlockNumber write_quantizer_pages(Relation index, BlockNumber first, const uint8* blob, uint32 size,
                                  void (*init_page)(Page page), uint32 special);

/// The serialized bytes written by write_quantizer_pages (palloc'd); an error
/// naming the block (REINDEX hint) if a page is not of type page_type, the
/// uint16 at type_offset in the page's special area.
uint8* read_quantizer_blob(Relation index, BlockNumber first, uint32 size, uint16 page_type,
                           uint32 special, uint32 type_offset);

/// The index's quantizer: deserialized from the pages at first (size bytes,
/// each page of type page_type), or default parameters when first is 0. A
/// heap object deleted when the current memory context is reset or deleted.
/// Errors (index corrupted, REINDEX hint) when it does not match encoding/dims.
const vx::quant::Quantizer* load_quantizer_pages(Relation index, BlockNumber first, uint32 size,
                                                 uint16 page_type, uint32 special,
                                                 vx::quant::Encoding encoding, uint32 dims);

}  // namespace vx::pg
