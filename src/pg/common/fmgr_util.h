// Declaring SQL-callable functions from C++.
//
//   VX_FUNCTION(vector_in) { ... return PointerGetDatum(result); }
//
// gives the function C linkage and the V1 info record PostgreSQL looks up.
#pragma once

extern "C" {
#include "postgres.h"
#include "fmgr.h"
}

#define VX_FUNCTION(name)                       \
    extern "C" {                                \
    PG_FUNCTION_INFO_V1(name);                  \
    }                                           \
    extern "C" Datum name(PG_FUNCTION_ARGS)
