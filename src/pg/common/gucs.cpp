// GUC registration. Each access method adds its settings here as it lands.
extern "C" {
#include "postgres.h"
#include "utils/guc.h"
}

#include "pg/module.h"

namespace vx::pg::hnsw {
void register_gucs();
}
namespace vx::pg::ivf {
void register_gucs();
}

namespace vx::pg {

void register_gucs() {
    MarkGUCPrefixReserved("vector_ext");
    hnsw::register_gucs();
    ivf::register_gucs();
}

}  // namespace vx::pg
