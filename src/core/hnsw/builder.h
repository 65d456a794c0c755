// HnswBuilder: inserts the elements of a Space into an HnswGraph, with worker
// threads for a bulk build or one at a time afterwards.
//
// Insertion (paper alg. 1): the node's level is fixed by the graph
// (random_level); a greedy walk descends from the entry point to the node's
// level; on each layer from there down to 0 a search with ef_construction
// finds candidates, the selection heuristic keeps up to m of them, and each
// kept neighbour links back, re-running the heuristic over its own list when
// that list is full (m on upper layers, 2m on layer 0). A shrinking list on
// layer 0 keeps a node whose only in-link it holds (metric spaces), so no
// node becomes unreachable (many duplicates, hard data).
//
// Locking: one spinlock per node guards that node's neighbour lists (readers
// copy a list out under the lock; no thread ever holds two node locks); one
// mutex guards the entry point. All nodes are added to the graph before the
// threads start, so no array moves during a build. A node becomes reachable
// only through back links made after its own lists are written.
//
// After build() throws (cancel or error) the graph is incomplete: discard it.
//
// Usage (PG build: collect codes, check estimate_bytes, build, write pages):
//   FlatSpace space(Metric::l2_f32, dim, codes, n);
//   HnswGraph graph(m, seed);
//   HnswBuilder<FlatSpace>(graph, space, ef_construction)
//       .build(n_threads, [&](size_t done) { report(done); return !cancelled(); });
//   then per node: graph.level(i), graph.neighbors(i, l) for l in 0..level,
//   and graph.entry_point(), graph.max_level().
#pragma once

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/errors.h"
#include "core/hnsw/algorithm.h"
#include "core/hnsw/graph.h"
#include "core/hnsw/parallel.h"
#include "core/hnsw/visited.h"

namespace vx::hnsw {

/// One byte spinlock per node; yields to the scheduler when contended (2 cores).
class NodeLocks {
  public:
    /// Makes room for n locks; only while no thread holds one.
    void resize(size_t n) {
        if (n <= n_)
            return;
        n = std::max(n, n_ * 2);  // single inserts grow it one node at a time
        auto fresh = std::make_unique<std::atomic<uint8_t>[]>(n);
        for (size_t i = 0; i < n; i++)
            fresh[i].store(0, std::memory_order_relaxed);
        v_ = std::move(fresh);
        n_ = n;
    }
    /// Spins (then yields) until lock i is ours.
    void lock(uint32_t i) {
        for (int spins = 0; v_[i].exchange(1, std::memory_order_acquire); spins++) {
            while (v_[i].load(std::memory_order_relaxed)) {
                if (++spins > 64)
                    std::this_thread::yield();
            }
        }
    }
    /// Releases lock i.
    void unlock(uint32_t i) { v_[i].store(0, std::memory_order_release); }

  private:
    std::unique_ptr<std::atomic<uint8_t>[]> v_;
    size_t n_ = 0;
};

/// Holds node lock `id` for a scope when kLocked. RAII, so that an exception
/// thrown under the lock (a failing distance, bad_alloc) cannot leave it held
/// and hang the other workers.
template <bool kLocked>
class NodeLockGuard {
  public:
    NodeLockGuard(NodeLocks& locks, uint32_t id) : locks_(locks), id_(id) {
        if (kLocked)
            locks_.lock(id_);
    }
    ~NodeLockGuard() {
        if (kLocked)
            locks_.unlock(id_);
    }
    NodeLockGuard(const NodeLockGuard&) = delete;
    NodeLockGuard& operator=(const NodeLockGuard&) = delete;

  private:
    NodeLocks& locks_;
    uint32_t id_;
};

template <class Space>
class HnswBuilder {
  public:
    /// ef_construction: candidates kept per layer while inserting (>= 1).
    HnswBuilder(HnswGraph& graph, const Space& space, int ef_construction)
        : g_(graph), sp_(space), efc_(size_t(ef_construction)), protect_(space.is_metric()),
          l0_select_(size_t(graph.m())) {
        if (ef_construction < 1)
            throw InvalidArgument("hnsw ef_construction must be positive");
    }

