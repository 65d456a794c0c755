// Backend stand-ins for the fuzz targets (see pg_stub.h). Only what the
// fuzzed files call; anything else they reference aborts when reached, so a
// target that wanders into unexpected backend code is noticed at once.
#include "test/fuzz/pg_stub.h"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

extern "C" {
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "storage/shmem.h"
#include "storage/bufmgr.h"
#include "catalog/namespace.h"
#include "commands/defrem.h"
#include "utils/builtins.h"
}

static const char* sqlstate_text(int code);

namespace vx::fuzz {

LastError last_error;

/* Every palloc'd block of the current input, doubly linked behind a header
 * of MAXALIGN size, so pfree frees at once (use after free is an ASan report)
 * and reset() frees the rest. */
struct Block {
    Block* prev;
    Block* next;
    size_t size;
    size_t pad;
};
static_assert(sizeof(Block) % MAXIMUM_ALIGNOF == 0, "header keeps alignment");
static Block head = {&head, &head, 0, 0};

static void* alloc(size_t size, bool zero, bool huge) {
    if (!(huge ? AllocHugeSizeIsValid(size) : AllocSizeIsValid(size)))
        elog(ERROR, "invalid memory alloc request size %zu", size);
    Block* b = (Block*) (zero ? calloc(1, sizeof(Block) + size) : malloc(sizeof(Block) + size));
    if (!b)
        ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
    b->size = size;
    b->next = head.next;
    b->prev = &head;
    head.next->prev = b;
    head.next = b;
    return b + 1;
}

static void unlink_block(Block* b) {
    b->prev->next = b->next;
    b->next->prev = b->prev;
}

void reset() {
    while (head.next != &head) {
        Block* b = head.next;
        unlink_block(b);
        free(b);
    }
}

static sigjmp_buf* error_jump;

bool run(void (*fn)(void* arg), void* arg) {
    sigjmp_buf jump;
    sigjmp_buf* saved = error_jump;
    error_jump = &jump;
    if (sigsetjmp(jump, 0) != 0) {
        error_jump = saved;
        if (getenv("VX_FUZZ_VERBOSE")) /* to see what a seed or reproducer gives */
            fprintf(stderr, "ERROR %s: %s\n", sqlstate_text(last_error.sqlstate), last_error.message);
        return false;
    }
    fn(arg);
    error_jump = saved;
    return true;
}

Datum call3(PGFunction fn, Datum a0, Datum a1, Datum a2) {
    LOCAL_FCINFO(fcinfo, 3);
    InitFunctionCallInfoData(*fcinfo, NULL, 3, InvalidOid, NULL, NULL);
    fcinfo->args[0] = {a0, false};
    fcinfo->args[1] = {a1, false};
    fcinfo->args[2] = {a2, false};
    Datum d = fn(fcinfo);
    if (fcinfo->isnull)
        abort(); /* none of the fuzzed functions returns NULL */
    return d;
}

}  // namespace vx::fuzz

using vx::fuzz::last_error;

/* ---- elog.c: one error being built at a time ---- */
static int cur_elevel;
static int cur_sqlstate;
static bool cur_has_msg;

/* The five characters of a SQLSTATE (elog.c's unpack_sql_state). */
static const char* sqlstate_text(int code) {
    static char buf[6];
    for (int i = 0; i < 5; i++) {
        buf[i] = PGUNSIXBIT(code);
        code >>= 6;
    }
    buf[5] = '\0';
    return buf;
}

