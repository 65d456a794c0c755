// Hooks each part of the PostgreSQL layer registers at load time.
#pragma once

namespace vx::pg {

/// Defines every GUC of the extension (called once from _PG_init).
void register_gucs();

}  // namespace vx::pg
