// The vector_ext access methods as the index inspection functions
// (vector_ext_index_check, vector_ext_index_info) see them: one table, one
// row per access method, and who may
// inspect: the table's owner, superusers and members of pg_monitor, as
// amcheck and the statistics views allow.
#pragma once

extern "C" {
#include "postgres.h"
#include "access/amapi.h"
#include "utils/rel.h"
}

#include "pg/common/index_info.h"
#include "pg/common/scan_stats.h"
#include "pg/common/sizing.h"

namespace vx::pg {

/// Heap TIDs an index holds for live elements (palloc'd, grows).
struct TidList {
    ItemPointerData* tids;
    uint64 n;
    uint64 cap;
    void add(ItemPointer tid);
};

/// One vector_ext access method. An AM is recognised by its ambuild, so an
/// access method of another extension with the same name is never taken for ours.
struct IndexAm {
    const char* name;
    ambuild_function build;
    /// Verifies every page; errors name block and offset. Appends the heap
    /// TIDs of live elements to `live`.
    void (*check)(Relation index, TidList* live);
    /// Whether a non-NULL value gets an element (cosine skips zero vectors).
    bool (*indexable)(Relation index, Datum value);
    /// Fills vector_ext_index_info's row (index opened with AccessShareLock).
    IndexInfoFn info;
    /// The counters of a scan of this AM (EXPLAIN); NULL after amendscan.
    const ScanStats* (*stats)(IndexScanDesc scan);
    /// vector_ext_estimate: page layout numbers and sizing of parsed reloptions.
    vx::sizing::PageGeometry (*geometry)();
    SizingFn sizing;
};

/// The access method named `name`; an error naming it when it is not ours.
const IndexAm* index_am_by_name(const char* name);

/// The access method of a vector_ext index; an error for any other relation.
const IndexAm* index_am_of(Relation index);

/// The access method of a vector_ext index; NULL for any other relation.
const IndexAm* find_index_am(Relation index);

/// Errors (insufficient_privilege) unless the current user may inspect `index` of `heap`.
void require_inspect_privilege(Relation heap, Relation index);

/// Opens a vector_ext index for an inspection function: its table with
/// `heaplock`, the index with AccessShareLock; errors unless it is an index of
/// ours that the current user may inspect. Returns its access method.
const IndexAm* open_inspected(Oid indexoid, LOCKMODE heaplock, Relation* heap, Relation* index);

/// Errors unless `index` can be read by this session: not another session's
/// temporary index, and valid (not left over by a failed CREATE INDEX
/// CONCURRENTLY). `action` completes "cannot <action> index", e.g. "check".
void require_readable(Relation index, const char* action);

}  // namespace vx::pg
