// vector_ext_estimate(am, rows, dims, type, options): index size, build
// memory and per-query memory before building, one row per compression level
// the access method allows for the type (the level the options choose is
// `selected`). The options are parsed by the access method's own amoptions
// (the same names, values and errors as CREATE INDEX ... WITH) and resolved by
// its resolver; the arithmetic is src/core/sizing. The type's default
// operator class is assumed (see estimate_opclass).
#include "pg/common/index_access.h"

extern "C" {
#include "access/amapi.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "funcapi.h"
#include "nodes/value.h"
#include "nodes/pg_list.h"
#include "utils/syscache.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
}

#include "pg/common/fmgr_util.h"
#include "pg/hnsw/hnsw.h"
#include "pg/types/type_common.h"

#define ESTIMATE_COLUMNS 14

namespace vx::pg {

// Errors unless rows and dims make sense for the type.
static void check_counts(int64 rows, int32 dims, Oid typid, uint8 type) {
    if (rows < 0)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("rows must not be negative: " INT64_FORMAT, rows)));
    int limit = type == HNSW_TYPE_BITVECTOR ? VX_MAX_BIT_DIM : VX_MAX_DIM;
    if (dims < 1 || dims > limit)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("dims must be between 1 and %d for type %s: %d", limit, format_type_be(typid), dims)));
}

// The operator class an estimate assumes: the type's default for the access
// method if it has one, else (vector_ext declares no defaults, like pgvector)
// the L2 class of vector and bytevector and the Hamming class of bitvector,
// from the type's schema. Sizes are the same for every operator class of a
// type, except that L1 classes allow 1x only.
static Oid estimate_opclass(Oid typid, uint8 type, const char* am, Oid amoid) {
    Oid opclass = GetDefaultOpClass(typid, amoid);
    if (OidIsValid(opclass))
        return opclass;
    HeapTuple tup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(typid));
    if (!HeapTupleIsValid(tup))
        elog(ERROR, "cache lookup failed for type %u", typid);
    Form_pg_type t = (Form_pg_type) GETSTRUCT(tup);
    const char* name = type == HNSW_TYPE_BITVECTOR ? psprintf("%s_hamming_ops", NameStr(t->typname))
                                                   : psprintf("%s_l2_ops", NameStr(t->typname));
    char* schema = get_namespace_name(t->typnamespace);
    ReleaseSysCache(tup);
    opclass = get_opclass_oid(amoid, list_make2(makeString(schema), makeString(pstrdup(name))), true);
    if (!OidIsValid(opclass) || get_opclass_input_type(opclass) != typid)
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT),
                        errmsg("data type %s has no operator class for access method \"%s\"",
                               format_type_be(typid), am),
                        errhint("vector_ext_estimate sizes an index of operator class %s.", name)));
    return opclass;
}

// The options array parsed and validated by the access method's amoptions.
static bytea* parse_options(ArrayType* options, Oid amoid) {
    if (ARR_NDIM(options) > 1)
        ereport(ERROR, (errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
                        errmsg("options must be a one-dimensional array of \"name=value\" texts")));
    if (array_contains_nulls(options))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("options must not contain NULL"),
                        errhint("Give each option as \"name=value\", e.g. '{m=16,compression_level=4x}'.")));
    Datum* items;
    int n;
    deconstruct_array(options, TEXTOID, -1, false, TYPALIGN_INT, &items, NULL, &n);
    for (int i = 0; i < n; i++) {
        char* item = TextDatumGetCString(items[i]);
        char* eq = strchr(item, '=');
        if (eq == NULL || eq == item)
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("invalid option \"%s\"", item),
                            errhint("Give each option as \"name=value\", e.g. '{m=16,compression_level=4x}'.")));
    }
    IndexAmRoutine* routine = GetIndexAmRoutineByAmId(amoid, false);
    return routine->amoptions(PointerGetDatum(options), true);
}

