// Shared handler pieces of the access methods (am_routine.h).
#include "pg/common/am_routine.h"

extern "C" {
#include "commands/vacuum.h"
#include "nodes/pathnodes.h"
#include "utils/float.h"
}

#include "pg/common/options.h"

namespace vx::pg {

IndexAmRoutine* new_ann_amroutine() {
    IndexAmRoutine* am = makeNode(IndexAmRoutine);  // zeroed: every callback NULL
    am->amstrategies = 0;
    am->amsupport = 2;
    am->amoptsprocnum = 0;
    am->amcanorder = false;
    am->amcanorderbyop = true;
    am->amcanbackward = false;
    am->amcanunique = false;
    am->amcanmulticol = false;
    am->amoptionalkey = true;
    am->amsearcharray = false;
    am->amsearchnulls = false;
    am->amstorage = false;
    am->amclusterable = false;
    am->ampredlocks = false;
    am->amcanparallel = false;
    am->amcaninclude = false;
    am->amusemaintenanceworkmem = false;
    am->amparallelvacuumoptions = VACUUM_OPTION_PARALLEL_BULKDEL;
    am->amkeytype = InvalidOid;
    am->amvalidate = ann_validate;
    return am;
}

// Validator wrappers with the signature reloptions expect.
static void validate_mode(const char* value) { validate_mode_option(value); }
static void validate_compression(const char* value) { validate_compression_option(value); }

void add_storage_reloptions(relopt_kind kind) {
    add_string_reloption(kind, "mode", "in_memory or on_disk", NULL, validate_mode,
                         AccessExclusiveLock);
    add_string_reloption(kind, "compression_level", "1x, 2x, 4x, 8x, 16x or 32x", NULL,
                         validate_compression, AccessExclusiveLock);
}

bool cost_without_order_by(IndexPath* path, Cost* startup, Cost* total, Selectivity* selectivity,
                           double* correlation, double* pages) {
    if (path->indexorderbys != NIL)
        return false;
    *startup = get_float8_infinity();
    *total = get_float8_infinity();
    *selectivity = 0;
    *correlation = 0;
    *pages = 0;
    return true;
}

bool ann_validate(Oid opclassoid) {
    (void) opclassoid;
    return true;
}

}  // namespace vx::pg
