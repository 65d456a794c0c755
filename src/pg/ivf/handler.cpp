// ivf and ivfflat access methods: handlers, reloptions, GUCs, cost estimate.
#include "pg/ivf/ivf.h"

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

#include "pg/common/am_routine.h"
#include "pg/common/cost.h"
#include "pg/common/fmgr_util.h"

IvfGucs ivf_gucs[2] = {
    {IVF_DEFAULT_PROBES, IVF_ITERATIVE_OFF, IVF_MAX_LISTS},
    {IVFFLAT_DEFAULT_PROBES, IVF_ITERATIVE_OFF, IVF_MAX_LISTS},
};

static relopt_kind ivf_relopt_kind;
static relopt_kind ivfflat_relopt_kind;

static const struct config_enum_entry ivf_iterative_scan_options[] = {
    {"off", IVF_ITERATIVE_OFF, false},
    {"relaxed_order", IVF_ITERATIVE_RELAXED, false},
    {"strict_order", IVF_ITERATIVE_STRICT, false},
    {NULL, 0, false}};
/* pgvector's ivfflat.iterative_scan has no strict_order. */
static const struct config_enum_entry ivfflat_iterative_scan_options[] = {
    {"off", IVF_ITERATIVE_OFF, false},
    {"relaxed_order", IVF_ITERATIVE_RELAXED, false},
    {NULL, 0, false}};

// probes, iterative_scan and max_probes under one prefix.
static void define_scan_gucs(const char* prefix, IvfGucs* g, int default_probes,
                             const struct config_enum_entry* iterative) {
    char name[64];
    snprintf(name, sizeof(name), "%s.probes", prefix);
    DefineCustomIntVariable(pstrdup(name), "Sets the number of lists to probe",
                            "Valid range is 1..32768 (at most the index's lists are probed).",
                            &g->probes, default_probes, 1, IVF_MAX_LISTS, PGC_USERSET, 0, NULL, NULL, NULL);
    snprintf(name, sizeof(name), "%s.iterative_scan", prefix);
    DefineCustomEnumVariable(pstrdup(name), "Sets the mode for iterative scans", NULL,
                             &g->iterative_scan, IVF_ITERATIVE_OFF, iterative, PGC_USERSET, 0, NULL,
                             NULL, NULL);
    snprintf(name, sizeof(name), "%s.max_probes", prefix);
    DefineCustomIntVariable(pstrdup(name), "Sets the max number of probes for iterative scans", NULL,
                            &g->max_probes, IVF_MAX_LISTS, 1, IVF_MAX_LISTS, PGC_USERSET, 0, NULL, NULL, NULL);
    MarkGUCPrefixReserved(prefix);
}

namespace vx::pg::ivf {

// GUCs and reloptions of ivf and ivfflat (called from _PG_init through register_gucs).
void register_gucs() {
    ivf_relopt_kind = add_reloption_kind();
    add_int_reloption(ivf_relopt_kind, "lists", "Number of inverted lists (default: rows / 1000, sqrt(rows) above 1M rows)",
                      0, IVF_MIN_LISTS, IVF_MAX_LISTS, AccessExclusiveLock);
    add_int_reloption(ivf_relopt_kind, "pq_m", "Product quantization sub-quantizers", 0, 1, 16000,
                      AccessExclusiveLock);
    vx::pg::add_storage_reloptions(ivf_relopt_kind);
    ivfflat_relopt_kind = add_reloption_kind();
    add_int_reloption(ivfflat_relopt_kind, "lists", "Number of inverted lists (default: rows / 1000, sqrt(rows) above 1M rows)",
                      0, IVF_MIN_LISTS, IVF_MAX_LISTS, AccessExclusiveLock);
    define_scan_gucs("ivf", &ivf_gucs[IVF_FLAVOR_IVF], IVF_DEFAULT_PROBES, ivf_iterative_scan_options);
    define_scan_gucs("ivfflat", &ivf_gucs[IVF_FLAVOR_IVFFLAT], IVFFLAT_DEFAULT_PROBES,
                     ivfflat_iterative_scan_options);
}

}  // namespace vx::pg::ivf

// Parses ivf reloptions.
static bytea* ivfoptions(Datum reloptions, bool validate) {
    static const relopt_parse_elt tab[] = {
        {"lists", RELOPT_TYPE_INT, offsetof(IvfOptions, lists)},
        {"pq_m", RELOPT_TYPE_INT, offsetof(IvfOptions, pq_m)},
        {"mode", RELOPT_TYPE_STRING, offsetof(IvfOptions, mode_offset)},
        {"compression_level", RELOPT_TYPE_STRING, offsetof(IvfOptions, compression_offset)},
    };
    return (bytea*) build_reloptions(reloptions, validate, ivf_relopt_kind, sizeof(IvfOptions), tab,
                                     lengthof(tab));
}

