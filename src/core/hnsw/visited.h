// Visited set over dense node ids, cleared in O(1) by bumping an epoch.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

namespace vx::hnsw {

class VisitedSet {
  public:
    using Tag = uint16_t;

    explicit VisitedSet(size_t n = 0) : tags_(n, 0) {}

    /// Makes room for ids below n (new ids start unvisited).
    void resize(size_t n) {
        if (n > tags_.size())
            tags_.resize(n, 0);
    }
    size_t capacity() const { return tags_.size(); }

    /// Forgets every id; touches memory only once every 65535 calls.
    void clear() {
        if (++epoch_ == 0) {
            std::memset(tags_.data(), 0, tags_.size() * sizeof(Tag));
            epoch_ = 1;
        }
    }

    /// Marks id; true when it was not marked yet.
    bool insert(uint32_t id) {
        if (tags_[id] == epoch_)
            return false;
        tags_[id] = epoch_;
        return true;
    }
    bool contains(uint32_t id) const { return tags_[id] == epoch_; }
    void prefetch(uint32_t id) const { __builtin_prefetch(&tags_[id]); }

  private:
    std::vector<Tag> tags_;
    Tag epoch_ = 1;
};

}  // namespace vx::hnsw
