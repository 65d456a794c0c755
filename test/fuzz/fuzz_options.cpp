// libFuzzer target: the memory-optimized index options resolver
// (src/pg/common/options) over the core level table. The input is the mode
// string, a NUL, the compression_level string, a NUL, then one byte choosing
// the target (column type, operator class, the AM's defaults). Any input must
// resolve or give a clear ERROR; a resolution must be one the table allows.
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "test/fuzz/pg_stub.h"
#include "pg/common/options.h"

using namespace vx::pg;

struct Case {
    const char* mode;
    const char* level;
    OptionTarget target;
    ResolvedOptions out;
};

static void resolve(void* arg) {
    Case* c = (Case*) arg;
    c->out = resolve_options(c->mode, c->level, c->target);
}

/* The resolution obeys DESIGN §1: a known level within the AM's, above 1x
 * only for quantizable vector columns, the level's encoding, rescoring iff an
 * oversample factor. */
static void check(const Case& c) {
    const OptionTarget& t = c.target;
    const ResolvedOptions& r = c.out;
    if (int(r.level) < 0 || r.level > t.max_level || int(r.mode) > 1)
        abort();
    if (r.level != Compression::x1 && !(t.is_vector && t.quantizable))
        abort();
    if (c.level && strcmp(level_name(r.level), c.level) != 0)
        abort();
    if (c.mode && strcmp(mode_name(r.mode), c.mode) != 0)
        abort();
    if (r.encoding != (t.is_vector ? level_info(r.level).encoding : vx::quant::Encoding::f32))
        abort();
    if (r.rescore != (r.oversample > 0) || r.oversample < 0)
        abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    /* mode \0 level \0 flags; a missing part is "unset" (NULL). */
    char* buf = (char*) malloc(size + 2);
    memcpy(buf, data, size);
    buf[size] = buf[size + 1] = '\0';
    const char* mode = buf;
    size_t mode_len = strlen(mode);
    const char* level = mode_len + 1 <= size ? buf + mode_len + 1 : nullptr;
    size_t used = level ? mode_len + 1 + strlen(level) + 1 : size;
    uint8_t flags = used < size ? (uint8_t) buf[used] : 0;
    Case c;
    c.mode = (flags & 0x40) ? nullptr : mode;
    c.level = (flags & 0x80) ? nullptr : level;
    c.target.is_vector = flags & 1;
    c.target.quantizable = flags & 2;
    c.target.opclass = "vector_l1_ops";
    c.target.type_name = "bitvector";
    c.target.max_level = Compression((flags >> 2) % 6);
    c.target.in_memory_level = (flags & 0x20) ? Compression::x32 : Compression::x1;
    c.target.in_memory_rescores = flags & 0x20;
    if (c.target.in_memory_level > c.target.max_level)
        c.target.in_memory_level = c.target.max_level;
    if (vx::fuzz::run(resolve, &c))
        check(c);
    vx::fuzz::reset();
    free(buf);
    return 0;
}
