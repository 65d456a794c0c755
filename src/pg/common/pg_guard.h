// Calling PostgreSQL from inside C++ code (STYLE 4, way (b)): pg_guarded(f)
// runs f under PG_TRY; an ERROR is copied into a vx::pg::PgError exception
// (after FlushErrorState), so the unwind happens in C++ and VX_GUARD re-raises
// it at the boundary with the same SQLSTATE. f itself must hold no object with
// a destructor. Used by the hnsw scan and insert, whose page accessors run
// inside the core search templates.
#pragma once

extern "C" {
#include "postgres.h"
}

#include <exception>
#include <stdexcept>

#include "pg/common/error_bridge.h"

namespace vx::pg {

/// Copies the current error into err and clears it (call in PG_CATCH only).
void take_pg_error(CaughtError* err);

template <class F>
inline void pg_guarded(F&& f) {
    CaughtError err = {0, {0}};
    MemoryContext mcx = CurrentMemoryContext;
    std::exception_ptr cpp;
    PG_TRY();
    {
        /* A C++ exception must not leave the PG_TRY block (it would skip
         * restoring PG_exception_stack): hold it and rethrow below. */
        try {
            f();
        } catch (...) {
            cpp = std::current_exception();
        }
    }
    PG_CATCH();
    {
        MemoryContextSwitchTo(mcx);
        take_pg_error(&err);
    }
    PG_END_TRY();
    if (cpp)
        std::rethrow_exception(cpp);
    if (err.sqlstate != 0)
        throw PgError(err.sqlstate, err.message);
}

}  // namespace vx::pg