    /// Inserts elements g.size() .. space.size()-1 on n_threads worker threads.
    /// The calling thread only polls progress(inserted so far); false cancels
    /// and vx::Cancelled is thrown. Worker exceptions are rethrown here.
    void build(int n_threads, const ProgressFn& progress = nullptr, int poll_ms = 20) {
        size_t start = g_.size(), end = sp_.size();
        if (start >= end)
            return;
        if (n_threads < 1)
            n_threads = 1;
        g_.reserve(end);
        for (size_t i = start; i < end; i++)
            g_.add_node(g_.random_level(uint32_t(i)));
        prepare_workers(size_t(n_threads), end);
        if (g_.entry_point() == kNoNode)
            insert<false>(uint32_t(start++), workers_[0]);  // the first node needs no search
        size_t first = start;
        if (n_threads == 1) {
            parallel_for_with_progress(
                end - first, 1,
                [&](int, size_t i) { insert<false>(uint32_t(first + i), workers_[0]); }, progress,
                poll_ms);
        } else {
            parallel_for_with_progress(
                end - first, n_threads,
                [&](int w, size_t i) { insert<true>(uint32_t(first + i), workers_[size_t(w)]); },
                progress, poll_ms);
        }
    }

    /// Whether a full list, re-pruned when a back link arrives, is filled up
    /// again with the closest pruned neighbours (default false: full lists
    /// make every later back link drop a node, which loses more in-links).
    void set_keep_pruned(bool on) { keep_pruned_ = on; }
    /// How many neighbours a new node picks on layer 0 (default m, as hnswlib
    /// does; back links still fill lists up to 2m). 2m costs about 1.7x the
    /// build time for the same recall on 200k x 128 clustered data.
    void set_layer0_select(size_t n) { l0_select_ = std::max<size_t>(1, std::min<size_t>(n, g_.max_degree(0))); }

    /// Whether a shrinking list keeps a node whose only layer-0 in-link it
    /// holds (default: for metric spaces; with inner product many nodes have
    /// no in-links by nature, and rescuing them costs much recall).
    void set_protect_orphans(bool on) { protect_ = on; }

    /// Inserts the next element (id g.size(), which space must already hold) on
    /// this thread; returns its id.
    uint32_t insert_next() {
        uint32_t id = uint32_t(g_.size());
        if (id >= sp_.size())
            throw InvalidArgument("hnsw insert: the space holds no element " + std::to_string(id));
        g_.add_node(g_.random_level(id));
        prepare_workers(1, size_t(id) + 1);
        insert<false>(id, workers_[0]);
        return id;
    }

  private:
    /// Per-thread buffers, reused for every insertion.
    struct Worker {
        VisitedSet visited;
        SearchScratch s;
        std::vector<Neighbor> found;   ///< sorted candidates of one layer
        std::vector<Neighbor> pool;    ///< a full list plus the new node
        std::vector<Neighbor> keep;    ///< heuristic output for back links
    };

    /// Distance from a stored element (the node being inserted) to others.
    struct ElemDist {
        const Space& sp;
        uint32_t base;
        float operator()(uint32_t id) const { return sp.distance_between(base, id); }
        void prefetch(uint32_t id) const { sp.prefetch(id); }
    };
    struct PairDist {
        const Space& sp;
        float operator()(uint32_t a, uint32_t b) const { return sp.distance_between(a, b); }
    };
    /// Copies a neighbour list, under the node's lock when kLocked.
    template <bool kLocked>
    struct Nbrs {
        const HnswGraph& g;
        NodeLocks& locks;
        uint32_t operator()(uint32_t id, int level, uint32_t* out) const {
            NodeLockGuard<kLocked> guard(locks, id);
            NeighborList nl = g.neighbors(id, level);
            std::memcpy(out, nl.ids, nl.count * sizeof(uint32_t));
            return nl.count;
        }
    };

