// GUC registration. Each access method adds its settings here as it lands.
extern "C" {
#include "postgres.h"
#include "utils/guc.h"
}

#include "pg/module.h"

namespace vx::pg::hnsw {
void register_gucs();
}
namespace vx::pg::binary {
void register_gucs();
}

namespace vx::pg {

void register_gucs() {
    hnsw::register_gucs();
    binary::register_gucs();
    /* After every vector_ext.* variable is defined: reserving the prefix
     * removes placeholders that no defined variable took over. */
    MarkGUCPrefixReserved("vector_ext");
}

}  // namespace vx::pg
