// vector_ext_index_info(regclass) (see index_info.h).
#include "pg/common/index_info.h"

extern "C" {
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/index.h"
#include "catalog/pg_class.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
}

#include <cmath>
#include <cstring>

#include "core/quant/param_summary.h"
#include "pg/common/fmgr_util.h"
#include "pg/common/index_access.h"

namespace vx::pg {

void index_info_options(IndexInfoReport* out, Mode mode, Compression level, const char* encoding, uint32 dims,
                        double oversample, bool rescore) {
    out->mode = mode_name(mode);
    out->compression_level = level_name(level);
    out->encoding = encoding;
    out->dimensions = (int) dims;
    out->oversample = oversample;
    out->rescore = rescore;
}

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

// Starts a member: separator and quoted key.
static void json_key(StringInfo s, const char* key) {
    if (s->len > 0 && s->data[s->len - 1] != '{' && s->data[s->len - 1] != '[')
        appendStringInfoString(s, ", ");
    escape_json(s, key);
    appendStringInfoString(s, ": ");
}

// A number, or null when it is not finite (JSON has no NaN).
static void json_number(StringInfo s, double v) {
    if (std::isfinite(v))
        appendStringInfo(s, "%.6g", v);
    else
        appendStringInfoString(s, "null");
}

void info_json_int(StringInfo s, const char* key, int64 v) {
    json_key(s, key);
    appendStringInfo(s, INT64_FORMAT, v);
}

void info_json_float(StringInfo s, const char* key, double v) {
    json_key(s, key);
    json_number(s, v);
}

void info_json_text(StringInfo s, const char* key, const char* v) {
    json_key(s, key);
    escape_json(s, v);
}

void info_json_bool(StringInfo s, const char* key, bool v) {
    json_key(s, key);
    appendStringInfoString(s, v ? "true" : "false");
}

void info_json_summary(StringInfo s, const char* key, const vx::stats::Summary& sm, bool with_median) {
    json_key(s, key);
    appendStringInfoChar(s, '{');
    info_json_float(s, "min", sm.min);
    if (with_median)
        info_json_float(s, "median", sm.median);
    info_json_float(s, "max", sm.max);
    info_json_float(s, "mean", sm.mean);
    info_json_float(s, "stddev", sm.stddev);
    appendStringInfoChar(s, '}');
}

void info_json_counts(StringInfo s, const char* key, const int64* c, int n) {
    json_key(s, key);
    appendStringInfoChar(s, '[');
    for (int i = 0; i < n; i++)
        appendStringInfo(s, "%s" INT64_FORMAT, i ? ", " : "", c[i]);
    appendStringInfoChar(s, ']');
}

void info_json_quantizer(StringInfo s, const vx::quant::Quantizer* q, bool trained, int64 bytes) {
    vx::quant::ParamSummary p = vx::quant::summarize_params(*q);
    info_json_bool(s, "trained", trained);
    info_json_int(s, "bytes", bytes);
    info_json_text(s, "encoding", vx::quant::encoding_name(q->encoding()));
    info_json_int(s, "bits", p.bits);
    if (p.has_range) {
        info_json_summary(s, "lower", p.lower, false);
        info_json_summary(s, "upper", p.upper, false);
        info_json_summary(s, "width", p.width, false);
    }
    if (p.has_threshold) {
        info_json_summary(s, "threshold", p.threshold, false);
        info_json_summary(s, "bit0_value", p.bit0, false);
        info_json_summary(s, "bit1_value", p.bit1, false);
        info_json_summary(s, "gap", p.gap, false);
    }
}

// A JSON object of members as jsonb.
static Datum members_to_jsonb(const StringInfoData& members) {
    StringInfoData js;
    initStringInfo(&js);
    appendStringInfoChar(&js, '{');
    appendBinaryStringInfo(&js, members.data, members.len);
    appendStringInfoChar(&js, '}');
    return DirectFunctionCall1(jsonb_in, CStringGetDatum(js.data));
}

}  // namespace vx::pg

using namespace vx::pg;

// One row: am, mode, compression_level, encoding, dimensions, elements,
// oversample, rescore, page_bytes (jsonb: kind -> bytes), total_bytes, and
// since 0.2.0 dead_elements, structure and quantizer (jsonb). Columns are
// filled by name, so the 0.1.0 declaration (first ten) keeps working with
// this library until ALTER EXTENSION ... UPDATE.
VX_FUNCTION(vector_ext_index_info) {
    Oid relid = PG_GETARG_OID(0);
    TupleDesc desc;
    if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
        elog(ERROR, "vector_ext_index_info must return a composite type");
    Relation heap, index;
    const IndexAm* am = open_inspected(relid, AccessShareLock, &heap, &index);
    IndexInfoReport rep;
    memset(&rep, 0, sizeof(rep));
    initStringInfo(&rep.structure);
    initStringInfo(&rep.quantizer);
    am->info(index, &rep);
    index_close(index, AccessShareLock);
    table_close(heap, AccessShareLock);

    StringInfoData pages;
    initStringInfo(&pages);
    int64 total = 0;
    for (int i = 0; i < rep.nkinds; i++) {
        info_json_int(&pages, rep.kind_name[i], rep.kind_bytes[i]);
        total += rep.kind_bytes[i];
    }

    Datum* values = (Datum*) palloc0(sizeof(Datum) * desc->natts);
    bool* nulls = (bool*) palloc(sizeof(bool) * desc->natts);
    for (int i = 0; i < desc->natts; i++) {
        const char* col = NameStr(TupleDescAttr(desc, i)->attname);
        nulls[i] = false;
        if (strcmp(col, "am") == 0)
            values[i] = CStringGetTextDatum(am->name);
        else if (strcmp(col, "mode") == 0)
            values[i] = CStringGetTextDatum(rep.mode);
        else if (strcmp(col, "compression_level") == 0)
            values[i] = CStringGetTextDatum(rep.compression_level);
        else if (strcmp(col, "encoding") == 0)
            values[i] = CStringGetTextDatum(rep.encoding);
        else if (strcmp(col, "dimensions") == 0)
            values[i] = Int32GetDatum(rep.dimensions);
        else if (strcmp(col, "elements") == 0)
            values[i] = Int64GetDatum(rep.elements);
        else if (strcmp(col, "dead_elements") == 0)
            values[i] = Int64GetDatum(rep.dead);
        else if (strcmp(col, "oversample") == 0) {
            values[i] = Float8GetDatum(rep.oversample);
            nulls[i] = rep.oversample <= 0;
        } else if (strcmp(col, "rescore") == 0)
            values[i] = BoolGetDatum(rep.rescore);
        else if (strcmp(col, "page_bytes") == 0)
            values[i] = members_to_jsonb(pages);
        else if (strcmp(col, "total_bytes") == 0)
            values[i] = Int64GetDatum(total);
        else if (strcmp(col, "structure") == 0)
            values[i] = members_to_jsonb(rep.structure);
        else if (strcmp(col, "quantizer") == 0) {
            nulls[i] = rep.quantizer.len == 0;
            if (!nulls[i])
                values[i] = members_to_jsonb(rep.quantizer);
        } else
            elog(ERROR, "vector_ext_index_info: unknown result column \"%s\"", col);
    }
    PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