    /// Sizes per-thread buffers, locks and in-degrees for n_nodes nodes.
    void prepare_workers(size_t n_workers, size_t n_nodes) {
        if (workers_.size() < n_workers)
            workers_.resize(n_workers);
        for (Worker& w : workers_) {
            w.visited.resize(n_nodes);
            w.s.reserve(efc_, g_.max_degree(0));
        }
        locks_.resize(n_nodes);
        if (indegree_n_ < n_nodes) {
            size_t grown = std::max(n_nodes, indegree_n_ * 2);
            auto fresh = std::make_unique<std::atomic<uint32_t>[]>(grown);
            for (size_t i = 0; i < grown; i++)
                fresh[i].store(i < indegree_n_ ? indegree_[i].load() : 0, std::memory_order_relaxed);
            indegree_ = std::move(fresh);
            indegree_n_ = grown;
        }
    }

    /// Links node id into the graph (paper alg. 1).
    template <bool kLocked>
    void insert(uint32_t id, Worker& w) {
        int level = g_.level(id);
        uint32_t ep;
        int top;
        {
            std::lock_guard<std::mutex> lk(ep_mu_);
            ep = g_.entry_point();
            top = g_.max_level();
            if (ep == kNoNode) {
                g_.set_entry_point(id, level);
                return;
            }
        }
        ElemDist dist{sp_, id};
        Nbrs<kLocked> nbrs{g_, locks_};
        PairDist pair{sp_};
        Neighbor cur{dist(ep), ep};
        for (int l = top; l > level; l--)
            cur = greedy_closest(nbrs, dist, l, cur, w.s);

        w.found.assign(1, cur);
        for (int l = std::min(level, top); l >= 0; l--) {
            w.visited.clear();
            // Another thread that found this node on a higher layer may already
            // link to it here; never let the node find (and link to) itself.
            w.visited.insert(id);
            search_layer(nbrs, dist, w.visited, l, efc_, w.found.data(), w.found.size(), w.s);
            w.found.assign(w.s.results.begin(), w.s.results.end());
            sort_candidates(id, w.found);
            select_neighbors(w.found, l == 0 ? l0_select_ : g_.max_degree(l), pair, w.s.selected);
            set_own_list<kLocked>(id, l, w.s.selected, w);
            for (const Neighbor& n : w.s.selected)
                add_link<kLocked>(n.id, id, n.dist, l, w);
        }
        if (level > top) {
            std::lock_guard<std::mutex> lk(ep_mu_);
            if (level > g_.max_level())
                g_.set_entry_point(id, level);
        }
    }

    /// Writes the node's list on one layer. Another thread may already have
    /// linked back to this node there (it found the node through a higher
    /// layer), so links present are merged in rather than overwritten.
    template <bool kLocked>
    void set_own_list(uint32_t id, int level, const std::vector<Neighbor>& sel, Worker& w) {
        NodeLockGuard<kLocked> guard(locks_, id);
        uint32_t* slot = g_.mutable_slot(id, level);
        w.pool.assign(sel.begin(), sel.end());
        for (uint32_t j = 0; j < slot[0]; j++) {
            uint32_t other = slot[1 + j];
            if (!contains(sel, other))
                w.pool.push_back({sp_.distance_between(id, other), other});
        }
        rewrite_list(id, level, slot, w);
    }

