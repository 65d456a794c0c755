// Index size and memory before building (vector_ext_estimate), as arithmetic
// over the page layouts of src/pg/*/page.h and over what each build and scan
// allocates. No PostgreSQL here: the PG layer passes the layout numbers
// (PageGeometry, from sizeof and the page.h macros) and the resolved options.
//
// Formulas (n rows, d dims, c code bytes; README "Estimating an index" has the
// same with worked numbers):
//   element  hnsw  16-byte slot header + 2m x 4-byte neighbour ids + c
//            ivf   8-byte entry header + c
//            binary c + 6-byte heap TID (codes and TIDs packed, no line pointers)
//   per page floor(space / (align(element) + line pointer))
//   pages    1 metapage + ceil(n / per page) + quantizer pages
//            + hnsw upper-layer pages: n m^-L elements reach level L, each
//              with an upper tuple of 8 + 4 L (1 + m) bytes
//            + ivf list pages: lists tuples of 16 + centroid bytes
//   build    what the build holds at its peak (loaded values and TIDs, graph
//            or k-means state, codes, write order arrays); see *_build_bytes
//            in estimate.cpp.
// Memory is what is written, hence resident: arrays grown by doubling reserve
// more address space than they touch, and untouched pages cost nothing.
//   query    what one scan allocates: visited set over the id space and block
//            table (hnsw), centroids and the candidates of the probed lists
//            (ivf), batch heaps (binary), plus the quantizer, the query and
//            the rescoring arrays.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/quant/encoding.h"

namespace vx::sizing {

enum class Am : uint8_t { hnsw = 0, ivf = 1, binary = 2 };
enum class Column : uint8_t { vector = 0, bytevector = 1, bitvector = 2 };

/// Page layout numbers of one access method (from its page.h).
struct PageGeometry {
    uint32_t block_size;       ///< BLCKSZ
    uint32_t space;            ///< bytes for items and line pointers on an element page
    uint32_t line_pointer;     ///< bytes of a line pointer per item (0: binary code pages have none)
    uint32_t align;            ///< items are padded to a multiple of this (MAXALIGN; 1: packed)
    uint32_t element_header;   ///< fixed bytes of an element besides neighbours and code:
                               ///< hnsw slot header, ivf entry header, binary heap TID
    uint32_t aux_header;       ///< hnsw: upper-layer tuple header; ivf: list tuple header
    uint32_t quant_page_bytes; ///< serialized quantizer bytes per quantizer page
};

/// Bytes of scan structures private to src/pg (each scan.cpp static_asserts its own).
constexpr uint32_t kHnswBlockRefBytes = 8;    ///< hnsw reader: Buffer + generation per block
constexpr uint32_t kIvfCandidateBytes = 12;   ///< ivf scan: float distance + heap TID
constexpr uint32_t kBinaryCandidateBytes = 16; ///< binary scan: double distance + heap TID
constexpr uint32_t kRescoreBytes = 28;        ///< RescoreCandidate (12) + RescoredRow (16)

/// What to estimate: options as the resolver chose them, and scan settings.
struct Params {
    Am am = Am::hnsw;
    Column column = Column::vector;
    uint64_t rows = 0;
    uint32_t dims = 0;
    quant::Encoding encoding = quant::Encoding::f32;  ///< f32: the value itself (1x)
    uint32_t pq_m = 0;              ///< ivf product quantization bytes (0: none)
    bool cosine = false;            ///< k-means normalizes a copy of its sample (ivf)
    int m = 16;                     ///< hnsw
    int ef_construction = 64;       ///< hnsw (build time only, not memory)
    uint32_t lists = 1;             ///< ivf, resolved (default rule applied by the caller)
    int threads = 1;                ///< build threads
    uint64_t maintenance_work_mem = 64ull << 20;  ///< bytes
    uint32_t ef_search = 40;        ///< hnsw scan width
    uint32_t probes = 1;            ///< ivf lists a scan reads
    uint32_t batch = 100;           ///< binary rows per pass
    uint32_t rescore_candidates = 0; ///< candidates rescored per batch (0: no rescoring)
};

/// The estimate. When an element does not fit on a page, fits is false and
/// only code_bytes and element_bytes are set.
struct Estimate {
    bool fits = false;
    uint32_t code_bytes = 0;      ///< stored code per row
    uint32_t element_bytes = 0;   ///< bytes per row on its page, line pointer and padding included
    uint32_t list_tuple_bytes = 0; ///< ivf: bytes of a list tuple (header and full-precision centroid)
    uint32_t per_page = 0;        ///< rows per element / posting / code page
    uint64_t element_pages = 0;   ///< element (hnsw), posting (ivf) or code (binary) pages
    uint64_t aux_pages = 0;       ///< hnsw upper-layer pages, ivf list pages
    uint64_t quant_pages = 0;     ///< trained quantizer / PQ codebook pages
    uint64_t pages = 0;           ///< all of them plus the metapage
    uint64_t index_bytes = 0;
    uint64_t build_bytes = 0;     ///< peak build memory for an in-memory build
    bool build_spills = false;    ///< the build passes maintenance_work_mem and inserts the rest
    uint64_t query_bytes = 0;     ///< memory one index scan allocates
};

/// Bytes of the value itself (1x code) of a column of d dims.
size_t value_bytes(Column column, uint32_t dims);
/// Bytes of a stored code (value, quantizer code or PQ code).
size_t stored_code_bytes(const Params& p);
/// Bytes of the serialized quantizer or PQ codebooks (0 at 1x).
size_t quantizer_bytes(const Params& p);
/// True when one element (and for ivf one list tuple) fits on a page.
bool element_fits(const Params& p, const PageGeometry& g);
/// The estimate of an index of p on pages of g.
Estimate estimate(const Params& p, const PageGeometry& g);
/// Largest dims (<= type_limit) whose element fits with p's other settings; 0: none.
uint32_t max_dims(Params p, const PageGeometry& g, uint32_t type_limit);
/// Expected number of hnsw elements whose top level is exactly `level` (>= 1).
double hnsw_level_count(uint64_t rows, int m, int level);

}  // namespace vx::sizing