// Parses ivfflat reloptions (lists only, as pgvector's).
static bytea* ivfflatoptions(Datum reloptions, bool validate) {
    static const relopt_parse_elt tab[] = {
        {"lists", RELOPT_TYPE_INT, offsetof(IvfOptions, lists)},
    };
    return (bytea*) build_reloptions(reloptions, validate, ivfflat_relopt_kind, sizeof(IvfOptions), tab,
                                     lengthof(tab));
}

// Costs probing: only for ORDER BY distance (else "infinite"); every entry of
// the probed share of lists is read and compared before the first row.
static void cost(int flavor, PlannerInfo* root, IndexPath* path, double loop_count, Cost* startup,
                 Cost* total, Selectivity* selectivity, double* correlation, double* pages) {
    if (vx::pg::cost_without_order_by(path, startup, total, selectivity, correlation, pages))
        return;
    GenericCosts costs;
    MemSet(&costs, 0, sizeof(costs));
    double tuples = Max(path->indexinfo->tuples, 1.0);
    /* lists as built are in the metapage; an estimate from the size is enough here. */
    Relation index = index_open(path->indexinfo->indexoid, NoLock);
    int lists = vx::pg::ivf::option_lists(index);
    index_close(index, NoLock);
    if (lists <= 0)
        lists = (int) vx::pg::ivf::default_lists(tuples);
    double ratio = Min(1.0, (double) ivf_gucs[flavor].probes / lists);
    costs.numIndexTuples = tuples * ratio;
    genericcostestimate(root, path, loop_count, &costs);
    double work = costs.numIndexTuples * cpu_operator_cost * 2 + lists * cpu_operator_cost;
    *startup = costs.indexTotalCost + work;
    *total = costs.indexTotalCost + work;
    /* Rows the scan can return: the probed lists' entries, or with an
       iterative scan those of max_probes lists (cost.h). */
    int probes = ivf_gucs[flavor].iterative_scan == IVF_ITERATIVE_OFF ? ivf_gucs[flavor].probes
                                                                      : ivf_gucs[flavor].max_probes;
    double returned = tuples * Min(1.0, (double) probes / lists);
    *selectivity = vx::pg::ann_heap_selectivity(root, tuples, returned, costs.indexSelectivity);
    *correlation = 0;
    *pages = costs.numIndexPages;
}

static void ivfcostestimate(PlannerInfo* root, IndexPath* path, double loop_count, Cost* startup,
                            Cost* total, Selectivity* selectivity, double* correlation, double* pages) {
    cost(IVF_FLAVOR_IVF, root, path, loop_count, startup, total, selectivity, correlation, pages);
}

static void ivfflatcostestimate(PlannerInfo* root, IndexPath* path, double loop_count, Cost* startup,
                                Cost* total, Selectivity* selectivity, double* correlation, double* pages) {
    cost(IVF_FLAVOR_IVFFLAT, root, path, loop_count, startup, total, selectivity, correlation, pages);
}

// Names of the build phases in pg_stat_progress_create_index (build.cpp).
static char* ivfbuildphasename(int64 phase) {
    switch (phase) {
    case PROGRESS_CREATEIDX_SUBPHASE_INITIALIZE:
        return (char*) "initializing";
    case 2:
        return (char*) "loading tuples";
    case 3:
        return (char*) "performing k-means";
    case 4:
        return (char*) "assigning tuples";
    case 5:
        return (char*) "writing pages";
    default:
        return NULL;
    }
}

// The routine both names share.
static IndexAmRoutine* make_routine() {
    IndexAmRoutine* am = vx::pg::new_ann_amroutine();
    am->ambuild = ivfbuild;
    am->ambuildempty = ivfbuildempty;
    am->aminsert = ivfinsert;
    am->ambulkdelete = ivfbulkdelete;
    am->amvacuumcleanup = ivfvacuumcleanup;
    am->amcostestimate = ivfcostestimate;
    am->amoptions = ivfoptions;
    am->ambuildphasename = ivfbuildphasename;
    am->ambeginscan = ivfbeginscan;
    am->amrescan = ivfrescan;
    am->amgettuple = ivfgettuple;
    am->amendscan = ivfendscan;
    return am;
}

VX_FUNCTION(ivfhandler) { PG_RETURN_POINTER(make_routine()); }

// ivfflat: the same AM at 1x, with pgvector's reloptions and GUC names.
VX_FUNCTION(ivfflathandler) {
    IndexAmRoutine* am = make_routine();
    am->ambuild = ivfflatbuild;
    am->ambuildempty = ivfflatbuildempty;
    am->amoptions = ivfflatoptions;
    am->amcostestimate = ivfflatcostestimate;
    PG_RETURN_POINTER(am);
}
