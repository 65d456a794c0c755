// bytevector: int8 elements in [-128, 127], up to 16000 dims.
#pragma once

extern "C" {
#include "postgres.h"
#include "fmgr.h"
}

typedef struct ByteVector {
    int32 vl_len_;  /* varlena header (do not touch directly!) */
    int16 dim;      /* number of dimensions */
    int16 unused;   /* always zero */
    int8 x[FLEXIBLE_ARRAY_MEMBER];
} ByteVector;

#define BYTEVECTOR_SIZE(_dim) (offsetof(ByteVector, x) + sizeof(int8) * (_dim))
#define DatumGetByteVector(x) ((ByteVector*) PG_DETOAST_DATUM(x))
#define PG_GETARG_BYTEVECTOR_P(x) DatumGetByteVector(PG_GETARG_DATUM(x))
#define PG_RETURN_BYTEVECTOR_P(x) PG_RETURN_POINTER(x)

/* A zeroed bytevector of dim dimensions (palloc'd). */
ByteVector* InitByteVector(int dim);