extern "C" {

bool errstart(int elevel, const char*) {
    cur_elevel = elevel;
    cur_sqlstate = 0;
    cur_has_msg = false;
    last_error.message[0] = '\0';
    return true;
}

bool errstart_cold(int elevel, const char* domain) { return errstart(elevel, domain); }

void errfinish(const char* filename, int lineno, const char*) {
    if (cur_elevel < ERROR)
        return; /* NOTICE, WARNING, DEBUG: the code goes on */
    last_error.sqlstate = cur_sqlstate;
    /* A clear error: its own SQLSTATE (not elog's XX000) and a message. */
    if (cur_elevel > ERROR || cur_sqlstate == 0 || cur_sqlstate == ERRCODE_INTERNAL_ERROR || !cur_has_msg) {
        fprintf(stderr, "unclear error (level %d, sqlstate %s) at %s:%d: %s\n", cur_elevel,
                sqlstate_text(cur_sqlstate ? cur_sqlstate : ERRCODE_INTERNAL_ERROR), filename, lineno,
                last_error.message);
        abort();
    }
    if (!vx::fuzz::error_jump)
        abort();
    siglongjmp(*vx::fuzz::error_jump, 1);
}

int errcode(int sqlerrcode) {
    cur_sqlstate = sqlerrcode;
    return 0;
}

#define FORMAT_INTO(buf, fmt)                             \
    do {                                                  \
        va_list ap;                                       \
        va_start(ap, fmt);                                \
        vsnprintf(buf, sizeof(buf), fmt, ap);             \
        va_end(ap);                                       \
    } while (0)

int errmsg(const char* fmt, ...) {
    FORMAT_INTO(last_error.message, fmt);
    cur_has_msg = last_error.message[0] != '\0';
    return 0;
}

int errmsg_internal(const char* fmt, ...) {
    FORMAT_INTO(last_error.message, fmt);
    cur_has_msg = last_error.message[0] != '\0';
    return 0;
}

static char detail_buf[1024];
int errdetail(const char* fmt, ...) {
    FORMAT_INTO(detail_buf, fmt);
    return 0;
}
int errdetail_internal(const char* fmt, ...) {
    FORMAT_INTO(detail_buf, fmt);
    return 0;
}
int errhint(const char* fmt, ...) {
    FORMAT_INTO(detail_buf, fmt);
    return 0;
}
int errcontext_msg(const char* fmt, ...) {
    FORMAT_INTO(detail_buf, fmt);
    return 0;
}
bool errcontext_start(int, const char*) { return true; }  // NOLINT (signature of elog.h)
int errhidestmt(bool) { return 0; }
int errhidecontext(bool) { return 0; }
int errposition(int) { return 0; }

/* ---- mcxt.c ---- */
MemoryContext CurrentMemoryContext = NULL;
MemoryContext TopMemoryContext = NULL;

void* palloc(Size size) { return vx::fuzz::alloc(size, false, false); }
void* palloc0(Size size) { return vx::fuzz::alloc(size, true, false); }
void* palloc_extended(Size size, int flags) {
    return vx::fuzz::alloc(size, flags & MCXT_ALLOC_ZERO, flags & MCXT_ALLOC_HUGE);
}
void* MemoryContextAlloc(MemoryContext, Size size) { return palloc(size); }
void* MemoryContextAllocZero(MemoryContext, Size size) { return palloc0(size); }
void* MemoryContextAllocHuge(MemoryContext, Size size) { return vx::fuzz::alloc(size, false, true); }
void pfree(void* p) {
    vx::fuzz::Block* b = (vx::fuzz::Block*) p - 1;
    vx::fuzz::unlink_block(b);
    free(b);
}
void* repalloc(void* p, Size size) {
    vx::fuzz::Block* old = (vx::fuzz::Block*) p - 1;
    void* n = palloc(size);
    memcpy(n, p, Min(size, old->size));
    pfree(p);
    return n;
}
void* repalloc_huge(void* p, Size size) {
    vx::fuzz::Block* old = (vx::fuzz::Block*) p - 1;
    void* n = vx::fuzz::alloc(size, false, true);
    memcpy(n, p, Min(size, old->size));
    pfree(p);
    return n;
}
char* pstrdup(const char* s) {
    size_t n = strlen(s) + 1;
    return (char*) memcpy(palloc(n), s, n);
}
char* pnstrdup(const char* s, Size len) {
    len = strnlen(s, len);
    char* r = (char*) palloc(len + 1);
    memcpy(r, s, len);
    r[len] = '\0';
    return r;
}
/* shmem.c's overflow-checked arithmetic (vector_out sizes its buffer with it). */
Size add_size(Size a, Size b) {
    if (a + b < a)
        ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED), errmsg("requested size overflows size_t")));
    return a + b;
}
Size mul_size(Size a, Size b) {
    if (a != 0 && (a * b) / a != b)
        ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED), errmsg("requested size overflows size_t")));
    return a * b;
}
void MemoryContextRegisterResetCallback(MemoryContext, MemoryContextCallback*) {}

