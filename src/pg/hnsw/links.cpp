// Neighbour-list maintenance on pages (see links.h).
#include "pg/hnsw/links.h"

#include "pg/common/page_check.h"

extern "C" {
#include "access/generic_xlog.h"
}

#include <algorithm>

#include "pg/common/pg_guard.h"

namespace vx::pg::hnsw {

using vx::hnsw::Neighbor;

// A distance from a value, preparing the query when codes are quantized.
PageDist value_dist(PageReader& r, const uint8* value, vx::quant::PreparedQuery* pq) {
    if (!r.quant)
        return PageDist{&r, value};
    r.quant->prepare_query((const float*) value, quant_metric(r.mi.kind.metric), pq);
    return PageDist{&r, nullptr, pq};
}

// Decodes the base code, then as select_for_value.
void select_for(PageReader& r, const uint8* base, uint32 self, uint32 owner,
                const std::vector<uint32>& cand, size_t cap, SelectScratch& ss, std::vector<uint32>& out, std::vector<float>& out_dist) {
    if (!r.quant) {
        select_for_value(r, base, self, owner, cand, cap, ss, out, out_dist);
        return;
    }
    std::vector<uint8> value(r.mi.value_size);
    r.code_to_value(base, value.data());
    select_for_value(r, value.data(), self, owner, cand, cap, ss, out, out_dist);
}

// Distances from base, the heuristic over values copied (or decoded) into an arena.
void select_for_value(PageReader& r, const uint8* base, uint32 self, uint32 owner,
                      const std::vector<uint32>& cand, size_t cap, SelectScratch& ss,
                      std::vector<uint32>& out, std::vector<float>& out_dist) {
    size_t cs = r.mi.value_size;
    ss.arena.resize((cand.size() + 1) * cs);
    ss.pool.clear();
    std::vector<uint8> code(r.quant ? r.mi.code_size : 0);
    for (uint32 id : cand) {
        if (id == self)
            continue;
        bool dup = false;
        for (const Neighbor& p : ss.pool)
            dup |= p.id == id;
        if (dup)
            continue;
        uint8* value = ss.arena.data() + ss.pool.size() * cs;
        if (r.copy_code(id, r.quant ? code.data() : value) & (HNSW_SLOT_DELETED | HNSW_SLOT_FREE))
            continue;
        if (r.quant)
            r.code_to_value(code.data(), value);
        float d = vx::hnsw::code_distance(*r.k, r.mi.kind.metric, r.mi.dims, base, value);
        ss.pool.push_back({d, id});
    }
    /* Ascending, duplicates in an owner-dependent order (core sort_candidates);
     * by_pos carries each entry's arena position in place of its id. */
    std::vector<Neighbor> sorted(ss.pool);
    vx::hnsw::sort_candidates(owner, sorted);
    std::vector<Neighbor> by_pos(sorted.size());
    for (size_t i = 0; i < sorted.size(); i++) {
        uint32 pos = 0;
        while (ss.pool[pos].id != sorted[i].id)
            pos++;
        by_pos[i] = {sorted[i].dist, pos};
    }
    auto pair = [&](uint32_t a, uint32_t b) {
        return vx::hnsw::code_distance(*r.k, r.mi.kind.metric, r.mi.dims, ss.arena.data() + a * cs,
                                       ss.arena.data() + b * cs);
    };
    vx::hnsw::select_neighbors(by_pos, cap, pair, ss.keep);
    out.clear();
    out_dist.clear();
    for (const Neighbor& k : ss.keep) {
        out.push_back(ss.pool[k.id].id);
        out_dist.push_back(k.dist);
    }
}

// Greedy descent to `level`, then ef-search of that layer.
void search_candidates(PageReader& r, const uint8* code, int level, size_t ef,
                       std::vector<uint32>& out) {
    const HnswMetaInfo& mi = r.mi;
    if (mi.entry_point == HNSW_NO_ELEMENT || level > mi.max_level)
        return;
    vx::hnsw::SearchScratch s;
    s.reserve(ef, 2 * mi.m);
    GrowingVisited visited;
    visited.v.resize(size_t(r.npins) * mi.per_page);
    PageNbrs nbrs{&r};
    std::vector<uint8> value(mi.value_size);
    r.code_to_value(code, value.data());
    vx::quant::PreparedQuery pq;
    PageDist dist = value_dist(r, value.data(), &pq);
    Neighbor cur{dist(mi.entry_point), mi.entry_point};
    for (int l = mi.max_level; l > level; l--)
        cur = vx::hnsw::greedy_closest(nbrs, dist, l, cur, s);
    visited.clear();
    PageNbrs nbrs_l{&r, &visited};
    vx::hnsw::search_layer(nbrs_l, dist, visited, level, ef, &cur, 1, s);
    for (const Neighbor& n : s.results)
        out.push_back(n.id);
}

/* Where a list lives: buffer, byte offset of [count?] and layout. */
struct ListRef {
    Buffer buf;
    bool upper;      /* [count, ids] in an upper tuple; else slot count0 + nbrs */
    size_t offset;   /* upper: offset of count; slot: offset of the slot */
};

// Finds id's list on a layer; returns false when it has none. Leaves buf unlocked.
static bool find_list(PageReader& r, uint32 id, int level, ListRef* ref) {
    Buffer buf = r.pin(id_block(r.mi, id));
    bool ok = false;
    pg_guarded([&] {
        LockBuffer(buf, BUFFER_LOCK_SHARE);
        Page page = BufferGetPage(buf);
        HnswElementSlot* s = page_slot(r.index, page, r.mi, id);
        if (s && !(s->flags & HNSW_SLOT_FREE)) {
            if (level == 0) {
                *ref = {buf, false, size_t((char*) s - (char*) page)};
                ok = true;
            } else if (s->level >= level && s->upper_blk != InvalidBlockNumber) {
                ref->upper = true;
                ref->buf = InvalidBuffer;
                ref->offset = 0;
                BlockNumber ublk = s->upper_blk;
                OffsetNumber uoff = s->upper_off;
                LockBuffer(buf, BUFFER_LOCK_UNLOCK);
                buf = InvalidBuffer;
                Buffer ub = r.pin(ublk);
                LockBuffer(ub, BUFFER_LOCK_SHARE);
                Page up = BufferGetPage(ub);
                if (uoff <= PageGetMaxOffsetNumber(up)) {
                    HnswUpperTuple* t = (HnswUpperTuple*) vx::pg::page_item(
                        r.index, ublk, up, HNSW_PAGE_KIND, HNSW_PAGE_UPPER, uoff, sizeof(HnswUpperTuple));
                    if (t->owner == id && t->level >= level &&
                        ItemIdGetLength(PageGetItemId(up, uoff)) < HnswUpperSize(r.mi.m, t->level))
                        vx::pg::page_corrupt(r.index, ublk, uoff, "The upper tuple is too short for its level.");
                    if (t->owner == id && t->level >= level) {
                        ref->buf = ub;
                        ref->offset = (char*) HnswUpperList(t, r.mi.m, level) - (char*) up;
                        ok = true;
                    }
                }
                LockBuffer(ub, BUFFER_LOCK_UNLOCK);
                return;
            }
        }
        LockBuffer(buf, BUFFER_LOCK_UNLOCK);
    });
    return ok;
}

/* count and ids of a list on a (locked) page image. */
static void list_ptrs(Page page, const ListRef& ref, int m, uint32** ids, uint16** count16,
                      uint32** count32) {
    char* p = (char*) page + ref.offset;
    if (ref.upper) {
        *count32 = (uint32*) p;
        *count16 = nullptr;
        *ids = (uint32*) p + 1;
    } else {
        HnswElementSlot* s = (HnswElementSlot*) p;
        *count16 = &s->count0;
        *count32 = nullptr;
        *ids = HnswSlotNbrs(s);
    }
    (void) m;
}

// Rewrites a list through GenericXLog when `decide` says so; under the page's exclusive lock.
template <class Decide>
static bool update_list(PageReader& r, uint32 id, int level, Decide decide) {
    ListRef ref;
    if (!find_list(r, id, level, &ref))
        return false;
    bool wrote = false;
    pg_guarded([&] {
        LockBuffer(ref.buf, BUFFER_LOCK_EXCLUSIVE);
        uint32 *ids, *c32;
        uint16* c16;
        list_ptrs(BufferGetPage(ref.buf), ref, r.mi.m, &ids, &c16, &c32);
        uint32 count = c16 ? *c16 : *c32;
        uint32 next[2 * HNSW_MAX_M];
        uint32 n = 0;
        if (decide(ids, count, next, &n)) {
            GenericXLogState* st = GenericXLogStart(r.index);
            Page gp = GenericXLogRegisterBuffer(st, ref.buf, 0);
            list_ptrs(gp, ref, r.mi.m, &ids, &c16, &c32);
            memcpy(ids, next, n * sizeof(uint32));
            if (c16)
                *c16 = (uint16) n;
            else
                *c32 = n;
            GenericXLogFinish(st);
            wrote = true;
        }
        LockBuffer(ref.buf, BUFFER_LOCK_UNLOCK);
    });
    return wrote;
}

// Replace when unchanged since read.
bool replace_list(PageReader& r, uint32 id, int level, const uint32* expect, uint32 nexpect,
                  const uint32* ids, uint32 n) {
    return update_list(r, id, level, [&](const uint32* cur, uint32 count, uint32* next, uint32* nn) {
        if (count != nexpect || memcmp(cur, expect, count * sizeof(uint32)) != 0)
            return false;
        memcpy(next, ids, n * sizeof(uint32));
        *nn = n;
        return true;
    });
}

// Append when there is room.
bool append_link(PageReader& r, uint32 id, int level, uint32 to) {
    uint32 cap = max_degree(r.mi, level);
    bool full = false;
    update_list(r, id, level, [&](const uint32* cur, uint32 count, uint32* next, uint32* nn) {
        for (uint32 j = 0; j < count; j++)
            if (cur[j] == to)
                return false;
        if (count >= cap) {
            full = true;
            return false;
        }
        memcpy(next, cur, count * sizeof(uint32));
        next[count] = to;
        *nn = count + 1;
        return true;
    });
    return !full;
}

// The farthest neighbour by code distance that `to` links (or can link) gives way.
// `to` is reached by nothing (a new element no list took, an orphan VACUUM links).
uint32 displace_farthest(PageReader& r, uint32 host, int level, uint32 to) {
    const HnswMetaInfo& mi = r.mi;
    std::vector<uint32> cur(2 * mi.m + 1);
    uint32 k = r.neighbors(host, level, cur.data());
    if (k == 0)
        return HNSW_NO_ELEMENT;
    std::vector<uint8> base(mi.code_size), other(mi.code_size);
    r.copy_code(host, base.data());
    std::vector<Neighbor> by_dist;
    for (uint32 j = 0; j < k; j++) {
        if (cur[j] == to)
            return HNSW_NO_ELEMENT;
        r.copy_code(cur[j], other.data());
        by_dist.push_back({r.between(base.data(), other.data()), j});
    }
    std::sort(by_dist.begin(), by_dist.end(), [](const Neighbor& a, const Neighbor& b) { return a.dist > b.dist; });
    for (const Neighbor& f : by_dist) {
        uint32 gone = cur[f.id];
        /* `to` links it first (its own WAL record, replayed before the
         * replacement), so no crash point leaves it without this in-link. */
        if (!append_link(r, to, level, gone))
            continue;
        std::vector<uint32> next(cur.begin(), cur.begin() + k);
        next[f.id] = to;
        return replace_list(r, host, level, cur.data(), k, next.data(), k) ? gone : HNSW_NO_ELEMENT;
    }
    /* `to` is full and links none of them. Nothing reaches `to` yet, so its
     * own links reach nothing: its last one gives way to the farthest. */
    uint32 gone = cur[by_dist[0].id];
    update_list(r, to, level, [&](const uint32* tl, uint32 count, uint32* next, uint32* nn) {
        memcpy(next, tl, count * sizeof(uint32));
        if (count == 0)
            return false;
        next[count - 1] = gone;
        *nn = count;
        return true;
    });
    std::vector<uint32> next(cur.begin(), cur.begin() + k);
    next[by_dist[0].id] = to;
    return replace_list(r, host, level, cur.data(), k, next.data(), k) ? gone : HNSW_NO_ELEMENT;
}

}  // namespace vx::pg::hnsw
