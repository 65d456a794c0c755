// The fuzz targets' stand-in for the PostgreSQL backend: the few backend
// functions the fuzzed code calls (palloc, ereport, pq_getmsg*, ...), without
// a server. ereport(ERROR) longjmps back into the harness, which checks that
// the error was a clear one (an explicit SQLSTATE other than XX000 and a
// message) and frees everything the input allocated.
#pragma once

extern "C" {
#include "postgres.h"
#include "fmgr.h"
}

#include <csetjmp>
#include <cstddef>

namespace vx::fuzz {

/// The last ERROR raised (valid after run() returned false).
struct LastError {
    int sqlstate;
    char message[1024];
};
extern LastError last_error;

/// Runs fn(arg) as PostgreSQL code: true when it returned, false when it
/// raised a clear ERROR (any other error, a FATAL or an unclear one aborts, a
/// finding for libFuzzer). Memory palloc'd inside lives until reset().
bool run(void (*fn)(void* arg), void* arg);

/// Frees every palloc'd block of the current input.
void reset();

/// Calls a V1 SQL function with up to three arguments (no NULLs).
Datum call3(PGFunction fn, Datum a0, Datum a1 = 0, Datum a2 = 0);

}  // namespace vx::fuzz
