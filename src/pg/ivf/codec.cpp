// Quantized posting codes of ivf: the shared quantizers (vx::quant, levels 2x
// to 32x) or product quantization (vx::ivf::PqCodec, pq_m = M), behind one
// small interface the build, inserts and scans use.
//
// PQ with cosine: vectors (and queries) are normalized before training and
// encoding, and codes are compared by inner product, so -q.x approximates
// cos - 1; the operator's value is 1 + that.
//
// C++ / PostgreSQL: the C++ objects (Quantizer, PqCodec, PreparedQuery) live
// on the heap, owned by reset callbacks of the memory context current when
// they were made (so an ERROR frees them); they are made and used inside try
// blocks that call nothing of PostgreSQL, with arrays palloc'd beforehand
// (STYLE 4, way (a)). Distances are noexcept.
#include "pg/ivf/ivf.h"

extern "C" {
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "utils/memutils.h"
#include "utils/rel.h"
}

#include <cmath>
#include <vector>

#include "core/errors.h"
#include "core/ivf/pq.h"
#include "core/quant/quantizer.h"
#include "pg/common/quant_pages.h"
#include "pg/common/error_bridge.h"

struct IvfCodec {
    vx::quant::Quantizer* q;
    vx::ivf::PqCodec* pq;
    vx::quant::Metric qmetric;
    vx::ivf::PqMetric pqmetric;
    bool normalize; /* PQ with cosine */
    uint32 dims;
    MemoryContextCallback cb;
};

struct IvfQueryCodes {
    const IvfCodec* c;
    vx::quant::PreparedQuery* prepared; /* quantizer */
    float* table;                       /* PQ: distance table */
    float bias;
    MemoryContextCallback cb;
};

