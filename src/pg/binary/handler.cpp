// binary access method: handler, reloptions, GUCs, cost estimate.
#include "pg/binary/binary.h"

extern "C" {
#include "access/reloptions.h"
#include "commands/progress.h"
#include "commands/vacuum.h"
#include "optimizer/cost.h"
#include "optimizer/optimizer.h"
#include "utils/float.h"
#include "utils/guc.h"
#include "utils/selfuncs.h"
#include "utils/rel.h"
}

#include "pg/common/am_routine.h"
#include "pg/common/fmgr_util.h"

int binary_batch_size = 100;

static relopt_kind binary_relopt_kind;

namespace vx::pg::binary {

// GUCs and reloptions of binary (called from _PG_init through register_gucs).
void register_gucs() {
    binary_relopt_kind = add_reloption_kind();
    vx::pg::add_storage_reloptions(binary_relopt_kind);
    /* Not "binary.batch_size": BINARY is an SQL keyword, so SET would need quotes. */
    DefineCustomIntVariable("vector_ext.binary_batch_size",
                            "Sets the number of rows one pass over a binary index yields",
                            "Quantized indexes rescore ceil(oversample * batch_size) candidates "
                            "(at least 100) per pass. Valid range is 1..10000.",
                            &binary_batch_size, 100, 1, 10000, PGC_USERSET, 0, NULL, NULL, NULL);
}

// mode and compression_level of parsed reloptions (NULL: none) through the
// shared resolver; level, when not NULL, replaces compression_level.
vx::pg::ResolvedOptions resolve_reloptions(const bytea* rd_options, vx::pg::OptionTarget target, const char* level) {
    const BinaryOptions* o = (const BinaryOptions*) rd_options;
    const char* mode = NULL;
    if (o && o->mode_offset)
        mode = (const char*) o + o->mode_offset;
    if (!level && o && o->compression_offset)
        level = (const char*) o + o->compression_offset;
    /* Column, operator class and messages as hnsw resolves them; this AM's
     * own defaults: in_memory means 32x codes, and quantized levels rescore. */
    target.max_level = vx::pg::Compression::x32;
    target.in_memory_level = vx::pg::Compression::x32;
    target.in_memory_rescores = true;
    return vx::pg::resolve_options(mode, level, target);
}

}  // namespace vx::pg::binary

// Parses reloptions.
static bytea* binaryoptions(Datum reloptions, bool validate) {
    static const relopt_parse_elt tab[] = {
        {"mode", RELOPT_TYPE_STRING, offsetof(BinaryOptions, mode_offset)},
        {"compression_level", RELOPT_TYPE_STRING, offsetof(BinaryOptions, compression_offset)},
    };
    return (bytea*) build_reloptions(reloptions, validate, binary_relopt_kind,
                                     sizeof(BinaryOptions), tab, lengthof(tab));
}

// Costs a full pass over the codes: only for ORDER BY distance (else
// "infinite"); every page is read sequentially and every entry costs a
// (cheap, vectorized) code distance, all before the first row.
static void binarycostestimate(PlannerInfo* root, IndexPath* path, double loop_count,
                               Cost* startup, Cost* total, Selectivity* selectivity,
                               double* correlation, double* pages) {
    (void) root;
    (void) loop_count;
    if (vx::pg::cost_without_order_by(path, startup, total, selectivity, correlation, pages))
        return;
    double npages = Max((double) path->indexinfo->pages, 1.0);
    double tuples = Max(path->indexinfo->tuples, 1.0);
    double scan = npages * seq_page_cost + tuples * cpu_operator_cost * 0.5;
    *startup = scan;
    /* The rows themselves: a few heap fetches per row returned. */
    *total = scan + tuples * cpu_index_tuple_cost * 0.01;
    *selectivity = 1.0;
    *correlation = 0;
    *pages = npages;
}

// Names of the build phases in pg_stat_progress_create_index (build.cpp).
static char* binarybuildphasename(int64 phase) {
    switch (phase) {
    case PROGRESS_CREATEIDX_SUBPHASE_INITIALIZE:
        return (char*) "initializing";
    case 2:
        return (char*) "loading tuples";
    case 3:
        return (char*) "writing pages";
    case 4:
        return (char*) "sampling";
    default:
        return NULL;
    }
}

VX_FUNCTION(binaryhandler) {
    IndexAmRoutine* am = vx::pg::new_ann_amroutine();
    am->ambuild = binarybuild;
    am->ambuildempty = binarybuildempty;
    am->aminsert = binaryinsert;
    am->ambulkdelete = binarybulkdelete;
    am->amvacuumcleanup = binaryvacuumcleanup;
    am->amcostestimate = binarycostestimate;
    am->amoptions = binaryoptions;
    am->ambuildphasename = binarybuildphasename;
    am->ambeginscan = binarybeginscan;
    am->amrescan = binaryrescan;
    am->amgettuple = binarygettuple;
    am->amendscan = binaryendscan;
    PG_RETURN_POINTER(am);
}
