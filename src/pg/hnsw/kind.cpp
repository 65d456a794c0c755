// What an hnsw index computes: the column type and metric of its operator
// class, codes of values, and the resolved options.
#include "pg/hnsw/hnsw.h"

extern "C" {
#include "catalog/pg_opclass.h"
#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"
}

#include <cstring>

#include "pg/types/bitvector.h"
#include "pg/types/bytevector.h"
#include "pg/types/vector.h"

namespace vx::pg::hnsw {

using vx::hnsw::Metric;

// Distance support function name and column type -> metric (one table).
struct KindRow {
    uint8 type;
    const char* proc;
    Metric metric;
    bool sqrt_result;
    bool skip_zero;
};
static const KindRow kKinds[] = {
    {HNSW_TYPE_VECTOR, "vector_l2_squared_distance", Metric::l2_f32, true, false},
    {HNSW_TYPE_VECTOR, "vector_negative_inner_product", Metric::neg_dot_f32, false, false},
    {HNSW_TYPE_VECTOR, "cosine_distance", Metric::cosine_f32, false, true},
    {HNSW_TYPE_VECTOR, "l1_distance", Metric::l1_f32, false, false},
    {HNSW_TYPE_BYTEVECTOR, "bytevector_l2_squared_distance", Metric::l2_i8, true, false},
    {HNSW_TYPE_BYTEVECTOR, "bytevector_negative_inner_product", Metric::neg_dot_i8, false, false},
    {HNSW_TYPE_BYTEVECTOR, "cosine_distance", Metric::cosine_i8, false, true},
    {HNSW_TYPE_BYTEVECTOR, "l1_distance", Metric::l1_i8, false, false},
    {HNSW_TYPE_BITVECTOR, "hamming_distance", Metric::hamming_bits, false, false},
    {HNSW_TYPE_BITVECTOR, "jaccard_distance", Metric::jaccard_bits, false, false},
};

// HNSW_TYPE_* of a type name, 0 when not one of ours.
static uint8 type_of_name(const char* name) {
    if (strcmp(name, "vector") == 0)
        return HNSW_TYPE_VECTOR;
    if (strcmp(name, "bytevector") == 0)
        return HNSW_TYPE_BYTEVECTOR;
    if (strcmp(name, "bitvector") == 0)
        return HNSW_TYPE_BITVECTOR;
    return 0;
}

// Name of a type (palloc'd).
static char* type_name(Oid typid) {
    HeapTuple tup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(typid));
    if (!HeapTupleIsValid(tup))
        elog(ERROR, "cache lookup failed for type %u", typid);
    char* name = pstrdup(NameStr(((Form_pg_type) GETSTRUCT(tup))->typname));
    ReleaseSysCache(tup);
    return name;
}

// HNSW_TYPE_* of a type, 0 when not one of ours.
uint8 type_of_oid(Oid typid) { return type_of_name(type_name(typid)); }

// Column type and metric of a distance function for a column type.
HnswKind kind_of_proc(Oid typid, Oid proc) {
    uint8 type = type_of_oid(typid);
    if (type == 0)
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("type %s is not supported by hnsw", format_type_be(typid))));
    char* fname = get_func_name(proc);
    for (const KindRow& r : kKinds) {
        if (r.type == type && fname && strcmp(r.proc, fname) == 0)
            return HnswKind{r.type, r.metric, r.sqrt_result, r.skip_zero};
    }
    ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("hnsw does not support distance function %s for type %s",
                           fname ? fname : "?", format_type_be(typid))));
    pg_unreachable();
}

// Column type and metric from the operator class's distance function.
HnswKind kind_of_index(Relation index) {
    Oid typid = TupleDescAttr(RelationGetDescr(index), 0)->atttypid;
    if (type_of_oid(typid) == 0)
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("type %s is not supported by hnsw", format_type_be(typid))));
    return kind_of_proc(typid, index_getprocinfo(index, 1, HNSW_DISTANCE_PROC)->fn_oid);
}

// Dimensions from the column's typmod.
int dims_of_column(Relation index, uint8 type) {
    int32 typmod = TupleDescAttr(RelationGetDescr(index), 0)->atttypmod;
    if (typmod < 0)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("column does not have dimensions")));
    (void) type;
    return typmod;
}

