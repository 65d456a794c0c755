// Neighbour-list maintenance on pages, shared by insert and VACUUM: choosing
// neighbours with the core heuristic from codes read off pages, and writing a
// list through GenericXLog. C++ code called inside VX_GUARD; PostgreSQL calls
// go through pg_guarded.
#pragma once

#include <vector>

#include "pg/hnsw/reader.h"

namespace vx::pg::hnsw {

/// Reusable buffers for select_for.
struct SelectScratch {
    std::vector<uint8> arena;
    std::vector<vx::hnsw::Neighbor> pool;
    std::vector<vx::hnsw::Neighbor> keep;
};

/// Picks up to cap neighbours for an element with stored code `base` among
/// `cand` (ids; deleted and free ones and `self` are skipped) with the
/// heuristic; ids go to out, their distances to out_dist. owner seeds the
/// order of exact duplicates (see core sort_candidates). In a quantized index
/// the distances are between decoded codes (x̂), i.e. the heuristic works on
/// the reconstruction, not the code distance.
void select_for(PageReader& r, const uint8* base, uint32 self, uint32 owner,
                const std::vector<uint32>& cand, size_t cap, SelectScratch& ss, std::vector<uint32>& out, std::vector<float>& out_dist);
/// select_for with the element's value (value_size bytes, 1x layout) as base.
void select_for_value(PageReader& r, const uint8* base_value, uint32 self, uint32 owner,
                      const std::vector<uint32>& cand, size_t cap, SelectScratch& ss,
                      std::vector<uint32>& out, std::vector<float>& out_dist);

/// A distance from `value` (1x layout) to elements on pages: the value itself
/// at 1x, else a query prepared into pq (which must outlive the result).
PageDist value_dist(PageReader& r, const uint8* value, vx::quant::PreparedQuery* pq);

/// Replaces id's list on a layer by ids[0, n) if it still equals expect[0, nexpect)
/// (a concurrent change wins otherwise); returns whether it wrote.
bool replace_list(PageReader& r, uint32 id, int level, const uint32* expect, uint32 nexpect,
                  const uint32* ids, uint32 n);

/// Adds `to` to id's list on a layer when there is room and it is absent;
/// returns false when the list is full.
bool append_link(PageReader& r, uint32 id, int level, uint32 to);

/// Puts `to`, which nothing reaches yet, in place of the farthest neighbour
/// of `host` on a layer that `to` links (a link it appends first when it has
/// room; when full and linking none, its last link gives way, which can cut
/// nothing off since nothing reaches `to`), so the displaced one keeps an
/// in-link from `to`; returns the displaced neighbour, or HNSW_NO_ELEMENT
/// when nothing was written (an empty list, or a concurrent change).
uint32 displace_farthest(PageReader& r, uint32 host, int level, uint32 to);

/// Candidates for an element with stored code `code` on `level`: a greedy descent from
/// the entry point, then a search of that layer with ef; ids appended to out.
void search_candidates(PageReader& r, const uint8* code, int level, size_t ef,
                       std::vector<uint32>& out);

/// Max neighbours on a layer.
static inline uint32 max_degree(const HnswMetaInfo& mi, int level) {
    return level == 0 ? uint32(2 * mi.m) : uint32(mi.m);
}

}  // namespace vx::pg::hnsw
