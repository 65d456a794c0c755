// Planner cost helpers shared by the vector_ext index access methods.
#pragma once

extern "C" {
#include "postgres.h"
#include "nodes/pathnodes.h"
}

namespace vx::pg {

/*
 * Share of the table an ordered ANN scan fetches from the heap. When the query
 * reads only part of its result (a LIMIT, or a cursor: postgres_fdw sends
 * "DECLARE ... ORDER BY dist" without LIMIT and fetches fetch_size rows), the
 * scan stops after at most `returned` rows (ef_search, or the iterative scan's
 * bound), so only those are fetched; without the cap a cursor on a shard pays
 * for a heap fetch of every row and loses to a full sort. A query that reads
 * everything (no LIMIT, no cursor) keeps the full-table cost, so ORDER BY dist
 * without LIMIT stays an exact sort.
 */
double ann_heap_selectivity(const PlannerInfo* root, double tuples, double returned,
                            double selectivity);

}  // namespace vx::pg