    /// Adds `from -> to` on one layer; a full list is re-pruned with the heuristic.
    template <bool kLocked>
    void add_link(uint32_t from, uint32_t to, float d, int level, Worker& w) {
        uint32_t cap = g_.max_degree(level);
        NodeLockGuard<kLocked> guard(locks_, from);
        uint32_t* slot = g_.mutable_slot(from, level);
        uint32_t count = slot[0];
        if (in_slot(slot, to)) {
            // `from` was inserted concurrently and already chose `to`.
        } else if (count < cap) {
            slot[1 + count] = to;
            slot[0] = count + 1;
            if (level == 0)
                indegree_[to].fetch_add(1, std::memory_order_relaxed);
        } else {
            w.pool.clear();
            w.pool.push_back({d, to});
            for (uint32_t j = 0; j < count; j++)
                w.pool.push_back({sp_.distance_between(from, slot[1 + j]), slot[1 + j]});
            rewrite_list(from, level, slot, w);
        }
    }

    static bool contains(const std::vector<Neighbor>& v, uint32_t id) {
        for (const Neighbor& n : v)
            if (n.id == id)
                return true;
        return false;
    }

    /// Replaces the list in `slot` (owner's lock held) by the best of w.pool:
    /// all of it when it fits, else the heuristic's choice. On layer 0 a node
    /// whose only in-link this list holds is kept, in place of the farthest
    /// kept node that has other in-links, so no node becomes unreachable.
    void rewrite_list(uint32_t owner, int level, uint32_t* slot, Worker& w) {
        uint32_t cap = g_.max_degree(level);
        std::vector<Neighbor>& keep = w.keep;
        if (w.pool.size() <= cap) {
            keep.assign(w.pool.begin(), w.pool.end());
        } else {
            sort_candidates(owner, w.pool);
            select_neighbors(w.pool, cap, PairDist{sp_}, keep, keep_pruned_);
        }
        if (level == 0 && protect_) {
            // In-degree each pool member would have without this list.
            auto others = [&](uint32_t id) {
                uint32_t d = indegree_[id].load(std::memory_order_relaxed);
                return d - (in_slot(slot, id) ? 1 : 0);
            };
            // keep[0, protected_end) are rescued nodes; at most a quarter of
            // the list, as some metrics (inner product) leave many nodes
            // without in-links by nature and must not fill lists with them.
            size_t protected_end = 0, max_rescued = std::max<size_t>(1, cap / 4);
            for (const Neighbor& p : w.pool) {
                if (protected_end >= max_rescued)
                    break;
                if (contains(keep, p.id) || others(p.id) > 0)
                    continue;
                if (keep.size() < cap) {
                    keep.push_back(p);
                    std::swap(keep.back(), keep[protected_end++]);
                    continue;
                }
                for (size_t j = keep.size(); j-- > protected_end;) {
                    if (others(keep[j].id) > 0) {
                        keep[j] = p;
                        std::swap(keep[j], keep[protected_end++]);
                        break;
                    }
                }
            }
            for (uint32_t j = 0; j < slot[0]; j++)
                if (!contains(keep, slot[1 + j]))
                    indegree_[slot[1 + j]].fetch_sub(1, std::memory_order_relaxed);
            for (const Neighbor& k : keep)
                if (!in_slot(slot, k.id))
                    indegree_[k.id].fetch_add(1, std::memory_order_relaxed);
        }
        for (size_t i = 0; i < keep.size(); i++)
            slot[1 + i] = keep[i].id;
        slot[0] = uint32_t(keep.size());
    }

    static bool in_slot(const uint32_t* slot, uint32_t id) {
        for (uint32_t j = 0; j < slot[0]; j++)
            if (slot[1 + j] == id)
                return true;
        return false;
    }

    HnswGraph& g_;
    const Space& sp_;
    size_t efc_;
    bool protect_;  ///< keep nodes' last in-links (metric spaces only)
    bool keep_pruned_ = false;
    size_t l0_select_;  ///< neighbours a new node picks on layer 0
    NodeLocks locks_;
    /// Layer-0 in-links per node (approximate under concurrency; used only to
    /// avoid dropping a node's last in-link).
    std::unique_ptr<std::atomic<uint32_t>[]> indegree_;
    size_t indegree_n_ = 0;
    std::mutex ep_mu_;
    std::vector<Worker> workers_;
};

}  // namespace vx::hnsw
