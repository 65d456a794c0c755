// libFuzzer target: the binary receive function of one type (VX_FUZZ_TYPE
// is vector, bytevector or bitvector), given the message as PostgreSQL gives
// it (a StringInfo over exactly the field's bytes). Any message must give a
// value or a clear ERROR; a value that consumed the whole message must send
// back the same bytes.
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "test/fuzz/pg_stub.h"

extern "C" {
#include "lib/stringinfo.h"
}

#define VX_CAT(a, b) a##b
#define VX_FN(type, suffix) VX_CAT(type, suffix)

extern "C" Datum VX_FN(VX_FUZZ_TYPE, _recv)(PG_FUNCTION_ARGS);
extern "C" Datum VX_FN(VX_FUZZ_TYPE, _send)(PG_FUNCTION_ARGS);

struct Case {
    StringInfoData msg;
    Datum value;
};

static void receive(void* arg) {
    Case* c = (Case*) arg;
    c->value = vx::fuzz::call3(VX_FN(VX_FUZZ_TYPE, _recv), PointerGetDatum(&c->msg), ObjectIdGetDatum(0),
                               Int32GetDatum(-1));
}

static void send_back(void* arg) {
    Case* c = (Case*) arg;
    bytea* out = (bytea*) DatumGetPointer(vx::fuzz::call3(VX_FN(VX_FUZZ_TYPE, _send), c->value));
    if (VARSIZE(out) - VARHDRSZ != (size_t) c->msg.len || memcmp(VARDATA(out), c->msg.data, c->msg.len) != 0)
        abort(); /* send does not give back what recv read */
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > (size_t) 1 << 20)
        return 0;
    char* bytes = (char*) malloc(size + 1);
    memcpy(bytes, data, size);
    bytes[size] = '\0'; /* the backend terminates field buffers too */
    Case c;
    c.msg.data = bytes;
    c.msg.len = (int) size;
    c.msg.maxlen = (int) size + 1;
    c.msg.cursor = 0;
    /* The server rejects a value that leaves bytes unread; check the rest. */
    if (vx::fuzz::run(receive, &c) && c.msg.cursor == c.msg.len && !vx::fuzz::run(send_back, &c))
        abort();
    vx::fuzz::reset();
    free(bytes);
    return 0;
}
