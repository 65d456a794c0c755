// PageReader (see reader.h).
#include "pg/hnsw/reader.h"

#include "pg/common/pg_guard.h"

extern "C" {
#include "storage/bufmgr.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "storage/proc.h"
}

namespace vx::pg::hnsw {

// Starts with no pins; the pin table grows with the relation.
void PageReader::init(Relation rel, const HnswMetaInfo& info) {
    index = rel;
    mi = info;
    k = &vx::simd::active();
    npins = RelationGetNumberOfBlocks(rel) + 16;
    pins = (Buffer*) palloc0(sizeof(Buffer) * npins);
    pinned = 0;
    /* Every backend may hold this many at once without exhausting shared
     * buffers (the share PostgreSQL 16 gives each backend in
     * LimitAdditionalPins), but at least 64. */
    max_pins = Max(64, NBuffers / (MaxBackends + NUM_AUXILIARY_PROCS));
    held = (BlockNumber*) palloc(sizeof(BlockNumber) * max_pins);
    distances = 0;
    quant = load_quantizer(rel, info);
    decoded = quant ? (float*) palloc(sizeof(float) * 2 * info.dims) : NULL;
}

// Pinned buffer of blk, reading it on first use.
Buffer PageReader::pin(BlockNumber blk) {
    if (blk < npins && pins[blk] != InvalidBuffer)
        return pins[blk];
    Buffer buf = InvalidBuffer;
    pg_guarded([&] {
        if (pinned >= max_pins)
            release_all();
        if (blk >= npins) {
            BlockNumber grown = Max(blk + 1, npins * 2);
            pins = (Buffer*) repalloc(pins, sizeof(Buffer) * grown);
            memset(pins + npins, 0, sizeof(Buffer) * (grown - npins));
            npins = grown;
        }
        buf = ReadBuffer(index, blk);
    });
    pins[blk] = buf;
    held[pinned++] = blk;
    return buf;
}

// Releases all pins.
void PageReader::release_all() {
    for (int i = 0; i < pinned; i++) {
        ReleaseBuffer(pins[held[i]]);
        pins[held[i]] = InvalidBuffer;
    }
    pinned = 0;
}

// Layer-0 list from the slot, upper lists from the element's upper tuple.
uint32 PageReader::neighbors(uint32 id, int level, uint32* out) {
    Buffer buf = pin(id_block(mi, id));
    LockBuffer(buf, BUFFER_LOCK_SHARE);
    HnswElementSlot* s = page_slot(BufferGetPage(buf), mi, id);
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
    if (ublk == InvalidBlockNumber)
        return n;
    buf = pin(ublk);
    LockBuffer(buf, BUFFER_LOCK_SHARE);
    Page page = BufferGetPage(buf);
    if (uoff <= PageGetMaxOffsetNumber(page)) {
        HnswUpperTuple* t = (HnswUpperTuple*) PageGetItem(page, PageGetItemId(page, uoff));
        if (t->owner == id && t->level >= level) {
            uint32* list = HnswUpperList(t, mi.m, level);
            n = Min(list[0], (uint32) mi.m);
            memcpy(out, list + 1, n * sizeof(uint32));
        }
    }
    LockBuffer(buf, BUFFER_LOCK_UNLOCK);
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
    if (blk >= npins || pins[blk] == InvalidBuffer)
        return;
    const char* p = (const char*) HnswSlotCode(slot_at(BufferGetPage(pins[blk]), id_offset(mi, id)), mi.m);
    for (uint32 off = 0; off < mi.code_size && off < 512; off += 64)
        __builtin_prefetch(p + off);
}

// Copies a code out of its page.
uint8 PageReader::copy_code(uint32 id, uint8* out) {
    Buffer buf = pin(id_block(mi, id));
    LockBuffer(buf, BUFFER_LOCK_SHARE);
    HnswElementSlot* s = page_slot(BufferGetPage(buf), mi, id);
    uint8 flags = HNSW_SLOT_FREE;
    if (s) {
        memcpy(out, HnswSlotCode(s, mi.m), mi.code_size);
        flags = s->flags;
    } else {
        memset(out, 0, mi.code_size);
    }
    LockBuffer(buf, BUFFER_LOCK_UNLOCK);
    return flags;
}

}  // namespace vx::pg::hnsw