// Bytes of a stored code.
uint32 stored_code_size(const HnswKind& kind, uint32 dims, vx::quant::Encoding encoding) {
    if (encoding == vx::quant::Encoding::f32)
        return code_size_of(kind, dims);
    return (uint32) vx::quant::code_size(encoding, dims);
}

// Error for a value of the wrong size.
static void check_dims(uint32 dims, int got) {
    if ((uint32) got != dims)
        ereport(ERROR, (errcode(ERRCODE_DATA_EXCEPTION),
                        errmsg("expected %u dimensions, not %d", dims, got)));
}

// The value as a 1x code; false for values the index does not hold.
bool value_to_code(const HnswKind& kind, uint32 dims, Datum value, uint8* out) {
    struct varlena* v = PG_DETOAST_DATUM(value);
    const uint8* src;
    uint32 n = code_size_of(kind, dims);
    switch (kind.type) {
    case HNSW_TYPE_VECTOR: {
        Vector* x = (Vector*) v;
        check_dims(dims, x->dim);
        src = (const uint8*) x->x;
        break;
    }
    case HNSW_TYPE_BYTEVECTOR: {
        ByteVector* x = (ByteVector*) v;
        check_dims(dims, x->dim);
        src = (const uint8*) x->x;
        break;
    }
    default: {
        BitVector* x = (BitVector*) v;
        check_dims(dims, x->dim);
        src = x->data;
        break;
    }
    }
    memcpy(out, src, n);
    if ((Pointer) v != DatumGetPointer(value))
        pfree(v);
    if (!kind.skip_zero)
        return true;
    if (kind.type == HNSW_TYPE_VECTOR) {
        const float* f = (const float*) out;
        for (uint32 i = 0; i < dims; i++)
            if (f[i] != 0.0f)
                return true;
        return false;
    }
    for (uint32 i = 0; i < n; i++)
        if (out[i] != 0)
            return true;
    return false;
}

// m of the index.
int option_m(Relation index) {
    HnswOptions* o = (HnswOptions*) index->rd_options;
    return o ? o->m : HNSW_DEFAULT_M;
}

// mode and compression_level of parsed reloptions (NULL: none) through the
// shared resolver; level, when not NULL, replaces compression_level.
vx::pg::ResolvedOptions resolve_reloptions(const bytea* rd_options, const vx::pg::OptionTarget& target,
                                           const char* level) {
    const HnswOptions* o = (const HnswOptions*) rd_options;
    const char* mode = NULL;
    if (o && o->mode_offset)
        mode = (const char*) o + o->mode_offset;
    if (!level && o && o->compression_offset)
        level = (const char*) o + o->compression_offset;
    return vx::pg::resolve_options(mode, level, target);
}

// The resolver's view of a column type and operator class (no index needed).
vx::pg::OptionTarget option_target_of(const HnswKind& kind, Oid typid, Oid opclass) {
    vx::pg::OptionTarget target;
    target.is_vector = kind.type == HNSW_TYPE_VECTOR;
    target.quantizable = kind.metric == Metric::l2_f32 || kind.metric == Metric::neg_dot_f32 ||
                         kind.metric == Metric::cosine_f32;
    target.opclass = NULL;
    target.type_name = format_type_be(typid);
    HeapTuple tup = SearchSysCache1(CLAOID, ObjectIdGetDatum(opclass));
    if (HeapTupleIsValid(tup)) {
        target.opclass = pstrdup(NameStr(((Form_pg_opclass) GETSTRUCT(tup))->opcname));
        ReleaseSysCache(tup);
    }
    target.max_level = vx::pg::Compression::x32;
    return target;
}

// What the options resolver needs to know about the column and operator class.
vx::pg::OptionTarget option_target(Relation index, const HnswKind& kind) {
    return option_target_of(kind, TupleDescAttr(RelationGetDescr(index), 0)->atttypid,
                            get_index_column_opclass(RelationGetRelid(index), 1));
}

// What sizing needs to know about an index's column (rows: expected rows).
vx::pg::SizingTarget sizing_target(Relation index, const HnswKind& kind, double rows) {
    vx::pg::SizingTarget t;
    t.target = option_target(index, kind);
    t.column = vx::pg::sizing_column(kind.type);
    t.dims = (uint32) dims_of_column(index, kind.type);
    t.rows = rows;
    t.cosine = kind.metric == Metric::cosine_f32 || kind.metric == Metric::cosine_i8;
    return t;
}

}  // namespace vx::pg::hnsw
