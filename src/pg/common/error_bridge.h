// The C++ / PostgreSQL boundary (DESIGN §3, STYLE 3-4).
//
// ereport(ERROR) longjmps, so no C++ object with a destructor may be alive in a
// frame it crosses. Entry points therefore run C++ work inside VX_GUARD: any
// exception is caught and copied into a plain struct, the C++ scope closes
// (destructors run), and only then is the error raised with ereport.
//
//   VX_GUARD({ result = core_function(args); });
//
// Code inside the braces must not call anything that can ereport (palloc,
// ReadBuffer, CHECK_FOR_INTERRUPTS, detoasting): gather PostgreSQL data first.
#pragma once

extern "C" {
#include "postgres.h"
}

#include <exception>
#include <stdexcept>

namespace vx::pg {

/// An exception's essentials, kept in a POD so a longjmp may cross it.
struct CaughtError {
    int sqlstate;       ///< 0 when nothing was caught
    char message[512];
};

/// A PostgreSQL error carried through C++ frames (see pg_guard.h).
struct PgError : std::runtime_error {
    int sqlstate;
    PgError(int code, const char* msg) : std::runtime_error(msg), sqlstate(code) {}
};

/// Classify the exception being handled (call only inside catch).
void capture_current_exception(CaughtError* out) noexcept;

/// ereport(ERROR) with the captured message; returns only if nothing was caught.
void rethrow_as_ereport(const CaughtError* err);

}  // namespace vx::pg

#define VX_GUARD(...)                                                   \
    do {                                                                \
        ::vx::pg::CaughtError vx_caught_ = {0, {0}};                    \
        try {                                                           \
            __VA_ARGS__                                                 \
        } catch (...) {                                                 \
            ::vx::pg::capture_current_exception(&vx_caught_);           \
        }                                                               \
        ::vx::pg::rethrow_as_ereport(&vx_caught_);                      \
    } while (0)