namespace vx::pg::ivf {

// Frees the C++ objects of a codec.
static void free_codec(void* arg) {
    IvfCodec* c = (IvfCodec*) arg;
    delete c->q;
    delete c->pq;
    c->q = nullptr;
    c->pq = nullptr;
}

// Frees a prepared query.
static void free_query(void* arg) {
    IvfQueryCodes* q = (IvfQueryCodes*) arg;
    delete q->prepared;
    q->prepared = nullptr;
}

// A codec shell owned by the current memory context.
static IvfCodec* new_codec(const HnswKind& kind, uint32 dims, uint32 pq_m) {
    IvfCodec* c = (IvfCodec*) palloc0(sizeof(IvfCodec));
    c->dims = dims;
    switch (kind.metric) {
    case vx::hnsw::Metric::neg_dot_f32:
        c->qmetric = vx::quant::Metric::inner_product;
        c->pqmetric = vx::ivf::PqMetric::inner_product;
        break;
    case vx::hnsw::Metric::cosine_f32:
        c->qmetric = vx::quant::Metric::cosine;
        c->pqmetric = vx::ivf::PqMetric::inner_product;
        c->normalize = pq_m > 0;
        break;
    default:
        c->qmetric = vx::quant::Metric::l2;
        c->pqmetric = vx::ivf::PqMetric::l2;
        break;
    }
    c->cb.func = free_codec;
    c->cb.arg = c;
    MemoryContextRegisterResetCallback(CurrentMemoryContext, &c->cb);
    return c;
}

// Scales rows to unit length in place (zero rows stay zero).
static void normalize_rows(float* x, size_t n, uint32 dims) {
    for (size_t i = 0; i < n; i++) {
        float* r = x + i * dims;
        double s = 0;
        for (uint32 j = 0; j < dims; j++)
            s += (double) r[j] * r[j];
        if (s > 0) {
            float inv = (float) (1.0 / std::sqrt(s));
            for (uint32 j = 0; j < dims; j++)
                r[j] *= inv;
        }
    }
}

// True when a cancel or termination is pending (safe on this thread).
static bool keep_going() { return !(InterruptPending && (QueryCancelPending || ProcDiePending)); }

uint32 codec_code_size(const IvfBuildOptions& o, uint32 dims) {
    if (o.pq_m > 0)
        return o.pq_m;
    return (uint32) vx::quant::code_size(o.r.encoding, dims);
}

// Trains the quantizer or PQ codebooks on the sample.
IvfCodec* codec_train(const IvfBuildOptions& o, const HnswKind& kind, uint32 dims, const float* sample,
                      size_t ns, int threads, uint8** blob, uint32* bytes) {
    IvfCodec* c = new_codec(kind, dims, o.pq_m);
    float* x = NULL;
    if (c->normalize && ns > 0) {
        x = (float*) MemoryContextAllocHuge(CurrentMemoryContext, ns * dims * sizeof(float));
        memcpy(x, sample, ns * dims * sizeof(float));
        normalize_rows(x, ns, dims);
        sample = x;
    }
    /* No rows: the quantizer assumes values in [-1, 1] (as hnsw does). */
    float* defaults = (float*) palloc(2 * sizeof(float) * dims);
    for (uint32 j = 0; j < dims; j++) {
        defaults[j] = -1.0f;
        defaults[dims + j] = 1.0f;
    }
    std::vector<uint8_t>* out = nullptr;
    bool cancelled = false;
    vx::pg::CaughtError err = {0, {0}};
    try {
        if (o.pq_m > 0) {
            c->pq = new vx::ivf::PqCodec(dims, o.pq_m);
            vx::ivf::TrainParams p;
            p.threads = threads;
            p.progress = keep_going;
            c->pq->train(sample, ns, p);
            out = new std::vector<uint8_t>(c->pq->serialize());
        } else {
            c->q = new vx::quant::Quantizer(o.r.encoding);
            if (ns > 0)
                c->q->train(sample, ns, dims);
            else
                c->q->train(defaults, 2, dims);
            out = new std::vector<uint8_t>(c->q->serialize());
        }
    } catch (const vx::Cancelled&) {
        cancelled = true;
    } catch (...) {
        vx::pg::capture_current_exception(&err);
    }
    if (cancelled || err.sqlstate != 0) {
        delete out;
        if (cancelled) {
            CHECK_FOR_INTERRUPTS();
            ereport(ERROR, (errcode(ERRCODE_QUERY_CANCELED), errmsg("canceling statement due to user request")));
        }
        vx::pg::rethrow_as_ereport(&err);
    }
    *bytes = (uint32) out->size();
    uint8* b = (uint8*) palloc(Max(*bytes, 1));
    memcpy(b, out->data(), *bytes);
    delete out;
    *blob = b;
    if (x)
        pfree(x);
    pfree(defaults);
    return c;
}

// The stored quantizer or codebooks.
IvfCodec* codec_load(Relation index, const IvfMetaInfo& mi) {
    if (!ivf_quantized(mi))
        return NULL;
    if (mi.quant_block == 0 || mi.quant_bytes == 0)
        ereport(ERROR, (errcode(ERRCODE_INDEX_CORRUPTED),
                        errmsg("ivf index \"%s\" has no quantizer pages", RelationGetRelationName(index)),
                        errhint("REINDEX INDEX %s;", RelationGetRelationName(index))));
    uint8* blob = vx::pg::read_quantizer_blob(index, mi.quant_block, mi.quant_bytes, IVF_PAGE_QUANT,
                                              sizeof(IvfPageOpaque), offsetof(IvfPageOpaque, page_type));
    IvfCodec* c = new_codec(mi.kind, mi.dims, mi.pq_m);
    uint32 size = mi.quant_bytes;
    bool pq = mi.pq_m > 0;
    VX_GUARD({
        if (pq)
            c->pq = new vx::ivf::PqCodec(vx::ivf::PqCodec::deserialize(blob, size));
        else
            c->q = new vx::quant::Quantizer(vx::quant::Quantizer::deserialize(blob, size));
    });
    bool ok = pq ? (c->pq->dim() == mi.dims && c->pq->m() == mi.pq_m)
                 : (c->q->dim() == mi.dims && c->q->encoding() == mi.encoding);
    if (!ok)
        ereport(ERROR, (errcode(ERRCODE_INDEX_CORRUPTED),
                        errmsg("ivf index \"%s\": quantizer does not match the metapage",
                               RelationGetRelationName(index)),
                        errhint("REINDEX INDEX %s;", RelationGetRelationName(index))));
    pfree(blob);
    return c;
}

const vx::quant::Quantizer* codec_quantizer(const IvfCodec* c) { return c->q; }

// Encodes n rows (normalized copies for cosine PQ).
void codec_encode(IvfCodec* c, const float* x, size_t n, uint8* codes, int threads) {
    const size_t chunk = 4096;
    float* tmp = c->normalize ? (float*) MemoryContextAllocHuge(CurrentMemoryContext, chunk * c->dims * sizeof(float)) : NULL;
    uint32 dims = c->dims;
    VX_GUARD({
        if (c->q) {
            size_t cs = c->q->code_size();
            for (size_t i = 0; i < n; i++)
                c->q->encode(x + i * dims, codes + i * cs);
        } else {
            size_t cs = c->pq->code_size();
            for (size_t first = 0; first < n; first += chunk) {
                size_t cnt = Min(chunk, n - first);
                const float* rows = x + first * dims;
                if (tmp) {
                    memcpy(tmp, rows, cnt * dims * sizeof(float));
                    normalize_rows(tmp, cnt, dims);
                    rows = tmp;
                }
                if (cnt == 1)
                    c->pq->encode(rows, codes + first * cs);
                else
                    c->pq->encode_batch(rows, cnt, codes + first * cs, threads);
            }
        }
    });
    if (tmp)
        pfree(tmp);
}

// Prepares a query for code distances.
IvfQueryCodes* codec_prepare(IvfCodec* c, const float* query) {
    IvfQueryCodes* q = (IvfQueryCodes*) palloc0(sizeof(IvfQueryCodes));
    q->c = c;
    q->cb.func = free_query;
    q->cb.arg = q;
    MemoryContextRegisterResetCallback(CurrentMemoryContext, &q->cb);
    float* qn = NULL;
    if (c->pq) {
        q->table = (float*) palloc(sizeof(float) * c->pq->table_size());
        if (c->normalize) {
            qn = (float*) palloc(sizeof(float) * c->dims);
            memcpy(qn, query, sizeof(float) * c->dims);
            normalize_rows(qn, 1, c->dims);
            query = qn;
        }
    }
    VX_GUARD({
        if (c->pq) {
            q->bias = c->pq->distance_table(query, c->pqmetric, q->table);
        } else {
            q->prepared = new vx::quant::PreparedQuery();
            c->q->prepare_query(query, c->qmetric, q->prepared);
        }
    });
    if (qn)
        pfree(qn);
    return q;
}

float codec_distance(const IvfQueryCodes* q, const uint8* code) {
    if (q->prepared)
        return vx::quant::distance(*q->prepared, code);
    return q->bias + q->c->pq->adc_distance(q->table, code);
}

// Operator value of a code distance: sqrt for l2, 1 + (-cos) for cosine PQ.
double codec_operator_distance(const IvfCodec* c, const HnswKind& kind, float d) {
    if (kind.sqrt_result)
        return std::sqrt(Max((double) d, 0.0));
    if (c->normalize)
        return 1.0 + (double) d;
    return (double) d;
}

// Initializes a quantizer page.
static void init_quant_page(Page page) {
    init_page(page, IVF_PAGE_QUANT);
}

// Consecutive new pages holding the blob (build: no WAL; logged afterwards).
BlockNumber write_quantizer_pages(Relation index, BlockNumber first, const uint8* blob, uint32 size) {
    return vx::pg::write_quantizer_pages(index, first, blob, size, init_quant_page, sizeof(IvfPageOpaque));
}

}  // namespace vx::pg::ivf
