// Page format versions of the vector_ext index access methods: the one check
// and the one message for an index written in a format this build does not read.
//
// Policy (README "Upgrades"): each AM writes FORMAT_VERSION and reads every
// version from its OLDEST_READ_VERSION up (a build that reads an older format
// also maintains it in that format). A format change that old code would
// misread bumps FORMAT_VERSION; a build that drops an old reader raises
// OLDEST_READ_VERSION. Anything outside the range is refused with a
// "REINDEX INDEX <name>;" hint, before any other page is read.
#pragma once

extern "C" {
#include "postgres.h"
#include "utils/relcache.h"
}

namespace vx::pg {

/// Errors (feature_not_supported, REINDEX hint) unless oldest <= version <= newest.
void check_format_version(Relation index, uint32 version, uint32 oldest, uint32 newest);

/// The index's name as REINDEX needs it: quoted, and schema-qualified when the
/// schema is not on the search path.
const char* reindex_name(Relation index);

}  // namespace vx::pg
