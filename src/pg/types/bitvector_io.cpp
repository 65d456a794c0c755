// bitvector text and binary I/O and typmod in/out.
//
// Text form: the bits as '0'/'1' characters, first bit first, like bit
// varying's ("0101"); nothing else is accepted, not even whitespace.
// Binary form: int32 bit count, then the packed bytes (most significant bit
// first, padding bits zero) -- the same bytes bit varying sends.
// Plain C-style code: everything here may ereport.
#include "pg/types/bitvector.h"

#include <cstring>

#include "pg/common/fmgr_util.h"
#include "pg/types/type_common.h"

extern "C" {
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
}

/* Allocate a zeroed bitvector of dim bits. */
BitVector* InitBitVector(int dim) {
    Size size = BITVECTOR_SIZE(dim);
    BitVector* result = (BitVector*) palloc0(size);
    SET_VARSIZE(result, size);
    result->dim = dim;
    return result;
}

/* Convert the text form to a bitvector. */
VX_FUNCTION(bitvector_in) {
    char* lit = PG_GETARG_CSTRING(0);
    int32 typmod = PG_GETARG_INT32(2);
    size_t len = strlen(lit);

    /* Check the length first, so an overlong literal fails without a scan. */
    vx_check_dim_range("bitvector", len > (size_t) VX_MAX_BIT_DIM ? VX_MAX_BIT_DIM + 1 : (int) len,
                       VX_MAX_BIT_DIM);
    for (const char* p = lit; *p; p++) {
        if (*p != '0' && *p != '1')
            vx_malformed("bitvector", lit,
                         psprintf("\"%.*s\" is not a valid binary digit.", pg_mblen(p), p));
    }
    int dim = (int) len;
    vx_check_typmod_dim(typmod, dim);

    BitVector* result = InitBitVector(dim);
    for (int i = 0; i < dim; i++) {
        if (lit[i] == '1')
            result->data[i / 8] |= (uint8) (0x80 >> (i % 8));
    }
    PG_RETURN_BITVECTOR_P(result);
}

/* Convert a bitvector to its text form. */
VX_FUNCTION(bitvector_out) {
    BitVector* vec = PG_GETARG_BITVECTOR_P(0);
    char* buf = (char*) palloc((Size) vec->dim + 1);

    for (int i = 0; i < vec->dim; i++)
        buf[i] = (vec->data[i / 8] & (0x80 >> (i % 8))) ? '1' : '0';
    buf[vec->dim] = '\0';

    PG_FREE_IF_COPY(vec, 0);
    PG_RETURN_CSTRING(buf);
}

/* Parse the typmod "(n)": the number of bits. */
VX_FUNCTION(bitvector_typmod_in) {
    ArrayType* mods = PG_GETARG_ARRAYTYPE_P(0);
    PG_RETURN_INT32(vx_typmod_in(mods, "bitvector", VX_MAX_BIT_DIM));
}

/* Print the typmod as "(n)". */
VX_FUNCTION(bitvector_typmod_out) {
    PG_RETURN_CSTRING(vx_typmod_out(PG_GETARG_INT32(0)));
}

/* Read the binary form, validating the bit count, length and padding bits. */
VX_FUNCTION(bitvector_recv) {
    StringInfo buf = (StringInfo) PG_GETARG_POINTER(0);
    int32 typmod = PG_GETARG_INT32(2);

    vx_check_recv_header(buf, "bitvector", sizeof(int32));
    int dim = (int32) pq_getmsgint(buf, sizeof(int32));
    vx_check_dim_range("bitvector", dim, VX_MAX_BIT_DIM);
    vx_check_typmod_dim(typmod, dim);
    int nbytes = BITVECTOR_BYTES(dim);
    if (buf->len - buf->cursor != nbytes)
        ereport(ERROR, (errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
                        errmsg("expected %d bytes of bitvector data for %d bits, not %d", nbytes,
                               dim, buf->len - buf->cursor)));

    BitVector* result = InitBitVector(dim);
    pq_copymsgbytes(buf, (char*) result->data, nbytes);
    /* Distances and comparisons read whole bytes: padding must be zero. */
    if (dim % 8 != 0 && (result->data[nbytes - 1] & (0xFF >> (dim % 8))) != 0)
        ereport(ERROR, (errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
                        errmsg("bitvector padding bits must be zero")));
    PG_RETURN_BITVECTOR_P(result);
}

/* Write the binary form. */
VX_FUNCTION(bitvector_send) {
    BitVector* vec = PG_GETARG_BITVECTOR_P(0);
    StringInfoData buf;

    pq_begintypsend(&buf);
    pq_sendint32(&buf, vec->dim);
    pq_sendbytes(&buf, (const char*) vec->data, BITVECTOR_BYTES(vec->dim));
    PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
