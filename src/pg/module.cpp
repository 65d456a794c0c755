// Module entry: PG_MODULE_MAGIC and _PG_init (GUCs of every part and the
// EXPLAIN hooks register here).
extern "C" {
#include "postgres.h"
#include "fmgr.h"

PG_MODULE_MAGIC;

PGDLLEXPORT void _PG_init(void);
}

#include "pg/common/explain.h"
#include "pg/module.h"

extern "C" void _PG_init(void) {
    vx::pg::register_gucs();
    vx::pg::register_explain_hooks();
}
