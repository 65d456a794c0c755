// libFuzzer target: the text input function of one type (VX_FUZZ_TYPE is
// vector, bytevector or bitvector), called as PostgreSQL calls it. Any input
// must give a value or a clear ERROR; a value must print with the type's
// output function and read back to the same bytes.
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "test/fuzz/pg_stub.h"

#define VX_CAT(a, b) a##b
#define VX_FN(type, suffix) VX_CAT(type, suffix)

extern "C" Datum VX_FN(VX_FUZZ_TYPE, _in)(PG_FUNCTION_ARGS);
extern "C" Datum VX_FN(VX_FUZZ_TYPE, _out)(PG_FUNCTION_ARGS);

struct Case {
    const char* text;
    struct varlena* value;
};

static void parse(void* arg) {
    Case* c = (Case*) arg;
    c->value = (struct varlena*) DatumGetPointer(
        vx::fuzz::call3(VX_FN(VX_FUZZ_TYPE, _in), CStringGetDatum(c->text), ObjectIdGetDatum(0), Int32GetDatum(-1)));
}

static void round_trip(void* arg) {
    Case* c = (Case*) arg;
    char* out = DatumGetCString(vx::fuzz::call3(VX_FN(VX_FUZZ_TYPE, _out), PointerGetDatum(c->value)));
    Case again = {out, nullptr};
    parse(&again);
    if (VARSIZE(again.value) != VARSIZE(c->value) || memcmp(again.value, c->value, VARSIZE(c->value)) != 0)
        abort(); /* output does not read back to the same value */
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    char* text = (char*) malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0'; /* a cstring ends at its first NUL, as in the server */
    Case c = {text, nullptr};
    if (vx::fuzz::run(parse, &c) && !vx::fuzz::run(round_trip, &c))
        abort(); /* the output of a valid value must read back */
    vx::fuzz::reset();
    free(text);
    return 0;
}
