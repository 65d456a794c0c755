// libFuzzer target: the page decoders of one access method (VX_FUZZ_AM is
// hnsw, ivf or binary) on random and mutated page images. The input is up to
// three pages of BLCKSZ bytes (shorter input is padded with zeros): the
// metapage, then data pages. Each decoder the scans, inserts and VACUUM use
// must either accept a page, after which everything it hands out is read here
// in full (ASan reports any byte outside the page images), or reject it with a
// clear ERROR / a problem string. The seeds are real pages of small indexes.
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "test/fuzz/pg_stub.h"

extern "C" {
#include "catalog/pg_class.h"
#include "utils/rel.h"
}

#define VX_STR2(x) #x
#define VX_STR(x) VX_STR2(x)
#define VX_AM_HEADER(am) VX_STR(pg/am/am.h)
#include VX_AM_HEADER(VX_FUZZ_AM)

namespace {

struct Case {
    Relation index;
    Page pages[3]; /* metapage, data pages (each exactly BLCKSZ bytes of heap) */
    uint64_t sink; /* bytes read, so reads are not optimized away */
};

/* Reads n bytes (ASan checks each is inside an allocation). */
void consume(Case* c, const void* p, size_t n) {
    const uint8_t* b = (const uint8_t*) p;
    for (size_t i = 0; i < n; i++)
        c->sink += b[i];
}

/* A problem string from a pure decoder must say something. */
void expect_problem(const char* bad) {
    if (bad && !*bad)
        abort();
}

#if defined(VX_FUZZ_AM_hnsw)
using namespace vx::pg::hnsw;

void decode(void* arg) {
    Case* c = (Case*) arg;
    HnswMetaPageData* meta = HnswPageGetMeta(c->pages[0]);
    check_meta(c->index, meta);
    HnswMetaInfo mi;
    meta_to_info(meta, &mi);
    uint32* out = (uint32*) palloc(sizeof(uint32) * 2 * mi.m);
    Page elems = c->pages[1];
    for (uint32 off = 1; off <= mi.per_page; off++) {
        uint32 id = make_id(mi, 1, (OffsetNumber) off);
        /* The unlocked distance path: a code at its computed place. */
        consume(c, HnswSlotCode(slot_position(elems, mi, (OffsetNumber) off), mi.m), mi.code_size);
        const char* bad;
        HnswElementSlot* s = find_slot(elems, mi, id, &bad);
        expect_problem(bad);
        if (!s)
            continue;
        consume(c, HnswSlotNbrs(s), sizeof(uint32) * s->count0);
        memcpy(out, HnswSlotNbrs(s), sizeof(uint32) * s->count0); /* as PageReader::neighbors */
        consume(c, HnswSlotCode(s, mi.m), mi.code_size);
        for (int level = 1; level <= s->level; level++) {
            uint32 n = find_upper_list(c->pages[2], s->upper_off, mi, id, level, out, &bad);
            expect_problem(bad);
            if (n > (uint32) mi.m)
                abort();
        }
    }
    /* The PostgreSQL-style wrapper: corruption is an ERROR. */
    for (uint32 off = 1; off <= mi.per_page; off++)
        (void) page_slot(c->index, elems, mi, make_id(mi, 1, (OffsetNumber) off));
}

#elif defined(VX_FUZZ_AM_ivf)
using namespace vx::pg::ivf;

void decode(void* arg) {
    Case* c = (Case*) arg;
    IvfMetaPageData* meta = IvfPageGetMeta(c->pages[0]);
    check_meta(c->index, meta);
    IvfMetaInfo mi;
    meta_to_info(meta, &mi);
    /* List tuples of block 1 (the scan's list_start, insert, VACUUM). */
    for (uint32 k = 0; k < mi.lists && list_block(mi, k) == IVF_FIRST_LIST_BLKNO; k++) {
        IvfListTuple* t = list_tuple(c->index, mi, c->pages[1], k);
        consume(c, t, sizeof(IvfListTuple) + mi.centroid_size);
    }
    /* Entries of a posting page (the scan's read_list, VACUUM). */
    Page posting = c->pages[2];
    if (PageIsNew(posting))
        return;
    OffsetNumber max = PageGetMaxOffsetNumber(posting);
    for (OffsetNumber off = FirstOffsetNumber; off <= max; off++) {
        IvfEntry* e = posting_entry(c->index, mi, 2, posting, off);
        consume(c, e, mi.entry_size);
    }
}

#elif defined(VX_FUZZ_AM_binary)
using namespace vx::pg::binary;

void decode(void* arg) {
    Case* c = (Case*) arg;
    BinaryMetaPageData* meta = BinaryPageGetMeta(c->pages[0]);
    check_meta(c->index, meta);
    BinaryMetaInfo mi;
    meta_to_info(meta, &mi);
    for (int p = 1; p < 3; p++) {
        Page page = c->pages[p];
        if (!is_code_page(c->index, p, page))
            continue;
        /* The scan's batch kernels read count codes back to back, then TIDs. */
        uint32 count = code_page_count(c->index, p, page, mi);
        consume(c, BinaryPageCode(page, mi.code_size, 0), (size_t) count * mi.code_size);
        for (uint32 i = 0; i < count; i++)
            consume(c, BinaryPageTidBytes(page, mi.code_size, mi.per_page, i), sizeof(ItemPointerData));
    }
}
#else
#error "VX_FUZZ_AM must be hnsw, ivf or binary"
#endif

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static FormData_pg_class cls;
    static RelationData rel;
    if (!rel.rd_rel) {
        strcpy(NameStr(cls.relname), "fuzz_idx");
        rel.rd_rel = &cls;
    }
    Case c = {&rel, {}, 0};
    for (int p = 0; p < 3; p++) {
        /* Each page its own allocation of exactly BLCKSZ bytes, so ASan sees
         * a read past any page's end. */
        c.pages[p] = (Page) malloc(BLCKSZ);
        size_t from = (size_t) p * BLCKSZ;
        size_t n = size > from ? size - from : 0;
        if (n > BLCKSZ)
            n = BLCKSZ;
        memset(c.pages[p], 0, BLCKSZ);
        memcpy(c.pages[p], data + from, n);
    }
    vx::fuzz::run(decode, &c);
    vx::fuzz::reset();
    for (Page p : c.pages)
        free(p);
    return 0;
}
