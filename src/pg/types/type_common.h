// Helpers shared by the vector, bytevector and bitvector types: limits, typmod,
// dimension checks and the bracketed-list tokenizer used by text input.
// All of these may ereport; call them only where no C++ object is alive.
#pragma once

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
}

#define VX_MAX_DIM 16000      /* vector, bytevector */
#define VX_MAX_BIT_DIM 64000  /* bitvector */

/* Parse typmod "(n)" for a type whose dimensions are 1..maxdim. */
int32 vx_typmod_in(ArrayType* mods, const char* typname, int maxdim);

/* Text form of a typmod: "(n)", or "" when unset. */
char* vx_typmod_out(int32 typmod);

/* Error unless a and b are equal: "different <typname> dimensions a and b". */
void vx_check_same_dims(const char* typname, int a, int b);

/* Error unless dim fits typmod (-1 means any): "expected n dimensions, not m". */
void vx_check_typmod_dim(int32 typmod, int dim);

/* Error unless 1 <= dim <= maxdim. */
void vx_check_dim_range(const char* typname, int dim, int maxdim);

/*
 * Tokenize "[a, b, c]" (whitespace allowed around numbers and brackets).
 * Calls on_element(ctx, token, index) with each element as a NUL-terminated
 * string without surrounding whitespace (the callback converts and stores it;
 * it may ereport). Returns the number of elements. Malformed input raises
 * "invalid input syntax for type <typname>: "<input>"" (with a detail
 * where pgvector 0.8 gives one), like pgvector.
 */
typedef void (*vx_element_fn)(void* ctx, const char* token, int index);
int vx_parse_bracketed(const char* lit, const char* typname, int maxdim,
                       vx_element_fn on_element, void* ctx);

/*
 * The elements of a 1-D array without NULLs, for array -> vector casts: checks
 * the shape, the dimension range (1..maxdim) and the typmod. Returns a palloc'd
 * Datum list (by-reference elements point into the array) and sets *n.
 */
Datum* vx_array_elements(ArrayType* array, const char* typname, int maxdim, int32 typmod, int* n);

/* Binary input: error unless the message has at least `header` bytes left
 * ("<typname> binary value of n bytes is shorter than its h-byte header"). */
void vx_check_recv_header(StringInfo buf, const char* typname, int header);

/* Binary input: error unless exactly `expected` bytes are left for the
 * elements ("expected e bytes of <typname> elements, not n"). */
void vx_check_recv_elements(StringInfo buf, const char* typname, int expected);

/* Raise "invalid input syntax for type <typname>" for lit with the given detail (or none). */
void vx_malformed(const char* typname, const char* lit, const char* detail) pg_attribute_noreturn();
