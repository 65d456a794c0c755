// Reading an access method's metapage (block 0, the struct right after the
// page header): pin, share-lock, check, copy the fields out, release. One
// routine for every access method; each gives its check (which errors on a
// corrupt or foreign metapage) and its copy.
#pragma once

extern "C" {
#include "postgres.h"
#include "storage/bufmgr.h"
#include "storage/bufpage.h"
#include "utils/relcache.h"
}

namespace vx::pg {

template <typename Meta, typename Info>
void read_metapage(Relation index, void (*check)(Relation, const Meta*), void (*to_info)(const Meta*, Info*),
                   Info* info) {
    Buffer buf = ReadBuffer(index, 0);
    LockBuffer(buf, BUFFER_LOCK_SHARE);
    const Meta* meta = (const Meta*) PageGetContents(BufferGetPage(buf));
    check(index, meta);
    to_info(meta, info);
    UnlockReleaseBuffer(buf);
}

}  // namespace vx::pg
