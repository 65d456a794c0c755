// hnsw access method: handler, reloptions, GUCs, cost estimate, validation.
#include "pg/hnsw/hnsw.h"

extern "C" {
#include "access/reloptions.h"
#include "commands/progress.h"
#include "commands/vacuum.h"
#include "optimizer/optimizer.h"
#include "utils/float.h"
#include "utils/guc.h"
#include "utils/selfuncs.h"
#include "utils/rel.h"
}

#include <cmath>

#include "pg/common/cost.h"
#include "pg/common/rescore.h"
#include "pg/common/am_routine.h"
#include "pg/common/fmgr_util.h"

int hnsw_ef_search = 40;
int hnsw_iterative_scan = HNSW_ITERATIVE_OFF;
int hnsw_max_scan_tuples = 20000;

static relopt_kind hnsw_relopt_kind;

static const struct config_enum_entry hnsw_iterative_scan_options[] = {
    {"off", HNSW_ITERATIVE_OFF, false},
    {"relaxed_order", HNSW_ITERATIVE_RELAXED, false},
    {"strict_order", HNSW_ITERATIVE_STRICT, false},
    {NULL, 0, false}};

namespace vx::pg::hnsw {

// GUCs and reloptions of hnsw (called from _PG_init through register_gucs).
void register_gucs() {
    hnsw_relopt_kind = add_reloption_kind();
    add_int_reloption(hnsw_relopt_kind, "m", "Max number of connections", HNSW_DEFAULT_M,
                      HNSW_MIN_M, HNSW_MAX_M, AccessExclusiveLock);
    add_int_reloption(hnsw_relopt_kind, "ef_construction",
                      "Size of the dynamic candidate list for construction",
                      HNSW_DEFAULT_EF_CONSTRUCTION, HNSW_MIN_EF_CONSTRUCTION,
                      HNSW_MAX_EF_CONSTRUCTION, AccessExclusiveLock);
    vx::pg::add_storage_reloptions(hnsw_relopt_kind);

    DefineCustomIntVariable("hnsw.ef_search", "Sets the size of the dynamic candidate list for search",
                            "Valid range is 1..1000.", &hnsw_ef_search, 40, 1, 1000, PGC_USERSET,
                            0, NULL, NULL, NULL);
    DefineCustomEnumVariable("hnsw.iterative_scan", "Sets the mode for iterative scans", NULL,
                             &hnsw_iterative_scan, HNSW_ITERATIVE_OFF, hnsw_iterative_scan_options,
                             PGC_USERSET, 0, NULL, NULL, NULL);
    DefineCustomIntVariable("hnsw.max_scan_tuples", "Sets the max number of tuples to visit for iterative scans",
                            NULL, &hnsw_max_scan_tuples, 20000, 1, INT_MAX, PGC_USERSET, 0, NULL,
                            NULL, NULL);
    MarkGUCPrefixReserved("hnsw");
}

}  // namespace vx::pg::hnsw

// Parses reloptions; ef_construction must be at least 2 * m.
static bytea* hnswoptions(Datum reloptions, bool validate) {
    static const relopt_parse_elt tab[] = {
        {"m", RELOPT_TYPE_INT, offsetof(HnswOptions, m)},
        {"ef_construction", RELOPT_TYPE_INT, offsetof(HnswOptions, ef_construction)},
        {"mode", RELOPT_TYPE_STRING, offsetof(HnswOptions, mode_offset)},
        {"compression_level", RELOPT_TYPE_STRING, offsetof(HnswOptions, compression_offset)},
    };
    HnswOptions* o = (HnswOptions*) build_reloptions(reloptions, validate, hnsw_relopt_kind,
                                                     sizeof(HnswOptions), tab, lengthof(tab));
    if (o && validate && o->ef_construction < 2 * o->m)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("ef_construction must be greater than or equal to 2 * m"),
                        errdetail("ef_construction is %d and m is %d; ef_construction must be in "
                                  "%d..%d and at least 2 * m.",
                                  o->ef_construction, o->m, HNSW_MIN_EF_CONSTRUCTION,
                                  HNSW_MAX_EF_CONSTRUCTION)));
    return (bytea*) o;
}

// Costs a graph search: only for ORDER BY distance (else "infinite"), with
// the work of visiting about ef_search * 2m elements done before the first row;
// a LIMIT or cursor fetches only the rows the scan can return (cost.h).
static void hnswcostestimate(PlannerInfo* root, IndexPath* path, double loop_count,
                             Cost* startup, Cost* total, Selectivity* selectivity,
                             double* correlation, double* pages) {
    if (vx::pg::cost_without_order_by(path, startup, total, selectivity, correlation, pages))
        return;
    GenericCosts costs;
    MemSet(&costs, 0, sizeof(costs));
    Relation index = index_open(path->indexinfo->indexoid, NoLock);
    int m = vx::pg::hnsw::option_m(index);
    index_close(index, NoLock);
    double tuples = Max(path->indexinfo->tuples, 1.0);
    int layers = (int) std::ceil(std::log(tuples) / std::log((double) Max(m, 2))) + 1;
    double visited = Min(tuples, (double) hnsw_ef_search * 2 * m * 0.6 + layers * m);
    costs.numIndexTuples = visited;
    genericcostestimate(root, path, loop_count, &costs);
    /* Each visited element costs a distance (an operator call) and a page access. */
    double search = visited * (cpu_operator_cost * 10 + random_page_cost * 0.01);
    *startup = costs.indexTotalCost + search;
    *total = costs.indexTotalCost + search;
    /* Rows the scan can return; a rescoring scan reads a batch of candidates
       (at least 100) from the heap, which bounds the fetches from below. */
    double returned = hnsw_iterative_scan == HNSW_ITERATIVE_OFF ? (double) hnsw_ef_search
                                                                 : (double) hnsw_max_scan_tuples;
    double os = vx::pg::oversample_factor_guc > 0 ? vx::pg::oversample_factor_guc : 1.0;
    returned = Max(returned, (double) vx::pg::rescore_candidate_count(os, hnsw_ef_search));
    *selectivity = vx::pg::ann_heap_selectivity(root, tuples, returned, costs.indexSelectivity);
    *correlation = 0;
    *pages = costs.numIndexPages;
}

// Names of the build phases in pg_stat_progress_create_index (build.cpp).
static char* hnswbuildphasename(int64 phase) {
    switch (phase) {
    case PROGRESS_CREATEIDX_SUBPHASE_INITIALIZE:
        return (char*) "initializing";
    case 2:
        return (char*) "loading tuples";
    case 3:
        return (char*) "building graph";
    case 4:
        return (char*) "writing pages";
    default:
        return NULL;
    }
}

VX_FUNCTION(hnswhandler) {
    IndexAmRoutine* am = vx::pg::new_ann_amroutine();
    am->ambuild = hnswbuild;
    am->ambuildempty = hnswbuildempty;
    am->aminsert = hnswinsert;
    am->ambulkdelete = hnswbulkdelete;
    am->amvacuumcleanup = hnswvacuumcleanup;
    am->amcostestimate = hnswcostestimate;
    am->amoptions = hnswoptions;
    am->ambuildphasename = hnswbuildphasename;
    am->ambeginscan = hnswbeginscan;
    am->amrescan = hnswrescan;
    am->amgettuple = hnswgettuple;
    am->amendscan = hnswendscan;
    PG_RETURN_POINTER(am);
}
