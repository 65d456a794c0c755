// PageReader (see reader.h).
#include "pg/hnsw/reader.h"

#include "pg/common/error_bridge.h"
#include "pg/common/page_check.h"
#include "pg/common/pg_guard.h"

extern "C" {
#include "storage/bufmgr.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "storage/proc.h"
#include "utils/memutils.h"
#include "utils/rel.h"
}

namespace vx::pg::hnsw {

/* The pin cap of a reader: every backend may hold this many at once without
 * exhausting shared buffers (the share PostgreSQL 16 gives each backend in
 * LimitAdditionalPins), but at least 64. */
static int pin_cap() {
    return Max(64, NBuffers / (MaxBackends + NUM_AUXILIARY_PROCS));
}

/* A block table kept by the backend between scans (see reader.h): only
 * buffer numbers, which ReadRecentBuffer validates on every use. A few, so
 * that queries alternating between indexes keep theirs; more scans at once
 * (nested, self-joins) get fresh tables. */
struct BlockTable {
    RelFileNode node;
    BackendId backend; /* temporary relations: buffers are local */
    BlockRef* refs;
    BlockNumber n;
    uint32 gen;
    Buffer* held;
};
#define SPARE_TABLES 4
static BlockTable* spare_tables[SPARE_TABLES];
static uint32 hinted_pins;

// Starts with no pins and no hints; the table grows with the relation.
void PageReader::init(Relation rel, const HnswMetaInfo& info) {
    index = rel;
    mi = info;
    k = &vx::simd::active();
    npins = RelationGetNumberOfBlocks(rel) + 16;
    refs = (BlockRef*) palloc0(sizeof(BlockRef) * npins);
    gen = 1;
    pinned = 0;
    max_pins = pin_cap();
    held = (Buffer*) palloc(sizeof(Buffer) * max_pins);
    distances = 0;
    table = nullptr;
    load_quant();
}

// The index's quantizer (none at 1x) and its scratch, for mi.
void PageReader::load_quant() {
    quant = load_quantizer(index, mi);
    decoded = quant ? (float*) palloc(sizeof(float) * 2 * mi.dims) : NULL;
}

// Takes the spare table of this index (or any, cleared, or a new one).
void PageReader::init_scan(Relation rel) {
    BlockTable* t = nullptr;
    int any = -1;
    for (int i = 0; i < SPARE_TABLES && !t; i++) {
        if (spare_tables[i] && RelFileNodeEquals(spare_tables[i]->node, rel->rd_node) &&
            spare_tables[i]->backend == rel->rd_backend) {
            t = spare_tables[i];
            spare_tables[i] = nullptr;
        } else if (spare_tables[i] && any < 0) {
            any = i;
        }
    }
    if (!t && any >= 0) {
        t = spare_tables[any];
        spare_tables[any] = nullptr;
        memset(t->refs, 0, sizeof(BlockRef) * t->n);
        t->node = rel->rd_node;
        t->backend = rel->rd_backend;
    }
    if (!t) {
        t = (BlockTable*) MemoryContextAllocZero(TopMemoryContext, sizeof(BlockTable));
        t->node = rel->rd_node;
        t->backend = rel->rd_backend;
        t->n = RelationGetNumberOfBlocks(rel) + 16;
        t->refs = (BlockRef*) MemoryContextAllocZero(TopMemoryContext, sizeof(BlockRef) * t->n);
        t->held = (Buffer*) MemoryContextAlloc(TopMemoryContext, sizeof(Buffer) * pin_cap());
    }
    index = rel;
    memset(&mi, 0, sizeof(mi));
    k = &vx::simd::active();
    refs = t->refs;
    npins = t->n;
    gen = t->gen;
    pinned = 0;
    max_pins = pin_cap();
    held = t->held;
    distances = 0;
    table = t;
    quant = nullptr;
    decoded = NULL;
    next_gen();
}

// A fresh generation: nothing counts as pinned any more.
void PageReader::next_gen() {
    if (++gen == 0) {
        for (BlockNumber b = 0; b < npins; b++)
            refs[b].gen = 0;
        gen = 1;
    }
}

// Gives the borrowed table back (pins, if any, are the resource owner's).
void PageReader::forget() {
    if (!table)
        return;
    next_gen();
    BlockTable* t = table;
    table = nullptr;
    t->refs = refs;
    t->n = npins;
    t->gen = gen;
    for (int i = 0; i < SPARE_TABLES; i++) {
        if (!spare_tables[i]) {
            spare_tables[i] = t;
            return;
        }
    }
    pfree(t->refs);
    pfree(t->held);
    pfree(t);
}

// Drops every pin and gives back a borrowed table.
void PageReader::finish() {
    release_all();
    forget();
}

// Copies the metapage's fields to mi (the metapage stays pinned).
void PageReader::read_meta() {
    Buffer buf = InvalidBuffer;
    VX_GUARD({ buf = pin(HNSW_METAPAGE_BLKNO); });
    LockBuffer(buf, BUFFER_LOCK_SHARE);
    HnswMetaPageData* meta = HnswPageGetMeta(BufferGetPage(buf));
    check_meta(index, meta);
    meta_to_info(meta, &mi);
    LockBuffer(buf, BUFFER_LOCK_UNLOCK);
}

// Pins blk: through its last buffer when that still holds it, else by a
// buffer mapping lookup. Every 64th hinted pin of the backend does the lookup
// anyway: only ReadBuffer raises the buffer's usage count (PostgreSQL 15's
// ReadRecentBuffer does not), which keeps pages that many queries use from
// being evicted. The count runs across scans, so it is not always the same
// (hottest, first) pins of a search that skip the refresh.
Buffer PageReader::pin_slow(BlockNumber blk) {
    if (blk >= npins) {
        BlockNumber grown = Max(blk + 1, npins * 2);
        pg_guarded([&] { refs = (BlockRef*) repalloc(refs, sizeof(BlockRef) * grown); });
        memset(refs + npins, 0, sizeof(BlockRef) * (grown - npins));
        npins = grown;
    }
    Buffer hint = refs[blk].buf;
    Buffer buf = InvalidBuffer;
    pg_guarded([&] {
        if (pinned >= max_pins)
            release_all();
        if (hint != InvalidBuffer && (++hinted_pins & 63) != 0 &&
            ReadRecentBuffer(index->rd_node, MAIN_FORKNUM, blk, hint))
            buf = hint;
        else
            buf = ReadBuffer(index, blk);
    });
    refs[blk].buf = buf;
    refs[blk].gen = gen;
    held[pinned++] = buf;
    return buf;
}

// Releases all pins.
void PageReader::release_all() {
    for (int i = 0; i < pinned; i++)
        ReleaseBuffer(held[i]);
    pinned = 0;
    next_gen();
}

// Layer-0 list from the slot, upper lists from the element's upper tuple.
// A corrupt slot or tuple is a PgError (C++ code: no ereport here).
uint32 PageReader::neighbors(uint32 id, int level, uint32* out) {
    Buffer buf = pin(id_block(mi, id));
    LockBuffer(buf, BUFFER_LOCK_SHARE);
    const char* bad;
    HnswElementSlot* s = find_slot(BufferGetPage(buf), mi, id, &bad);
    uint32 n = 0;
    BlockNumber ublk = InvalidBlockNumber;
    OffsetNumber uoff = InvalidOffsetNumber;
    if (s && !(s->flags & HNSW_SLOT_FREE)) {
        if (level == 0) {
            n = s->count0;
            memcpy(out, HnswSlotNbrs(s), n * sizeof(uint32));
        } else if (s->level >= level) {
            ublk = s->upper_blk;
            uoff = s->upper_off;
        }
    }
    LockBuffer(buf, BUFFER_LOCK_UNLOCK);
    if (bad)
        throw_page_corrupt(index, id_block(mi, id), id_offset(mi, id), bad);
    if (ublk == InvalidBlockNumber)
        return n;
    buf = pin(ublk);
    LockBuffer(buf, BUFFER_LOCK_SHARE);
    n = find_upper_list(BufferGetPage(buf), uoff, mi, id, level, out, &bad);
    LockBuffer(buf, BUFFER_LOCK_UNLOCK);
    if (bad)
        throw_page_corrupt(index, ublk, uoff, bad);
    return n;
}

// Distance computed on the pinned page without a content lock: a code never
// changes while its slot is live, and ids reach a search only through lists
// written after their slot. The one race, an insert reusing a slot freed by
// VACUUM while a search that read the old list computes its distance, gives a
// wrong distance for that element only; the scan re-reads the slot (TID,
// flags) under a share lock before returning it.
float PageReader::distance(const uint8* query, uint32 id) {
    Buffer buf = pin(id_block(mi, id));
    const uint8* code = HnswSlotCode(slot_at(BufferGetPage(buf), id_offset(mi, id)), mi.m);
    distances++;
    return vx::hnsw::code_distance(*k, mi.kind.metric, mi.dims, query, code);
}

// Quantized code distance, on the pinned page as above.
float PageReader::distance(const vx::quant::PreparedQuery& pq, uint32 id) {
    Buffer buf = pin(id_block(mi, id));
    const uint8* code = HnswSlotCode(slot_at(BufferGetPage(buf), id_offset(mi, id)), mi.m);
    distances++;
    return vx::quant::distance(pq, code);
}

// Pair distance of codes (decoded when quantized; scratch, no allocation).
float PageReader::between(const uint8* a, const uint8* b) {
    if (!quant)
        return vx::hnsw::code_distance(*k, mi.kind.metric, mi.dims, a, b);
    quant->decode(a, decoded);
    quant->decode(b, decoded + mi.dims);
    return vx::hnsw::code_distance(*k, mi.kind.metric, mi.dims, (const uint8*) decoded,
                                   (const uint8*) (decoded + mi.dims));
}

// The value of a code (decoded when quantized).
void PageReader::code_to_value(const uint8* code, uint8* out) const {
    if (quant)
        quant->decode(code, (float*) out);
    else
        memcpy(out, code, mi.value_size);
}

// Cache hint for the code of id when its block is pinned already.
void PageReader::prefetch(uint32 id) const {
    BlockNumber blk = id_block(mi, id);
    if (blk >= npins || refs[blk].gen != gen)
        return;
    const char* p = (const char*) HnswSlotCode(slot_at(BufferGetPage(refs[blk].buf), id_offset(mi, id)), mi.m);
    for (uint32 off = 0; off < mi.code_size && off < 512; off += 64)
        __builtin_prefetch(p + off);
}

// Copies a code out of its page.
uint8 PageReader::copy_code(uint32 id, uint8* out) {
    Buffer buf = pin(id_block(mi, id));
    LockBuffer(buf, BUFFER_LOCK_SHARE);
    const char* bad;
    HnswElementSlot* s = find_slot(BufferGetPage(buf), mi, id, &bad);
    uint8 flags = HNSW_SLOT_FREE;
    if (s) {
        memcpy(out, HnswSlotCode(s, mi.m), mi.code_size);
        flags = s->flags;
    } else {
        memset(out, 0, mi.code_size);
    }
    LockBuffer(buf, BUFFER_LOCK_UNLOCK);
    if (bad)
        throw_page_corrupt(index, id_block(mi, id), id_offset(mi, id), bad);
    return flags;
}

}  // namespace vx::pg::hnsw
