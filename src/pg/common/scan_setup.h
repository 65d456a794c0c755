// The parts of ambeginscan and amrescan that every ordered vector_ext scan
// (hnsw, ivf, binary) does the same way.
#pragma once

extern "C" {
#include "postgres.h"
#include "access/relscan.h"
}

#include <cstring>

namespace vx::pg {

// ambeginscan: the executor reads xs_orderbyvals / xs_orderbynulls for each
// row; they start as NULLs until the first row sets them.
inline void init_orderby_outputs(IndexScanDesc scan, int norderbys) {
    scan->xs_orderbyvals = (Datum*) palloc0(sizeof(Datum) * norderbys);
    scan->xs_orderbynulls = (bool*) palloc(sizeof(bool) * norderbys);
    for (int i = 0; i < norderbys; i++)
        scan->xs_orderbynulls[i] = true;
}

// amrescan: the new query's keys into the scan descriptor (either may be
// NULL: keep the old ones).
inline void copy_scan_keys(IndexScanDesc scan, ScanKey keys, ScanKey orderbys) {
    if (keys && scan->numberOfKeys > 0)
        memmove(scan->keyData, keys, scan->numberOfKeys * sizeof(ScanKeyData));
    if (orderbys && scan->numberOfOrderBys > 0)
        memmove(scan->orderByData, orderbys, scan->numberOfOrderBys * sizeof(ScanKeyData));
}

}  // namespace vx::pg
