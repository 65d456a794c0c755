/*
 * Preloaded after the sanitizer runtimes by scripts/regress_sanitized.sh.
 *
 * Why: the ASan runtime initializes on the first intercepted call. In the
 * postgres binary that call is a malloc made by another library's constructor
 * (libgpg-error's bindtextdomain, libp11-kit's newlocale) while it holds one of
 * glibc's locale locks. ASan's initialization looks up swift_demangle with
 * dlsym; the lookup fails, and the dlerror() that follows translates its
 * message through dcgettext, which unlocks that same lock: the lock is
 * corrupted and the server hangs in setlocale or bindtextdomain at start.
 * Defining swift_demangle makes the lookup succeed, so no message is
 * translated. ASan calls it only for Swift symbol names; NULL means "not
 * demangled".
 */
#include <stddef.h>

char *swift_demangle(const char *mangled, size_t len, char *out, size_t *outlen, unsigned flags)
{
    (void) mangled;
    (void) len;
    (void) out;
    (void) outlen;
    (void) flags;
    return NULL;
}
