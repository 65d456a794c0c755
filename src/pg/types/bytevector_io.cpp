// bytevector text and binary I/O and typmod in/out.
//
// Text form: "[1,-2,127]", whitespace allowed around elements and brackets
// (tokenized by vx_parse_bracketed). Each element is a decimal integer with an
// optional sign, in [-128, 127]; anything else ("1.5", "1e2") is rejected.
// Binary form: uint16 dims, uint16 unused (0), then one signed byte per element.
// Plain C-style code: everything here may ereport.
#include "pg/types/bytevector.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "pg/common/fmgr_util.h"
#include "pg/types/type_common.h"

extern "C" {
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
}

/* What the element callback needs: the whole literal (for errors) and the output. */
typedef struct ByteVectorParse {
    const char* lit;
    int8* x;
} ByteVectorParse;

/* Allocate a zeroed bytevector of dim dimensions. */
ByteVector* InitByteVector(int dim) {
    Size size = BYTEVECTOR_SIZE(dim);
    ByteVector* result = (ByteVector*) palloc0(size);
    SET_VARSIZE(result, size);
    result->dim = (int16) dim;
    return result;
}

/* True if token is an optional sign followed by one or more decimal digits. */
static bool is_integer_token(const char* token) {
    const char* p = token;
    if (*p == '+' || *p == '-')
        p++;
    if (*p == '\0')
        return false;
    for (; *p; p++)
        if (!isdigit((unsigned char) *p))
            return false;
    return true;
}

/* Convert one element of the text form and store it (vx_element_fn). */
static void bytevector_parse_element(void* ctx, const char* token, int index) {
    ByteVectorParse* state = (ByteVectorParse*) ctx;
    if (!is_integer_token(token))
        vx_malformed("bytevector", state->lit, psprintf("\"%s\" is not an integer.", token));

    errno = 0;
    long value = strtol(token, NULL, 10);
    if (errno == ERANGE || value < PG_INT8_MIN || value > PG_INT8_MAX)
        ereport(ERROR, (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
                        errmsg("\"%s\" is out of range for type bytevector", token),
                        errdetail("Elements must be integers from %d to %d.", PG_INT8_MIN, PG_INT8_MAX)));
    state->x[index] = (int8) value;
}

/* Convert the text form to a bytevector. */
VX_FUNCTION(bytevector_in) {
    char* lit = PG_GETARG_CSTRING(0);
    int32 typmod = PG_GETARG_INT32(2);
    int8 x[VX_MAX_DIM];
    ByteVectorParse state = {lit, x};

    int dim = vx_parse_bracketed(lit, "bytevector", VX_MAX_DIM, bytevector_parse_element, &state);
    vx_check_typmod_dim(typmod, dim);

    ByteVector* result = InitByteVector(dim);
    memcpy(result->x, x, dim);
    PG_RETURN_BYTEVECTOR_P(result);
}

/* Convert a bytevector to its text form. */
VX_FUNCTION(bytevector_out) {
    ByteVector* vec = PG_GETARG_BYTEVECTOR_P(0);
    int dim = vec->dim;
    /* "-128," is the longest element; plus "[", "]" and the terminator. */
    char* buf = (char*) palloc((Size) dim * 5 + 3);
    char* ptr = buf;

    *ptr++ = '[';
    for (int i = 0; i < dim; i++) {
        if (i > 0)
            *ptr++ = ',';
        ptr += pg_ltoa(vec->x[i], ptr);
    }
    *ptr++ = ']';
    *ptr = '\0';

    PG_FREE_IF_COPY(vec, 0);
    PG_RETURN_CSTRING(buf);
}

/* Parse the typmod "(n)": the number of dimensions. */
VX_FUNCTION(bytevector_typmod_in) {
    ArrayType* mods = PG_GETARG_ARRAYTYPE_P(0);
    PG_RETURN_INT32(vx_typmod_in(mods, "bytevector", VX_MAX_DIM));
}

/* Print the typmod as "(n)". */
VX_FUNCTION(bytevector_typmod_out) {
    PG_RETURN_CSTRING(vx_typmod_out(PG_GETARG_INT32(0)));
}

/* Read the binary form, validating dims, the unused field and the length. */
VX_FUNCTION(bytevector_recv) {
    StringInfo buf = (StringInfo) PG_GETARG_POINTER(0);
    int32 typmod = PG_GETARG_INT32(2);

    vx_check_recv_header(buf, "bytevector", 2 * sizeof(int16));
    int dim = (int) pq_getmsgint(buf, sizeof(int16));
    int unused = (int) pq_getmsgint(buf, sizeof(int16));
    vx_check_dim_range("bytevector", dim, VX_MAX_DIM);
    vx_check_typmod_dim(typmod, dim);
    if (unused != 0)
        ereport(ERROR, (errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
                        errmsg("expected unused to be 0, not %d", unused)));
    vx_check_recv_elements(buf, "bytevector", dim);

    ByteVector* result = InitByteVector(dim);
    pq_copymsgbytes(buf, (char*) result->x, dim);
    PG_RETURN_BYTEVECTOR_P(result);
}

/* Write the binary form. */
VX_FUNCTION(bytevector_send) {
    ByteVector* vec = PG_GETARG_BYTEVECTOR_P(0);
    StringInfoData buf;

    pq_begintypsend(&buf);
    pq_sendint16(&buf, (uint16) vec->dim);
    pq_sendint16(&buf, (uint16) vec->unused);
    pq_sendbytes(&buf, (const char*) vec->x, vec->dim);
    PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
