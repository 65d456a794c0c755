// GUC registration. Each access method adds its settings here as it lands.
extern "C" {
#include "postgres.h"
#include "utils/guc.h"
}

#include "pg/module.h"

namespace vx::pg {

void register_gucs() {
    MarkGUCPrefixReserved("vector_ext");
}

}  // namespace vx::pg
