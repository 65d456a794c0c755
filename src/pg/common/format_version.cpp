// The format version check shared by every access method (format_version.h).
#include "pg/common/format_version.h"

extern "C" {
#include "commands/defrem.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "catalog/namespace.h"
}

namespace vx::pg {

const char* reindex_name(Relation index) {
    const char* name = RelationGetRelationName(index);
    if (RelationIsVisible(RelationGetRelid(index)))
        return quote_identifier(name);
    return quote_qualified_identifier(get_namespace_name(RelationGetNamespace(index)), name);
}

void check_format_version(Relation index, uint32 version, uint32 oldest, uint32 newest) {
    if (version >= oldest && version <= newest)
        return;
    const char* name = RelationGetRelationName(index);
    const char* am = get_am_name(index->rd_rel->relam);  // ivfflat says ivfflat
    if (oldest == newest)
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("%s index \"%s\" has page format version %u; this version of "
                               "vector_ext reads version %u", am, name, version, newest),
                        errhint("REINDEX INDEX %s;", reindex_name(index))));
    ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("%s index \"%s\" has page format version %u; this version of "
                           "vector_ext reads versions %u to %u", am, name, version, oldest, newest),
                    errhint("REINDEX INDEX %s;", reindex_name(index))));
}

}  // namespace vx::pg
