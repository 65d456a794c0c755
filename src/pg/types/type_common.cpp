// Shared pieces of the three vector types' I/O (see type_common.h).
#include "pg/types/type_common.h"

#include <cctype>
#include <cstring>

extern "C" {
#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
}

int32 vx_typmod_in(ArrayType* mods, const char* typname, int maxdim) {
    int n;
    int32* tl = ArrayGetIntegerTypmods(mods, &n);
    if (n != 1)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("invalid type modifier")));
    if (tl[0] < 1)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("dimensions for type %s must be at least 1", typname)));
    if (tl[0] > maxdim)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("dimensions for type %s cannot exceed %d", typname, maxdim)));
    return tl[0];
}

char* vx_typmod_out(int32 typmod) {
    if (typmod < 0)
        return pstrdup("");
    return psprintf("(%d)", typmod);
}

void vx_check_same_dims(const char* typname, int a, int b) {
    if (a != b)
        ereport(ERROR, (errcode(ERRCODE_DATA_EXCEPTION),
                        errmsg("different %s dimensions %d and %d", typname, a, b)));
}

void vx_check_typmod_dim(int32 typmod, int dim) {
    if (typmod != -1 && typmod != dim)
        ereport(ERROR, (errcode(ERRCODE_DATA_EXCEPTION),
                        errmsg("expected %d dimensions, not %d", typmod, dim)));
}

void vx_check_dim_range(const char* typname, int dim, int maxdim) {
    if (dim < 1)
        ereport(ERROR, (errcode(ERRCODE_DATA_EXCEPTION),
                        errmsg("%s must have at least 1 dimension", typname)));
    if (dim > maxdim)
        ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                        errmsg("%s cannot have more than %d dimensions", typname, maxdim)));
}

void vx_check_recv_header(StringInfo buf, const char* typname, int header) {
    int left = buf->len - buf->cursor;
    if (left < header)
        ereport(ERROR, (errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
                        errmsg("%s binary value of %d bytes is shorter than its %d-byte header", typname, left,
                               header)));
}

void vx_check_recv_elements(StringInfo buf, const char* typname, int expected) {
    int left = buf->len - buf->cursor;
    if (left != expected)
        ereport(ERROR, (errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
                        errmsg("expected %d bytes of %s elements, not %d", expected, typname, left)));
}

void vx_malformed(const char* typname, const char* lit, const char* detail) {
    if (detail)
        ereport(ERROR, (errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
                        errmsg("invalid input syntax for type %s: \"%s\"", typname, lit), errdetail("%s", detail)));
    ereport(ERROR, (errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
                    errmsg("invalid input syntax for type %s: \"%s\"", typname, lit)));
    pg_unreachable();
}

static const char* skip_space(const char* p) {
    while (*p && isspace((unsigned char) *p))
        p++;
    return p;
}

int vx_parse_bracketed(const char* lit, const char* typname, int maxdim,
                       vx_element_fn on_element, void* ctx) {
    const char* p = skip_space(lit);
    if (*p != '[')
        vx_malformed(typname, lit, "Vector contents must start with \"[\".");
    p = skip_space(p + 1);
    if (*p == ']')
        vx_check_dim_range(typname, 0, maxdim);

    char* token = (char*) palloc(strlen(lit) + 1);
    int n = 0;
    for (;;) {
        /* An element runs up to the next comma, bracket or space. */
        const char* start = p;
        while (*p && *p != ',' && *p != ']' && *p != '[' && !isspace((unsigned char) *p))
            p++;
        if (p == start)
            vx_malformed(typname, lit, NULL);
        if (n >= maxdim)
            vx_check_dim_range(typname, n + 1, maxdim);
        memcpy(token, start, p - start);
        token[p - start] = '\0';
        on_element(ctx, token, n);
        n++;

        p = skip_space(p);
        if (*p == ',') {
            p = skip_space(p + 1);
            continue;
        }
        if (*p == ']')
            break;
        vx_malformed(typname, lit, NULL);
    }
    p = skip_space(p + 1);
    if (*p != '\0')
        vx_malformed(typname, lit, "Junk after closing right brace.");
    pfree(token);
    return n;
}

Datum* vx_array_elements(ArrayType* array, const char* typname, int maxdim, int32 typmod, int* n) {
    Oid elemtype = ARR_ELEMTYPE(array);
    int16 typlen;
    bool typbyval;
    char typalign;
    Datum* elems;

    if (ARR_NDIM(array) > 1)
        ereport(ERROR, (errcode(ERRCODE_DATA_EXCEPTION), errmsg("array must be 1-D")));
    if (ARR_HASNULL(array) && array_contains_nulls(array))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("array must not contain nulls")));

    get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
    deconstruct_array(array, elemtype, typlen, typbyval, typalign, &elems, NULL, n);
    vx_check_dim_range(typname, *n, maxdim);
    vx_check_typmod_dim(typmod, *n);
    return elems;
}
