// Planner cost helpers shared by the vector_ext index access methods (cost.h).
#include "pg/common/cost.h"

namespace vx::pg {

double ann_heap_selectivity(const PlannerInfo* root, double tuples, double returned,
                            double selectivity) {
    /* tuple_fraction: 0 = all rows wanted; (0, 1) = a fraction (cursors); >= 1 = a LIMIT. */
    if (root == nullptr || root->tuple_fraction <= 0 || tuples <= 0)
        return selectivity;
    double share = returned / tuples;
    return share < selectivity ? share : selectivity;
}

}  // namespace vx::pg