// One result row for the sizing s (level NULL: product quantization).
static void put_row(Tuplestorestate* ts, TupleDesc desc, const IndexAm* am, const Sizing& s, bool selected,
                    uint32 type_limit) {
    vx::sizing::PageGeometry g = am->geometry();
    vx::sizing::Estimate e = vx::sizing::estimate(s.params, g);
    Datum v[ESTIMATE_COLUMNS];
    bool nulls[ESTIMATE_COLUMNS];
    memset(nulls, 0, sizeof(nulls));
    nulls[0] = s.product_quantized;
    v[0] = s.product_quantized ? (Datum) 0 : CStringGetTextDatum(level_name(s.resolved.level));
    v[1] = CStringGetTextDatum(mode_name(s.resolved.mode));
    v[2] = CStringGetTextDatum(s.product_quantized ? psprintf("pq%u", s.params.pq_m)
                                                   : vx::quant::encoding_name(s.resolved.encoding));
    v[3] = BoolGetDatum(selected);
    v[4] = Int32GetDatum((int32) vx::sizing::max_dims(s.params, g, type_limit));
    v[5] = BoolGetDatum(e.fits);
    v[6] = Int32GetDatum((int32) e.code_bytes);
    v[7] = Int32GetDatum((int32) e.element_bytes);
    v[8] = Int32GetDatum((int32) e.per_page);
    v[9] = Int64GetDatum((int64) e.pages);
    v[10] = Int64GetDatum((int64) e.index_bytes);
    v[11] = Int64GetDatum((int64) e.build_bytes);
    v[12] = BoolGetDatum(e.build_spills);
    v[13] = Int64GetDatum((int64) e.query_bytes);
    if (!e.fits)
        for (int i = 8; i < ESTIMATE_COLUMNS; i++)
            nulls[i] = true;
    tuplestore_putvalues(ts, desc, v, nulls);
}

}  // namespace vx::pg

using namespace vx::pg;

VX_FUNCTION(vector_ext_estimate) {
    char* amname = text_to_cstring(PG_GETARG_TEXT_PP(0));
    int64 rows = PG_GETARG_INT64(1);
    int32 dims = PG_GETARG_INT32(2);
    Oid typid = PG_GETARG_OID(3);
    ArrayType* options = PG_GETARG_ARRAYTYPE_P(4);

    const IndexAm* am = index_am_by_name(amname);
    Oid amoid = get_index_am_oid(amname, false);
    uint8 type = vx::pg::hnsw::type_of_oid(typid);
    if (type == 0)
        ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                        errmsg("type %s is not a vector type of vector_ext", format_type_be(typid)),
                        errhint("Use vector, bytevector or bitvector.")));
    check_counts(rows, dims, typid, type);
    Oid opclass = estimate_opclass(typid, type, amname, amoid);
    Oid opcintype = get_opclass_input_type(opclass);
    Oid proc = get_opfamily_proc(get_opclass_family(opclass), opcintype, opcintype, 1);
    HnswKind kind = vx::pg::hnsw::kind_of_proc(typid, proc);
    bytea* rd_options = parse_options(options, amoid);

    SizingTarget t;
    t.target = vx::pg::hnsw::option_target_of(kind, typid, opclass);
    t.column = sizing_column(type);
    t.dims = (uint32) dims;
    t.rows = (double) rows;
    t.cosine = kind.metric == vx::hnsw::Metric::cosine_f32 || kind.metric == vx::hnsw::Metric::cosine_i8;
    uint32 type_limit = type == HNSW_TYPE_BITVECTOR ? VX_MAX_BIT_DIM : VX_MAX_DIM;

    Sizing chosen;
    am->sizing(rd_options, t, NULL, &chosen); /* errors as CREATE INDEX would */
    InitMaterializedSRF(fcinfo, 0);
    ReturnSetInfo* rsinfo = (ReturnSetInfo*) fcinfo->resultinfo;
    if (chosen.product_quantized) {
        put_row(rsinfo->setResult, rsinfo->setDesc, am, chosen, true, type_limit);
        return (Datum) 0;
    }
    for (int i = 0; i <= int(chosen.max_level); i++) {
        Sizing s;
        am->sizing(rd_options, t, level_name(Compression(i)), &s);
        put_row(rsinfo->setResult, rsinfo->setDesc, am, s, Compression(i) == chosen.resolved.level, type_limit);
    }
    return (Datum) 0;
}