/* ---- pqformat.c: the readers, with the backend's errors ---- */
static void insufficient() {
    ereport(ERROR, (errcode(ERRCODE_PROTOCOL_VIOLATION), errmsg("insufficient data left in message")));
}
unsigned int pq_getmsgint(StringInfo msg, int b) {
    if (b != 1 && b != 2 && b != 4)
        abort();
    if (msg->cursor < 0 || b > msg->len - msg->cursor)
        insufficient();
    const unsigned char* p = (const unsigned char*) msg->data + msg->cursor;
    msg->cursor += b;
    unsigned int v = 0;
    for (int i = 0; i < b; i++)
        v = (v << 8) | p[i];
    return v;
}
int pq_getmsgbyte(StringInfo msg) { return (int) pq_getmsgint(msg, 1); }
float4 pq_getmsgfloat4(StringInfo msg) {
    union {
        float4 f;
        uint32 i;
    } swap;
    swap.i = pq_getmsgint(msg, 4);
    return swap.f;
}
const char* pq_getmsgbytes(StringInfo msg, int datalen) {
    if (datalen < 0 || datalen > msg->len - msg->cursor)
        insufficient();
    const char* r = msg->data + msg->cursor;
    msg->cursor += datalen;
    return r;
}
void pq_copymsgbytes(StringInfo msg, char* buf, int datalen) {
    memcpy(buf, pq_getmsgbytes(msg, datalen), datalen);
}

/* ---- pqformat.c: the writers (send functions, for round trips) ---- */
void pq_begintypsend(StringInfo buf) {
    initStringInfo(buf);
    appendStringInfoSpaces(buf, VARHDRSZ);
}
bytea* pq_endtypsend(StringInfo buf) {
    bytea* r = (bytea*) buf->data;
    SET_VARSIZE(r, buf->len);
    return r;
}
void pq_sendbytes(StringInfo buf, const char* data, int datalen) { appendBinaryStringInfo(buf, data, datalen); }
void pq_sendfloat4(StringInfo buf, float4 f) {
    union {
        float4 f;
        uint32 i;
    } swap;
    swap.f = f;
    pq_sendint32(buf, swap.i);
}

/* ---- mbutils.c: UTF-8, the usual server encoding ---- */
int pg_mblen(const char* s) {
    unsigned char c = (unsigned char) *s;
    return (c & 0x80) == 0 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 1;
}

/* ---- numutils.c ---- */
int pg_ltoa(int32 value, char* a) { return sprintf(a, "%d", (int) value); }

/* ---- fmgr.c: fuzzed values are never toasted ---- */
struct varlena* pg_detoast_datum(struct varlena* datum) {
    if (VARATT_IS_EXTENDED(datum))
        abort();
    return datum;
}

/* ---- bufmgr.c and bufpage.c: referenced by the AMs' page files next to the
 * decoders; the fuzzed decoders get page images, never buffers ---- */
char* BufferBlocks;
Block* LocalBufferBlockPointers;
Buffer ReadBuffer(Relation, BlockNumber) { abort(); }
void LockBuffer(Buffer, int) { abort(); }
void UnlockReleaseBuffer(Buffer) { abort(); }
void PageInit(Page, Size, Size) { abort(); }

/* ---- catalog lookups of format_version.cpp's error message (the index
 * is "fuzz_idx" of access method "fuzz_am" in schema "public") ---- */
bool RelationIsVisible(Oid) { return true; }
const char* quote_identifier(const char* ident) { return ident; }
char* quote_qualified_identifier(const char* qualifier, const char* ident) { return psprintf("%s.%s", qualifier, ident); }
char* get_namespace_name(Oid) { return pstrdup("public"); }
char* get_am_name(Oid) { return pstrdup("fuzz_am"); }

/* ---- referenced by type_common.cpp's typmod and array helpers, which no
 * target calls ---- */
int32* ArrayGetIntegerTypmods(ArrayType*, int*) { abort(); }
bool array_contains_nulls(ArrayType*) { abort(); }
void get_typlenbyvalalign(Oid, int16*, bool*, char*) { abort(); }
void deconstruct_array(ArrayType*, Oid, int, bool, char, Datum**, bool**, int*) { abort(); }

}  // extern "C"
