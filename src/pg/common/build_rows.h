// The rows an hnsw or ivf build collects before it links or assigns them:
// values (value_size bytes each) and heap TIDs in two arrays that double.
#pragma once

extern "C" {
#include "postgres.h"
#include "storage/itemptr.h"
#include "utils/memutils.h"
}

namespace vx::pg {

// Room for row n (the arrays hold *cap rows; they start at 1024 in cxt and
// double, past 1 GB too).
inline void reserve_build_row(MemoryContext cxt, size_t n, size_t value_size, size_t* cap, uint8** codes,
                              ItemPointerData** tids) {
    if (n < *cap)
        return;
    size_t grown = *cap ? *cap * 2 : 1024;
    if (*codes) {
        *codes = (uint8*) repalloc_huge(*codes, grown * value_size);
        *tids = (ItemPointerData*) repalloc_huge(*tids, grown * sizeof(ItemPointerData));
    } else {
        *codes = (uint8*) MemoryContextAllocHuge(cxt, grown * value_size);
        *tids = (ItemPointerData*) MemoryContextAllocHuge(cxt, grown * sizeof(ItemPointerData));
    }
    *cap = grown;
}

}  // namespace vx::pg
