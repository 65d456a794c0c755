// Turns C++ exceptions into PostgreSQL errors after all C++ frames have unwound.
#include "pg/common/error_bridge.h"

#include <cstdio>
#include <cstring>
#include <new>

#include "core/errors.h"

namespace vx::pg {

static void set(CaughtError* out, int sqlstate, const char* what) noexcept {
    out->sqlstate = sqlstate;
    std::snprintf(out->message, sizeof(out->message), "%s", what ? what : "unknown error");
}

void capture_current_exception(CaughtError* out) noexcept {
    try {
        throw;
    } catch (const std::bad_alloc&) {
        set(out, ERRCODE_OUT_OF_MEMORY, "out of memory");
    } catch (const PgError& e) {
        set(out, e.sqlstate, e.what());
    } catch (const vx::Cancelled& e) {
        set(out, ERRCODE_QUERY_CANCELED, e.what());
    } catch (const vx::LimitError& e) {
        set(out, ERRCODE_PROGRAM_LIMIT_EXCEEDED, e.what());
    } catch (const vx::InvalidArgument& e) {
        set(out, ERRCODE_INVALID_PARAMETER_VALUE, e.what());
    } catch (const std::exception& e) {
        set(out, ERRCODE_INTERNAL_ERROR, e.what());
    } catch (...) {
        set(out, ERRCODE_INTERNAL_ERROR, "unknown C++ exception");
    }
}

void rethrow_as_ereport(const CaughtError* err) {
    if (err->sqlstate == 0)
        return;
    ereport(ERROR, (errcode(err->sqlstate), errmsg("%s", err->message)));
}

}  // namespace vx::pg
