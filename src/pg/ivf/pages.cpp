// Page helpers of the ivf access method: metapage, page init, list tuples,
// probe selection.
#include "pg/ivf/ivf.h"
#include "pg/common/format_version.h"

extern "C" {
#include "storage/bufmgr.h"
#include "utils/memutils.h"
#include "utils/rel.h"
}

#include "core/ivf/assign.h"
#include "pg/common/error_bridge.h"
#include "pg/common/metapage.h"
#include "pg/common/page_check.h"

namespace vx::pg::ivf {

// Initializes an empty page of one kind.
void init_page(Page page, uint16 type) {
    PageInit(page, BLCKSZ, sizeof(IvfPageOpaque));
    IvfPageOpaque* o = IvfPageGetOpaque(page);
    memset(o, 0, sizeof(*o));
    o->next = InvalidBlockNumber;
    o->page_type = type;
    o->page_id = IVF_PAGE_ID;
}

// List tuples that fit on one list page.
uint32 list_tuples_per_page(uint32 centroid_size) {
    return (uint32) (IVF_PAGE_SPACE / (MAXALIGN(sizeof(IvfListTuple) + centroid_size) + sizeof(ItemIdData)));
}

// Bytes of a centroid: floats, or packed bits for bitvector columns.
uint32 centroid_size_of(const HnswKind& kind, uint32 dims) {
    return kind.type == HNSW_TYPE_BITVECTOR ? (dims + 7) / 8 : dims * (uint32) sizeof(float);
}

// Posting entries that fit on one posting page.
uint32 entries_per_page(uint32 entry_size) {
    return (uint32) (IVF_PAGE_SPACE / (MAXALIGN(entry_size) + sizeof(ItemIdData)));
}

// Error unless the metapage is ours and of a version we read.
void check_meta(Relation index, const IvfMetaPageData* meta) {
    if (meta->magic != IVF_MAGIC)
        ereport(ERROR, (errcode(ERRCODE_INDEX_CORRUPTED),
                        errmsg("index \"%s\" is not an ivf index of vector_ext",
                               RelationGetRelationName(index))));
    check_format_version(index, meta->version, IVF_OLDEST_READ_VERSION, IVF_FORMAT_VERSION);
    /* Every size a reader computes with must agree with the others. */
    uint32 value = check_meta_codes(index, meta->type, meta->metric, meta->dims, meta->encoding);
    uint32 code = meta->pq_m > 0 ? meta->pq_m : value;
    HnswKind kind = {meta->type, (vx::hnsw::Metric) meta->metric, false, false};
    if (meta->lists < 1 || meta->lists > IVF_MAX_LISTS)
        page_corrupt(index, IVF_METAPAGE_BLKNO, 0, psprintf("lists = %u is out of range.", meta->lists));
    if (meta->centroid_size != centroid_size_of(kind, meta->dims) || meta->code_size != code ||
        meta->entry_size != sizeof(IvfEntry) + meta->code_size || entries_per_page(meta->entry_size) == 0)
        page_corrupt(index, IVF_METAPAGE_BLKNO, 0,
                     psprintf("Centroid, code or entry size (%u, %u, %u) does not fit %u dimensions.",
                              meta->centroid_size, meta->code_size, meta->entry_size, meta->dims));
    if (meta->lists_per_page != list_tuples_per_page(meta->centroid_size) || meta->lists_per_page == 0 ||
        meta->n_list_blocks != (meta->lists + meta->lists_per_page - 1) / meta->lists_per_page)
        page_corrupt(index, IVF_METAPAGE_BLKNO, 0,
                     psprintf("%u list pages of %u tuples do not hold %u lists.", meta->n_list_blocks,
                              meta->lists_per_page, meta->lists));
    if (meta->centroid > (uint8) vx::ivf::Metric::l1 && meta->centroid != IVF_CENTROID_BINARY)
        page_corrupt(index, IVF_METAPAGE_BLKNO, 0, psprintf("Centroid rule %u is unknown.", meta->centroid));
}

// List tuple k's item on its list page (share-locked), checked.
IvfListTuple* list_tuple(Relation index, const IvfMetaInfo& mi, Page page, uint32 list) {
    return (IvfListTuple*) page_item(index, list_block(mi, list), page, IVF_PAGE_KIND, IVF_PAGE_LIST,
                                     list_offset(mi, list), sizeof(IvfListTuple) + mi.centroid_size);
}

// A posting entry of a share-locked posting page, checked.
IvfEntry* posting_entry(Relation index, const IvfMetaInfo& mi, BlockNumber blk, Page page, OffsetNumber off) {
    return (IvfEntry*) page_item(index, blk, page, IVF_PAGE_KIND, IVF_PAGE_POSTING, off, mi.entry_size);
}

// Copies the fields operations need.
void meta_to_info(const IvfMetaPageData* meta, IvfMetaInfo* info) {
    info->dims = meta->dims;
    info->kind.type = meta->type;
    info->kind.metric = (vx::hnsw::Metric) meta->metric;
    info->kind.sqrt_result = meta->metric == (uint8) vx::hnsw::Metric::l2_f32 ||
                             meta->metric == (uint8) vx::hnsw::Metric::l2_i8;
    info->kind.skip_zero = meta->metric == (uint8) vx::hnsw::Metric::cosine_f32 ||
                           meta->metric == (uint8) vx::hnsw::Metric::cosine_i8;
    info->centroid = meta->centroid;
    info->flavor = meta->flavor;
    info->lists = meta->lists;
    info->lists_per_page = meta->lists_per_page;
    info->n_list_blocks = meta->n_list_blocks;
    info->centroid_size = meta->centroid_size;
    info->code_size = meta->code_size;
    info->entry_size = meta->entry_size;
    info->build_id = meta->build_id;
    info->mode = (vx::pg::Mode) meta->mode;
    info->level = (vx::pg::Compression) meta->compression;
    info->encoding = (vx::quant::Encoding) meta->encoding;
    info->pq_m = meta->pq_m;
    info->oversample = meta->oversample;
    info->rescore = meta->rescore != 0;
    info->quant_block = meta->quant_block;
    info->quant_bytes = meta->quant_bytes;
}

// Reads the metapage under a share lock.
void read_meta(Relation index, IvfMetaInfo* info) {
    read_metapage(index, check_meta, meta_to_info, info);
}

// Copies every centroid and chain head out of the list pages.
void read_lists(Relation index, const IvfMetaInfo& mi, IvfListSet* out) {
    out->lists = mi.lists;
    out->centroids = (uint8*) palloc((size_t) mi.lists * mi.centroid_size);
    out->start = (BlockNumber*) palloc(sizeof(BlockNumber) * mi.lists);
    uint32 k = 0;
    for (uint32 b = 0; b < mi.n_list_blocks && k < mi.lists; b++) {
        Buffer buf = ReadBuffer(index, IVF_FIRST_LIST_BLKNO + b);
        LockBuffer(buf, BUFFER_LOCK_SHARE);
        Page page = BufferGetPage(buf);
        OffsetNumber max = PageGetMaxOffsetNumber(page);
        for (OffsetNumber off = FirstOffsetNumber; off <= max && k < mi.lists; off++, k++) {
            if (list_block(mi, k) != IVF_FIRST_LIST_BLKNO + b || list_offset(mi, k) != off)
                page_corrupt(index, IVF_FIRST_LIST_BLKNO + b, off, "List tuples are not where the metapage puts them.");
            IvfListTuple* t = list_tuple(index, mi, page, k);
            out->start[k] = t->start;
            memcpy(out->centroids + (size_t) k * mi.centroid_size, IvfListCentroid(t), mi.centroid_size);
        }
        UnlockReleaseBuffer(buf);
    }
    if (k != mi.lists)
        ereport(ERROR, (errcode(ERRCODE_INDEX_CORRUPTED),
                        errmsg("ivf index \"%s\" has %u lists on its list pages, its metapage says %u",
                               RelationGetRelationName(index), k, mi.lists)));
}

/* Per-backend centroid cache: centroids never change after a build, and a
 * REINDEX or TRUNCATE gets a new relfilenode and build id. A few indexes'
 * worth, each at most IVF_CACHE_MAX_BYTES, so probing a small index reads no
 * list page at all. */
#define IVF_CACHE_ENTRIES 4
struct CentroidCacheEntry {
    RelFileNode node;
    uint64 build_id;
    size_t bytes;
    uint8* data; /* TopMemoryContext */
    uint64 used; /* LRU clock */
};
static CentroidCacheEntry centroid_cache[IVF_CACHE_ENTRIES];
static uint64 centroid_clock = 0;

// Centroids of the index, from the cache or the list pages.
const uint8* cached_centroids(Relation index, const IvfMetaInfo& mi) {
    size_t bytes = (size_t) mi.lists * mi.centroid_size;
    for (CentroidCacheEntry& e : centroid_cache) {
        if (e.data && RelFileNodeEquals(e.node, index->rd_node) && e.build_id == mi.build_id && e.bytes == bytes) {
            e.used = ++centroid_clock;
            return e.data;
        }
    }
    IvfListSet ls;
    read_lists(index, mi, &ls);
    pfree(ls.start);
    if (bytes > IVF_CACHE_MAX_BYTES)
        return ls.centroids; /* too big to keep: the caller's memory context frees it */
    CentroidCacheEntry* victim = &centroid_cache[0];
    for (CentroidCacheEntry& e : centroid_cache)
        if (e.used < victim->used)
            victim = &e;
    if (victim->data)
        pfree(victim->data);
    victim->data = NULL;
    uint8* copy = (uint8*) MemoryContextAllocHuge(TopMemoryContext, Max(bytes, 1));
    memcpy(copy, ls.centroids, bytes);
    pfree(ls.centroids);
    victim->node = index->rd_node;
    victim->build_id = mi.build_id;
    victim->bytes = bytes;
    victim->data = copy;
    victim->used = ++centroid_clock;
    return copy;
}

// Floats of the query (int8 widened) or its bits: what centroids compare with.
void centroid_query(const IvfMetaInfo& mi, const uint8* code, uint8* out) {
    if (mi.kind.type == HNSW_TYPE_BYTEVECTOR) {
        const int8* src = (const int8*) code;
        float* dst = (float*) out;
        for (uint32 i = 0; i < mi.dims; i++)
            dst[i] = (float) src[i];
    } else {
        memcpy(out, code, mi.centroid_size);
    }
}

// The nprobe nearest lists under the index's centroid rule.
uint32 nearest(const IvfMetaInfo& mi, const uint8* centroids, const uint8* cq, uint32 nprobe,
               uint32* out) {
    size_t got = 0;
    VX_GUARD({
        if (mi.centroid == IVF_CENTROID_BINARY)
            got = vx::ivf::nearest_binary_lists(cq, centroids, mi.lists, mi.centroid_size, nprobe, out);
        else
            got = vx::ivf::nearest_lists((const float*) cq, (const float*) centroids, mi.lists, mi.dims,
                                         (vx::ivf::Metric) mi.centroid, nprobe, out);
    });
    return (uint32) got;
}

}  // namespace vx::pg::ivf
