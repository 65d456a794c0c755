// Reading a page-resident hnsw graph from C++ search code (scan and insert).
//
// PageReader keeps every block it reads pinned (one buffer lookup per block
// per scan, not per distance) up to a cap, then drops its pins and starts
// again. Lists and codes are read under a share content lock. Buffer reads go
// through pg_guarded, so an ERROR becomes a C++ exception inside VX_GUARD.
//
// A scan borrows its backend's block table for the index (init_scan): besides
// the pins of this scan, it remembers which buffer each block was in last
// time, and pins through ReadRecentBuffer, which checks under the buffer
// header lock that the buffer still holds that block of this relation and
// falls back to ReadBuffer when not. That skips the shared buffer mapping
// lookup, the largest cost of a small search, without trusting anything kept
// between queries: page contents are always read from the pinned buffer.
//
// The accessor structs adapt it to the templates of core/hnsw/algorithm.h.
#pragma once

#include "core/hnsw/algorithm.h"
#include "core/hnsw/visited.h"
#include "core/simd/distance.h"
#include "pg/hnsw/hnsw.h"

namespace vx::pg::hnsw {

/// A block's entry in a reader's table: pinned by the reader when gen is the
/// reader's gen; otherwise buf is only where the block was last seen
/// (InvalidBuffer: never), a hint for ReadRecentBuffer.
struct BlockRef {
    Buffer buf;
    uint32 gen;
};

struct BlockTable;

struct PageReader {
    Relation index;
    HnswMetaInfo mi;
    const vx::simd::Kernels* k;
    BlockRef* refs;      ///< per block (see BlockRef)
    BlockNumber npins;   ///< size of refs
    uint32 gen;          ///< pin generation: refs of this gen are pinned
    int pinned;          ///< pins held
    Buffer* held;        ///< the buffers pinned, pinned of them (release order)
    int max_pins;
    uint64 distances;    ///< distance computations (for max_scan_tuples)
    BlockTable* table;   ///< the backend's table when borrowed (init_scan)
    const vx::quant::Quantizer* quant;  ///< the index's quantizer, nullptr at 1x
    float* decoded;      ///< quantized: 2 * dims floats of scratch for between()

    /// Sets up for the index with a table of its own (palloc in the current
    /// memory context; insert and VACUUM). Call read_meta or set mi.
    void init(Relation rel, const HnswMetaInfo& info);
    /// Sets up for a scan with the backend's table for this index (mi and
    /// quant unset: read_meta, load_quant); give the table back with finish
    /// (or forget, when the scan's memory goes on ERROR).
    void init_scan(Relation rel);
    /// Pins the metapage and copies its fields to mi (PostgreSQL code:
    /// errors with ereport; not inside VX_GUARD).
    void read_meta();
    /// Loads the quantizer of mi's index (init does; a scan, after
    /// read_meta), in the current memory context.
    void load_quant();
    /// Drops every pin and gives back a borrowed table.
    void finish();
    /// Gives back a borrowed table without releasing pins (ERROR cleanup:
    /// the resource owner releases them).
    void forget();
    /// The pinned buffer of a block (may throw PgError).
    Buffer pin(BlockNumber blk) {
        if (blk < npins && refs[blk].gen == gen)
            return refs[blk].buf;
        return pin_slow(blk);
    }
    Buffer pin_slow(BlockNumber blk);
    void next_gen();
    /// Drops every pin.
    void release_all();
    /// Copies id's neighbour ids on a layer to out; returns how many.
    uint32 neighbors(uint32 id, int level, uint32* out);
    /// Distance from a query code to element id.
    float distance(const uint8* query, uint32 id);
    /// Quantized index: distance from a prepared query to element id's code.
    float distance(const vx::quant::PreparedQuery& pq, uint32 id);
    /// Slot `off` of an element page: items are added in order and never
    /// removed, so slot k sits k slot sizes below the special area.
    HnswElementSlot* slot_at(Page page, OffsetNumber off) const {
        return slot_position(page, mi, off);
    }
    /// Cache hint for a code.
    void prefetch(uint32 id) const;
    /// Pins id's block (reading it if needed) and prefetches its code.
    void pin_prefetch(uint32 id) {
        Buffer buf = pin(id_block(mi, id));
        const char* p = (const char*) HnswSlotCode(slot_at(BufferGetPage(buf), id_offset(mi, id)), mi.m);
        for (uint32 off = 0; off < mi.code_size && off < 1024; off += 64)
            __builtin_prefetch(p + off);
    }
    /// Copies id's code to out; returns the slot's flags (HNSW_SLOT_*).
    uint8 copy_code(uint32 id, uint8* out);
    /// Distance between two stored codes: exact at 1x; between the decoded
    /// codes (x̂) of a quantized index.
    float between(const uint8* a, const uint8* b);
    /// Writes the value a stored code stands for (value_size bytes): the
    /// code itself at 1x, else the quantizer's reconstruction.
    void code_to_value(const uint8* code, uint8* out) const;
};

/// Visited set that grows for ids added by concurrent inserts.
struct GrowingVisited {
    vx::hnsw::VisitedSet v;
    bool insert(uint32_t id) {
        if (id >= v.capacity())
            v.resize(std::max<size_t>(size_t(id) + 1, v.capacity() * 2));
        return v.insert(id);
    }
    void clear() { v.clear(); }
};

/// Neighbour lists from pages. With a visited set (layer-0 searches), only
/// ids not visited yet are returned, and their blocks are pinned and their
/// codes prefetched at once, so the memory accesses of a whole list overlap.
struct PageNbrs {
    PageReader* r;
    const GrowingVisited* visited = nullptr;
    uint32_t operator()(uint32_t id, int level, uint32_t* out) const {
        uint32_t n = r->neighbors(id, level, out);
        if (!visited)
            return n;
        uint32_t k = 0;
        for (uint32_t j = 0; j < n; j++) {
            uint32_t x = out[j];
            if (x < visited->v.capacity() && visited->v.contains(x))
                continue;
            out[k++] = x;
            r->pin_prefetch(x);
        }
        return k;
    }
};

/// Distance from a query to elements on pages: a code of the stored layout
/// (1x), or a prepared query (quantized index, pq set).
struct PageDist {
    PageReader* r;
    const uint8* query;
    const vx::quant::PreparedQuery* pq = nullptr;
    float operator()(uint32_t id) const { return pq ? r->distance(*pq, id) : r->distance(query, id); }
    void prefetch(uint32_t id) const { r->prefetch(id); }
};

}  // namespace vx::pg::hnsw
