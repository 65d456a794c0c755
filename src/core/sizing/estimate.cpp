// Index size and memory before building (see estimate.h for the formulas).
#include "core/sizing/estimate.h"

#include <algorithm>
#include <cmath>

#include "core/hnsw/graph.h"
#include "core/ivf/kmeans.h"
#include "core/quant/quantizer.h"

namespace vx::sizing {

namespace {

constexpr size_t kTid = 6;                  ///< ItemPointerData
constexpr size_t kHnswTrainSample = 100000; ///< hnsw/build.cpp HNSW_TRAIN_SAMPLE
constexpr size_t kBinaryTrainSample = 100000; ///< binary/build.cpp BINARY_TRAIN_SAMPLE
constexpr size_t kPqCentroids = 256;        ///< PQ codes are bytes: 256 centroids per sub-quantizer

uint64_t ceil_div(uint64_t a, uint64_t b) { return b ? (a + b - 1) / b : 0; }
size_t align_up(size_t x, size_t a) { return a > 1 ? (x + a - 1) / a * a : x; }

bool quantized(const Params& p) { return p.pq_m > 0 || p.encoding != quant::Encoding::f32; }

/// Bytes of an ivf centroid: float32 per dimension, packed bits for bitvector.
size_t centroid_bytes(const Params& p) {
    return p.column == Column::bitvector ? (p.dims + 7) / 8 : size_t(p.dims) * 4;
}

/// ivf lists a build makes: one per row when rows are fewer, one when empty.
uint64_t ivf_lists(const Params& p) {
    uint64_t l = std::max<uint64_t>(p.lists, 1);
    return p.rows == 0 ? 1 : std::min<uint64_t>(l, p.rows);
}

/// Bytes of an item on its page, line pointer and padding included.
size_t item_bytes(size_t raw, const PageGeometry& g) { return align_up(raw, g.align) + g.line_pointer; }

size_t element_raw(const Params& p, const PageGeometry& g) {
    size_t c = stored_code_bytes(p);
    switch (p.am) {
    case Am::hnsw:
        return g.element_header + size_t(2) * p.m * 4 + c;
    case Am::ivf:
        return g.element_header + c;
    default:
        return c + g.element_header;
    }
}

/// Upper-layer pages of hnsw: each element of top level L >= 1 has one tuple.
uint64_t hnsw_upper_pages(const Params& p, const PageGeometry& g) {
    double bytes = 0;
    for (int level = 1; level <= hnsw::kMaxLevel; level++) {
        double count = hnsw_level_count(p.rows, p.m, level);
        if (count < 1e-3)
            break;
        bytes += count * double(item_bytes(g.aux_header + size_t(level) * (1 + p.m) * 4, g));
    }
    return uint64_t(std::ceil(bytes / g.space));
}

/// Posting pages of ivf: full pages for the rows, and the last page of each
/// list's chain half empty on average (a chain of fewer rows than a page is one page).
uint64_t ivf_posting_pages(const Params& p, uint64_t per_page) {
    uint64_t lists = ivf_lists(p);
    if (p.rows == 0)
        return 0;
    double avg = double(p.rows) / double(lists);
    if (avg <= double(per_page))
        return lists;
    return uint64_t(std::ceil(double(p.rows) / double(per_page) + double(lists) / 2));
}

uint64_t quant_pages(const Params& p, const PageGeometry& g) {
    if (!quantized(p) || (p.rows == 0 && p.am != Am::ivf))
        return 0;
    return ceil_div(quantizer_bytes(p), g.quant_page_bytes);
}

/// hnsw: loaded values and TIDs, the graph (core estimate_bytes: layers, node
/// state, per-thread visited sets), quantized codes and the training sample,
/// and the page writer's order arrays (4 arrays: 4 + 2 + 4 + 4 bytes per row).
uint64_t hnsw_build_bytes(const Params& p, size_t n) {
    size_t value = value_bytes(p.column, p.dims);
    uint64_t b = uint64_t(n) * (value + kTid);
    b += hnsw::estimate_bytes(n, p.dims, 0, p.m, p.threads);
    if (quantized(p) && n > 0) {
        b += n * stored_code_bytes(p) + quantizer_bytes(p);
        if (n > kHnswTrainSample)
            b += kHnswTrainSample * p.dims * 4;
    }
    return b + 14 * uint64_t(n + 1);
}

/// Rows an hnsw build loads before the graph passes maintenance_work_mem (build.cpp build_bytes).
size_t hnsw_loaded_rows(const Params& p) {
    size_t value = value_bytes(p.column, p.dims);
    size_t extra = kTid + (quantized(p) ? stored_code_bytes(p) : 0);
    auto need = [&](size_t n) { return hnsw::estimate_bytes(n, p.dims, value, p.m, p.threads) + n * extra; };
    if (need(p.rows) <= p.maintenance_work_mem)
        return p.rows;
    size_t lo = 0, hi = p.rows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo + 1) / 2;
        if (need(mid) <= p.maintenance_work_mem)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/// ivf: loaded values and TIDs, centroids and row-to-list map, then the larger
/// of training (sample, k-means state, quantizer training) and writing
/// (codes and the by-list order).
uint64_t ivf_build_bytes(const Params& p, size_t n) {
    size_t value = value_bytes(p.column, p.dims), cb = centroid_bytes(p);
    uint64_t lists = std::min<uint64_t>(ivf_lists(p), std::max<size_t>(n, 1));
    uint64_t base = uint64_t(n) * (value + kTid) + lists * cb + 4 * std::max<size_t>(n, 1);
    if (n == 0)
        return base;
    size_t loaded = n * (value + kTid + 8);
    size_t left = p.maintenance_work_mem > loaded ? p.maintenance_work_mem - loaded : 0;
    ivf::Metric metric = p.cosine ? ivf::Metric::cosine : ivf::Metric::l2;
    size_t ns;
    uint64_t train;
    if (p.column == Column::bitvector) {
        ns = std::min<size_t>(n, std::min<size_t>(std::max<size_t>(50 * lists, 10000), 256 * lists));
        train = ns * (cb + 8) + lists * p.dims * 4;  // binary k-means: assignments and bit counts
    } else {
        ns = std::min<size_t>(n, ivf::recommended_sample_size(n, p.dims, lists, metric, left));
        train = ivf::training_memory_bytes(ns, p.dims, lists, metric);
    }
    uint64_t codec = 0;
    if (quantized(p)) {
        codec = quantizer_bytes(p);
        if (p.cosine || p.pq_m > 0)
            codec += ns * p.dims * 4;  // normalized copy / PQ's sub-space training copy
    }
    uint64_t training = ns * cb + std::max(train, codec);
    uint64_t writing = (quantized(p) ? n * stored_code_bytes(p) + quantizer_bytes(p) : 0) + 4 * uint64_t(n);
    return base + std::max(training, writing);
}

/// binary: one page image, and for quantized levels the training sample
/// (at most 100000 values within maintenance_work_mem / 2).
uint64_t binary_build_bytes(const Params& p, const PageGeometry& g) {
    uint64_t b = g.block_size;
    if (quantized(p) && p.rows > 0) {
        size_t cap = std::max<size_t>(1, std::min<size_t>(kBinaryTrainSample, p.maintenance_work_mem / 2 / (4 * p.dims)));
        b += std::min<size_t>(p.rows, cap) * p.dims * 4 + quantizer_bytes(p);
    }
    return b;
}

/// A scan's quantizer: the blob read from its pages, the parameters, the
/// prepared query and a decoded code (2 x dims floats).
uint64_t quantizer_scan_bytes(const Params& p) {
    if (!quantized(p))
        return 0;
    uint64_t b = 2 * quantizer_bytes(p) + uint64_t(p.dims) * 12;
    if (p.pq_m > 0)
        b += kPqCentroids * p.pq_m * 4;  // distance table
    return b;
}

uint64_t query_bytes(const Params& p, const Estimate& e) {
    uint64_t value = value_bytes(p.column, p.dims);
    uint64_t b = value + quantizer_scan_bytes(p);
    uint64_t rescore = uint64_t(p.rescore_candidates) * kRescoreBytes + (p.rescore_candidates ? value : 0);
    switch (p.am) {
    case Am::hnsw: {
        uint64_t blocks = e.pages + 16;  // the reader sizes its tables for 16 more blocks
        b += blocks * e.per_page * 2 + blocks * kHnswBlockRefBytes;  // visited tags, block table
        uint64_t ef = std::max(p.ef_search, p.rescore_candidates);   // rescoring widens the search
        b += (3 * ef + 4 * uint64_t(p.m) + 4) * 8;                    // candidate and result heaps
        return b + rescore;
    }
    case Am::ivf: {
        uint64_t lists = ivf_lists(p);
        b += lists * (centroid_bytes(p) + 4) + centroid_bytes(p);  // centroids, list order, query as centroid
        uint64_t rows = std::min<uint64_t>(p.rows, std::min<uint64_t>(p.probes, lists) * ceil_div(p.rows, lists));
        b += rows * kIvfCandidateBytes;  // every entry of the probed lists
        return b + rescore;
    }
    default: {
        uint64_t want = p.rescore_candidates ? p.rescore_candidates : p.batch;
        b += uint64_t(e.per_page) * 12 + want * (2 * kBinaryCandidateBytes) + rescore;
        return b;
    }
    }
}

}  // namespace

size_t value_bytes(Column column, uint32_t dims) {
    switch (column) {
    case Column::vector:
        return size_t(dims) * 4;
    case Column::bytevector:
        return dims;
    default:
        return (size_t(dims) + 7) / 8;
    }
}

size_t stored_code_bytes(const Params& p) {
    if (p.pq_m > 0)
        return p.pq_m;
    if (p.encoding == quant::Encoding::f32)
        return value_bytes(p.column, p.dims);
    return quant::code_size(p.encoding, p.dims);
}

size_t quantizer_bytes(const Params& p) {
    if (p.pq_m > 0)
        return 16 + kPqCentroids * size_t(p.dims) * 4 + 4;  // header, codebooks, checksum (pq.cpp)
    if (p.encoding == quant::Encoding::f32)
        return 0;
    return quant::Quantizer::serialized_size(p.encoding, p.dims);
}

bool element_fits(const Params& p, const PageGeometry& g) {
    if (item_bytes(element_raw(p, g), g) > g.space)
        return false;
    return p.am != Am::ivf || item_bytes(g.aux_header + centroid_bytes(p), g) <= g.space;
}

double hnsw_level_count(uint64_t rows, int m, int level) {
    // random_level: floor(-ln(u) / ln(m)), so P(level >= L) = m^-L.
    double mm = std::max(m, 2);
    return double(rows) * (std::pow(mm, -level) - std::pow(mm, -(level + 1)));
}

Estimate estimate(const Params& p, const PageGeometry& g) {
    Estimate e;
    e.code_bytes = uint32_t(stored_code_bytes(p));
    e.element_bytes = uint32_t(item_bytes(element_raw(p, g), g));
    if (p.am == Am::ivf)
        e.list_tuple_bytes = uint32_t(item_bytes(g.aux_header + centroid_bytes(p), g));
    e.fits = element_fits(p, g);
    if (!e.fits)
        return e;
    e.per_page = g.space / e.element_bytes;
    switch (p.am) {
    case Am::hnsw:
        e.element_pages = ceil_div(p.rows, e.per_page);
        e.aux_pages = hnsw_upper_pages(p, g);
        break;
    case Am::ivf:
        e.element_pages = ivf_posting_pages(p, e.per_page);
        e.aux_pages = ceil_div(ivf_lists(p), g.space / item_bytes(g.aux_header + centroid_bytes(p), g));
        break;
    default:
        e.element_pages = ceil_div(p.rows, e.per_page);
        break;
    }
    e.quant_pages = quant_pages(p, g);
    e.pages = 1 + e.element_pages + e.aux_pages + e.quant_pages;
    e.index_bytes = e.pages * g.block_size;
    switch (p.am) {
    case Am::hnsw: {
        size_t loaded = hnsw_loaded_rows(p);
        e.build_spills = loaded < p.rows;
        e.build_bytes = hnsw_build_bytes(p, loaded);
        break;
    }
    case Am::ivf: {
        size_t per_row = value_bytes(p.column, p.dims) + kTid + 8;
        size_t limit = p.maintenance_work_mem / 4 * 3 / per_row;
        e.build_spills = p.rows > limit;
        e.build_bytes = ivf_build_bytes(p, std::min<size_t>(p.rows, limit));
        break;
    }
    default:
        e.build_bytes = binary_build_bytes(p, g);
        break;
    }
    e.query_bytes = query_bytes(p, e);
    return e;
}

uint32_t max_dims(Params p, const PageGeometry& g, uint32_t type_limit) {
    uint32_t lo = 0, hi = type_limit;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo + 1) / 2;
        p.dims = mid;
        if (element_fits(p, g))
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

}  // namespace vx::sizing
