// What the hnsw, ivf/ivfflat and binary access methods share in their
// handlers: one ordering-only IndexAmRoutine shape, the storage reloptions
// (mode, compression_level) and the cost of a scan without ORDER BY.
#pragma once

extern "C" {
#include "postgres.h"
#include "access/amapi.h"
#include "access/reloptions.h"
}

namespace vx::pg {

/// A new IndexAmRoutine for an ANN access method: one key column, answers
/// ORDER BY distance only (no quals, no uniqueness, no index-only scans, no
/// backward or parallel scans), parallel VACUUM bulk-delete. Every callback
/// is NULL: the access method fills in its own.
IndexAmRoutine* new_ann_amroutine();

/// Adds the reloptions `mode` and `compression_level` to an access method's
/// kind, both checked by the shared options validators.
void add_storage_reloptions(relopt_kind kind);

/// An ANN index is useless without ORDER BY distance: if the path has none,
/// sets an infinite cost and returns true.
bool cost_without_order_by(IndexPath* path, Cost* startup, Cost* total, Selectivity* selectivity,
                           double* correlation, double* pages);

/// amvalidate: operator classes are created by the extension script only.
bool ann_validate(Oid opclassoid);

}  // namespace vx::pg
