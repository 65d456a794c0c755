// GUC registration. Each access method adds its settings here as it lands.
extern "C" {
#include "postgres.h"
#include "utils/guc.h"
}

#include "pg/common/rescore.h"
#include "pg/module.h"

namespace vx::pg::hnsw {
void register_gucs();
}
namespace vx::pg::ivf {
void register_gucs();
}
namespace vx::pg::binary {
void register_gucs();
}

namespace vx::pg {

/* vector_ext.rescore: auto (the index's default), on, off; the boolean
 * spellings are accepted like a bool GUC's. */
static const struct config_enum_entry rescore_options[] = {
    {"auto", RESCORE_AUTO, false}, {"on", RESCORE_ON, false},   {"off", RESCORE_OFF, false},
    {"true", RESCORE_ON, true},    {"false", RESCORE_OFF, true}, {"yes", RESCORE_ON, true},
    {"no", RESCORE_OFF, true},     {"1", RESCORE_ON, true},      {"0", RESCORE_OFF, true},
    {NULL, 0, false}};

// 0 (unset: the level's default) or 1.0 .. 100.0.
static bool check_oversample(double* newval, void** extra, GucSource source) {
    (void) extra;
    (void) source;
    if (*newval == 0.0 || (*newval >= 1.0 && *newval <= 100.0))
        return true;
    GUC_check_errdetail("vector_ext.oversample_factor must be between 1.0 and 100.0, or 0 for the "
                        "compression level's default.");
    return false;
}

// Settings shared by every access method.
static void register_common_gucs() {
    DefineCustomRealVariable("vector_ext.oversample_factor",
                             "Candidates rescored per result row of a quantized index scan",
                             "0 (default) uses the compression level's default: 32x 3.0, 16x 2.0, "
                             "8x 2.0, 4x 1.0; otherwise 1.0 to 100.0.",
                             &oversample_factor_guc, 0.0, 0.0, 100.0, PGC_USERSET, 0,
                             check_oversample, NULL, NULL);
    DefineCustomEnumVariable("vector_ext.rescore",
                             "Whether quantized index scans rescore candidates with exact distances",
                             "auto (default) follows the index (on_disk mode above 2x rescores).",
                             &rescore_guc, RESCORE_AUTO, rescore_options, PGC_USERSET, 0, NULL,
                             NULL, NULL);
}

void register_gucs() {
    register_common_gucs();
    hnsw::register_gucs();
    ivf::register_gucs();
    binary::register_gucs();
    /* After every vector_ext.* variable is defined: reserving the prefix
     * removes placeholders that no defined variable took over. */
    MarkGUCPrefixReserved("vector_ext");
}

}  // namespace vx::pg
