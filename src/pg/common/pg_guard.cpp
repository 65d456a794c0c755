// PostgreSQL errors turned into C++ exceptions (see pg_guard.h).
#include "pg/common/pg_guard.h"

#include <cstdio>

namespace vx::pg {

// Copies message and SQLSTATE of the error being handled, then forgets it.
void take_pg_error(CaughtError* err) {
    ErrorData* e = CopyErrorData();
    FlushErrorState();
    err->sqlstate = e->sqlerrcode ? e->sqlerrcode : ERRCODE_INTERNAL_ERROR;
    std::snprintf(err->message, sizeof(err->message), "%s", e->message ? e->message : "error");
    FreeErrorData(e);
}

}  // namespace vx::pg
