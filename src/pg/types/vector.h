// vector: float32 elements, up to 16000 dims. Same in-memory layout as
// pgvector's, so its binary wire format maps one to one.
#pragma once

extern "C" {
#include "postgres.h"
#include "fmgr.h"
}

typedef struct Vector {
    int32 vl_len_;  /* varlena header (do not touch directly!) */
    int16 dim;      /* number of dimensions */
    int16 unused;   /* reserved for future use, always zero */
    float x[FLEXIBLE_ARRAY_MEMBER];
} Vector;

#define VECTOR_SIZE(_dim) (offsetof(Vector, x) + sizeof(float) * (_dim))
#define DatumGetVector(x) ((Vector*) PG_DETOAST_DATUM(x))
#define PG_GETARG_VECTOR_P(x) DatumGetVector(PG_GETARG_DATUM(x))
#define PG_RETURN_VECTOR_P(x) PG_RETURN_POINTER(x)

/* A zeroed vector of dim dimensions (palloc'd). */
Vector* InitVector(int dim);

/* Error unless value is finite: "NaN not allowed in vector" / "infinite value not allowed in vector". */
void vector_check_element(float value);

/* Order two vectors by elements, then by dimensions (-1, 0, 1). */
int vector_cmp_internal(const Vector* a, const Vector* b);
