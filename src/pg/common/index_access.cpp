// The registry of vector_ext access methods and the inspection privilege.
#include "pg/common/index_access.h"

extern "C" {
#include "access/genam.h"
#include "access/table.h"
#include "catalog/index.h"
#include "catalog/pg_authid.h"
#include "commands/defrem.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
}

#include "pg/binary/binary.h"
#include "pg/hnsw/hnsw.h"
#include "pg/ivf/ivf.h"

namespace vx::pg {

namespace hnsw_am = vx::pg::hnsw;
namespace ivf_am = vx::pg::ivf;
namespace binary_am = vx::pg::binary;

/* Every access method of the extension; a new one adds its row. */
static const IndexAm kAms[] = {
    {"hnsw", hnswbuild, hnsw_am::check_index, hnsw_am::indexable, hnsw_am::index_info,
     hnsw_am::scan_stats, hnsw_am::page_geometry, hnsw_am::sizing},
    {"ivf", ivfbuild, ivf_am::check_index, ivf_am::indexable, ivf_am::index_info, ivf_am::scan_stats,
     ivf_am::page_geometry, ivf_am::sizing_ivf},
    {"ivfflat", ivfflatbuild, ivf_am::check_index, ivf_am::indexable, ivf_am::index_info,
     ivf_am::scan_stats, ivf_am::page_geometry, ivf_am::sizing_ivfflat},
    {"binary", binarybuild, binary_am::check_index, binary_am::indexable, binary_am::index_info,
     binary_am::scan_stats, binary_am::page_geometry, binary_am::sizing},
};

void TidList::add(ItemPointer tid) {
    if (n == cap) {
        cap = cap ? cap * 2 : 1024;
        tids = tids ? (ItemPointerData*) repalloc_huge(tids, cap * sizeof(ItemPointerData))
                    : (ItemPointerData*) MemoryContextAllocHuge(CurrentMemoryContext, cap * sizeof(ItemPointerData));
    }
    tids[n++] = *tid;
}

const IndexAm* find_index_am(Relation index) {
    for (const IndexAm& am : kAms)
        if (index->rd_indam != NULL && index->rd_indam->ambuild == am.build)
            return &am;
    return NULL;
}

const IndexAm* index_am_of(Relation index) {
    if (index->rd_rel->relkind != RELKIND_INDEX)
        ereport(ERROR, (errcode(ERRCODE_WRONG_OBJECT_TYPE),
                        errmsg("\"%s\" is not an index", RelationGetRelationName(index))));
    if (const IndexAm* am = find_index_am(index))
        return am;
    char* name = get_am_name(index->rd_rel->relam);
    ereport(ERROR, (errcode(ERRCODE_WRONG_OBJECT_TYPE),
                    errmsg("index \"%s\" is not a vector_ext index", RelationGetRelationName(index)),
                    errdetail("Its access method is \"%s\".", name ? name : "?")));
    return NULL;
}

const IndexAm* index_am_by_name(const char* name) {
    for (const IndexAm& am : kAms)
        if (strcmp(am.name, name) == 0)
            return &am;
    ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT),
                    errmsg("access method \"%s\" is not an access method of vector_ext", name),
                    errhint("Use hnsw, ivf, ivfflat or binary.")));
    return NULL;
}

void require_inspect_privilege(Relation heap, Relation index) {
    Oid user = GetUserId();
    if (superuser() || pg_class_ownercheck(RelationGetRelid(heap), user) ||
        has_privs_of_role(user, ROLE_PG_MONITOR))
        return;
    ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                    errmsg("permission denied to inspect index \"%s\"", RelationGetRelationName(index)),
                    errdetail("Only the owner of table \"%s\", superusers and members of pg_monitor may.",
                              RelationGetRelationName(heap))));
}

const IndexAm* open_inspected(Oid indexoid, LOCKMODE heaplock, Relation* heap, Relation* index) {
    Oid heapoid = IndexGetRelation(indexoid, true);
    if (!OidIsValid(heapoid)) {
        char* name = get_rel_name(indexoid);
        ereport(ERROR, (errcode(ERRCODE_WRONG_OBJECT_TYPE), errmsg("\"%s\" is not an index", name ? name : "?")));
    }
    *heap = table_open(heapoid, heaplock);
    *index = index_open(indexoid, AccessShareLock);
    /* dropped and created again between the lookup and the locks */
    if (IndexGetRelation(indexoid, false) != heapoid)
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
                        errmsg("could not open parent table of index \"%s\"", RelationGetRelationName(*index))));
    const IndexAm* am = index_am_of(*index);
    require_inspect_privilege(*heap, *index);
    return am;
}

void require_readable(Relation index, const char* action) {
    if (RELATION_IS_OTHER_TEMP(index))
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("cannot %s temporary index \"%s\" of another session", action,
                               RelationGetRelationName(index))));
    if (!index->rd_index->indisvalid)
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("cannot %s index \"%s\"", action, RelationGetRelationName(index)),
                        errdetail("Index is not valid.")));
}

}  // namespace vx::pg
