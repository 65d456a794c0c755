// vector: text and binary I/O, typmod, and the typmod-enforcing cast.
// Plain C-style code (no C++ object is alive when ereport may fire).
#include "pg/types/vector.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "pg/common/fmgr_util.h"
#include "pg/types/type_common.h"

extern "C" {
#include "common/shortest_dec.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
}

/* Allocate a zeroed vector of dim dimensions. */
Vector* InitVector(int dim) {
    Size size = VECTOR_SIZE(dim);
    Vector* result = (Vector*) palloc0(size);
    SET_VARSIZE(result, size);
    result->dim = (int16) dim;
    return result;
}

/* Reject NaN and infinities, with pgvector's messages. */
void vector_check_element(float value) {
    if (std::isnan(value))
        ereport(ERROR, (errcode(ERRCODE_DATA_EXCEPTION), errmsg("NaN not allowed in vector")));
    if (std::isinf(value))
        ereport(ERROR, (errcode(ERRCODE_DATA_EXCEPTION), errmsg("infinite value not allowed in vector")));
}

/* What vector_in's element callback needs: the whole literal and where to store. */
struct VectorParseState {
    const char* lit;
    float* values;
};

/* Convert one element token with strtof (like float4in, no double rounding). */
static void vector_parse_element(void* ctx, const char* token, int index) {
    VectorParseState* st = (VectorParseState*) ctx;
    char* end;

    errno = 0;
    float val = strtof(token, &end);
    if (end == token)
        vx_malformed("vector", st->lit, NULL);
    /* Overflow names the number as strtof read it, like pgvector. */
    if (errno == ERANGE && std::isinf(val))
        ereport(ERROR, (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
                        errmsg("\"%s\" is out of range for type vector",
                               pnstrdup(token, (Size) (end - token)))));
    vector_check_element(val);
    if (*end != '\0')
        vx_malformed("vector", st->lit, NULL);
    st->values[index] = val;
}

/* Text to vector: "[1, 2.5, -3]", whitespace allowed around numbers and brackets. */
VX_FUNCTION(vector_in) {
    char* lit = PG_GETARG_CSTRING(0);
    int32 typmod = PG_GETARG_INT32(2);

    /* Each element takes at least two characters ("1," or "1]"). */
    int cap = Min((int) (strlen(lit) / 2) + 1, VX_MAX_DIM);
    VectorParseState st = {lit, (float*) palloc(sizeof(float) * cap)};
    int dim = vx_parse_bracketed(lit, "vector", VX_MAX_DIM, vector_parse_element, &st);

    vx_check_typmod_dim(typmod, dim);
    Vector* result = InitVector(dim);
    memcpy(result->x, st.values, sizeof(float) * dim);
    pfree(st.values);
    PG_RETURN_VECTOR_P(result);
}

/* Vector to text, each element in the shortest form that reads back exactly. */
VX_FUNCTION(vector_out) {
    Vector* vec = PG_GETARG_VECTOR_P(0);
    int dim = vec->dim;
    /* Per element: up to FLOAT_SHORTEST_DECIMAL_LEN - 1 chars plus a separator; then "[]\0". */
    char* buf = (char*) palloc(add_size(mul_size(FLOAT_SHORTEST_DECIMAL_LEN, (Size) dim), 3));
    char* p = buf;

    *p++ = '[';
    for (int i = 0; i < dim; i++) {
        if (i > 0)
            *p++ = ',';
        p += float_to_shortest_decimal_bufn(vec->x[i], p);
    }
    *p++ = ']';
    *p = '\0';

    PG_FREE_IF_COPY(vec, 0);
    PG_RETURN_CSTRING(buf);
}

/* Typmod "(n)" to n, 1 <= n <= 16000. */
VX_FUNCTION(vector_typmod_in) {
    ArrayType* mods = PG_GETARG_ARRAYTYPE_P(0);
    PG_RETURN_INT32(vx_typmod_in(mods, "vector", VX_MAX_DIM));
}

/* Typmod n to "(n)". */
VX_FUNCTION(vector_typmod_out) {
    PG_RETURN_CSTRING(vx_typmod_out(PG_GETARG_INT32(0)));
}

/*
 * Binary input, pgvector's wire layout: uint16 dim, uint16 unused (0), then dim
 * big-endian float4. A message whose length disagrees with dim is an error
 * naming both.
 */
VX_FUNCTION(vector_recv) {
    StringInfo buf = (StringInfo) PG_GETARG_POINTER(0);
    int32 typmod = PG_GETARG_INT32(2);

    vx_check_recv_header(buf, "vector", 2 * sizeof(int16));
    int dim = (int) pq_getmsgint(buf, sizeof(int16));
    int unused = (int) pq_getmsgint(buf, sizeof(int16));

    vx_check_dim_range("vector", dim, VX_MAX_DIM);
    vx_check_typmod_dim(typmod, dim);
    if (unused != 0)
        ereport(ERROR, (errcode(ERRCODE_DATA_EXCEPTION),
                        errmsg("expected unused to be 0, not %d", unused)));
    vx_check_recv_elements(buf, "vector", dim * (int) sizeof(float));

    Vector* result = InitVector(dim);
    for (int i = 0; i < dim; i++) {
        result->x[i] = pq_getmsgfloat4(buf);
        vector_check_element(result->x[i]);
    }
    PG_RETURN_VECTOR_P(result);
}

/* Binary output in the layout vector_recv reads. */
VX_FUNCTION(vector_send) {
    Vector* vec = PG_GETARG_VECTOR_P(0);
    StringInfoData buf;

    pq_begintypsend(&buf);
    pq_sendint16(&buf, (uint16) vec->dim);
    pq_sendint16(&buf, (uint16) vec->unused);
    for (int i = 0; i < vec->dim; i++)
        pq_sendfloat4(&buf, vec->x[i]);
    PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* vector(vector, typmod, explicit): the length coercion that enforces vector(n). */
VX_FUNCTION(vector) {
    Vector* vec = PG_GETARG_VECTOR_P(0);
    vx_check_typmod_dim(PG_GETARG_INT32(1), vec->dim);
    PG_RETURN_VECTOR_P(vec);
}
