// vector_ext_index_info(regclass) (see index_info.h).
#include "pg/common/index_info.h"

extern "C" {
#include "access/genam.h"
#include "access/table.h"
#include "catalog/index.h"
#include "access/htup_details.h"
#include "catalog/pg_class.h"
#include "commands/defrem.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
}

#include <cstring>

#include "pg/common/fmgr_util.h"
#include "pg/common/index_access.h"

namespace vx::pg {

// Adds to a page kind, creating it when new.
void index_info_add_pages(IndexInfoReport* out, const char* kind, int64 bytes) {
    for (int i = 0; i < out->nkinds; i++)
        if (strcmp(out->kind_name[i], kind) == 0) {
            out->kind_bytes[i] += bytes;
            return;
        }
    if (out->nkinds < kMaxPageKinds) {
        out->kind_name[out->nkinds] = kind;
        out->kind_bytes[out->nkinds++] = bytes;
    }
}

}  // namespace vx::pg

using namespace vx::pg;

// One row: am, mode, compression_level, encoding, dimensions, elements,
// oversample, rescore, page_bytes (jsonb: kind -> bytes), total_bytes.
VX_FUNCTION(vector_ext_index_info) {
    Oid relid = PG_GETARG_OID(0);
    TupleDesc desc;
    if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
        elog(ERROR, "vector_ext_index_info must return a composite type");
    Oid heapoid = IndexGetRelation(relid, true);
    if (!OidIsValid(heapoid)) {
        char* name = get_rel_name(relid);
        ereport(ERROR, (errcode(ERRCODE_WRONG_OBJECT_TYPE), errmsg("\"%s\" is not an index", name ? name : "?")));
    }
    Relation heap = table_open(heapoid, AccessShareLock);
    Relation index = index_open(relid, AccessShareLock);
    const IndexAm* am = index_am_of(index);
    require_inspect_privilege(heap, index);
    const char* amname = am->name;
    IndexInfoFn fn = am->info;
    IndexInfoReport rep;
    memset(&rep, 0, sizeof(rep));
    fn(index, &rep);
    index_close(index, AccessShareLock);
    table_close(heap, AccessShareLock);

    StringInfoData js;
    initStringInfo(&js);
    appendStringInfoChar(&js, '{');
    int64 total = 0;
    for (int i = 0; i < rep.nkinds; i++) {
        appendStringInfo(&js, "%s\"%s\": " INT64_FORMAT, i ? ", " : "", rep.kind_name[i], rep.kind_bytes[i]);
        total += rep.kind_bytes[i];
    }
    appendStringInfoChar(&js, '}');

    Datum values[10];
    bool nulls[10] = {false};
    values[0] = CStringGetTextDatum(amname);
    values[1] = CStringGetTextDatum(rep.mode);
    values[2] = CStringGetTextDatum(rep.compression_level);
    values[3] = CStringGetTextDatum(rep.encoding);
    values[4] = Int32GetDatum(rep.dimensions);
    values[5] = Int64GetDatum(rep.elements);
    values[6] = Float8GetDatum(rep.oversample);
    nulls[6] = rep.oversample <= 0;
    values[7] = BoolGetDatum(rep.rescore);
    values[8] = DirectFunctionCall1(jsonb_in, CStringGetDatum(js.data));
    values[9] = Int64GetDatum(total);
    PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
