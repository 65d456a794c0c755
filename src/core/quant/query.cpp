// Query preparation and code distances.
//
// Every scalar encoding decodes dimension i as x̂[i] = lo[i] + step[i] * c[i],
// so each metric folds into one kernel call plus constants computed here once
// per query (PreparedQuery fields a, b, c hold per-dimension terms):
//   sq l2      sum (q - x̂)^2 = bias + sum w (u - c)^2,  u = (q - lo) / step, w = step^2
//              (dimensions with step 0 move into bias)           a = u, b = w
//   sq ip      -(sum q lo + sum (q step) c)                      a = q * step
//   sq cosine  decoded in the kernel: sum q x̂ and sum x̂^2       a = q, b = lo, c = step
// For bq1, c[i] is a bit, so every metric is a constant plus a weighted bit sum:
//   l2         sum (q - lo)^2 + sum b ((q - hi)^2 - (q - lo)^2)
//   ip         -(sum q lo + sum b q (hi - lo))
//   cosine     dot as ip; |x̂|^2 = sum lo^2 + sum b (hi^2 - lo^2)
// and the weights are rounded to 8 bits, w ~ wmin + wstep * wq, so that
// sum w b = wmin * popcount(b) + wstep * sum wq b, an exact integer byte sum.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/errors.h"
#include "core/quant/quantizer.h"
#include "core/simd/distance.h"

namespace vx::quant {
namespace {

/// 1 - cosine similarity from a dot product and norms; 1 when a norm is 0.
inline float cosine_distance(float dot, float query_norm, float x_norm_sq) {
    if (!(query_norm > 0) || !(x_norm_sq > 0))
        return 1.0f;
    float sim = dot / (query_norm * std::sqrt(x_norm_sq));
    sim = sim > 1.0f ? 1.0f : sim < -1.0f ? -1.0f : sim;
    return 1.0f - sim;
}

/// The kernels of the packed width that an sq encoding uses.
inline const UintKernels& uint_kernels(const QuantKernels& k, Encoding e) {
    return e == Encoding::sq8 ? k.u8 : e == Encoding::sq4 ? k.u4 : k.u2;
}

/// Fills a prepared query for sq8 / sq4 / sq2 (see the file comment).
void prepare_sq(const float* q, const std::vector<float>& lo, const std::vector<float>& step,
                PreparedQuery* out) {
    const size_t dim = out->dim;
    double bias = 0;
    switch (out->metric) {
    case Metric::l2:
        out->a.resize(dim);
        out->b.resize(dim);
        for (size_t i = 0; i < dim; i++) {
            if (step[i] > 0) {
                out->a[i] = (q[i] - lo[i]) / step[i];
                out->b[i] = step[i] * step[i];
            } else {
                double d = double(q[i]) - lo[i];
                bias += d * d;
                out->a[i] = out->b[i] = 0;
            }
        }
        break;
    case Metric::inner_product:
        out->a.resize(dim);
        for (size_t i = 0; i < dim; i++) {
            out->a[i] = q[i] * step[i];
            bias += double(q[i]) * lo[i];
        }
        break;
    case Metric::cosine:
        out->a.assign(q, q + dim);
        out->b = lo;
        out->c = step;
        break;
    }
    out->bias = float(bias);
}

/// Rounds weights w to 8 bits: w[i] ~ *wmin + *wstep * wq[i], wq zero-padded.
void quantize_weights(const std::vector<float>& w, std::vector<uint8_t>* wq, float* wmin, float* wstep) {
    float lo = w[0], hi = w[0];
    for (float x : w) {
        lo = std::min(lo, x);
        hi = std::max(hi, x);
    }
    const float step = (hi - lo) / 255.0f;
    wq->assign(bit_weight_bytes(w.size()), 0);
    for (size_t i = 0; i < w.size(); i++) {
        float v = step > 0 ? (w[i] - lo) / step + 0.5f : 0.0f;
        (*wq)[i] = uint8_t(std::min(255.0f, std::max(0.0f, v)));
    }
    *wmin = lo;
    *wstep = step;
}

/// Fills a prepared query for bq1 (see the file comment).
void prepare_bq1(const float* q, const Quantizer& qz, PreparedQuery* out) {
    const size_t dim = out->dim;
    const std::vector<float>& lo = qz.lo();
    const std::vector<float>& step = qz.step();
    double bias = 0, norm_bias = 0;
    std::vector<float> w(dim);
    for (size_t i = 0; i < dim; i++) {
        const float hi = lo[i] + step[i];
        if (out->metric == Metric::l2) {
            const float dl = q[i] - lo[i], dh = q[i] - hi;
            w[i] = dh * dh - dl * dl;
            bias += double(dl) * dl;
        } else {
            w[i] = q[i] * step[i];
            bias += double(q[i]) * lo[i];
        }
    }
    quantize_weights(w, &out->wq, &out->wmin, &out->wstep);
    if (out->metric == Metric::cosine) {
        for (size_t i = 0; i < dim; i++) {
            const float hi = lo[i] + step[i];
            w[i] = hi * hi - lo[i] * lo[i];
            norm_bias += double(lo[i]) * lo[i];
        }
        quantize_weights(w, &out->wq2, &out->wmin2, &out->wstep2);
    }
    out->bias = float(bias);
    out->norm_bias = float(norm_bias);
    out->bits.assign((dim + 7) / 8, 0);
    for (size_t i = 0; i < dim; i++)
        if (q[i] > qz.threshold()[i])
            out->bits[i / 8] = uint8_t(out->bits[i / 8] | (1u << (i % 8)));
}

/// The bq1 distance of a code from its byte sums (see the file comment).
inline float bq1_distance(const PreparedQuery& q, const BitSums& s) {
    const float dot = q.bias + q.wmin * float(s.count) + q.wstep * float(s.sum);
    if (q.metric == Metric::l2)
        return dot;
    if (q.metric == Metric::inner_product)
        return -dot;
    const float norm = q.norm_bias + q.wmin2 * float(s.count) + q.wstep2 * float(s.sum2);
    return cosine_distance(dot, q.query_norm, norm);
}

}  // namespace

void Quantizer::prepare_query(const float* q, Metric metric, PreparedQuery* out) const {
    if (!trained())
        throw InvalidArgument("quantizer is not trained");
    out->encoding = encoding_;
    out->metric = metric;
    out->dim = dim_;
    out->kernels = &active_kernels();
    out->bias = out->norm_bias = 0;
    out->a.clear();
    out->b.clear();
    out->c.clear();
    out->wq.clear();
    out->wq2.clear();
    out->wmin = out->wstep = out->wmin2 = out->wstep2 = 0;
    out->bits.clear();
    double qn = 0;
    for (size_t i = 0; i < dim_; i++)
        qn += double(q[i]) * q[i];
    out->query_norm = float(std::sqrt(qn));
    switch (encoding_) {
    case Encoding::f32:
    case Encoding::f16:
        out->a.assign(q, q + dim_);
        break;
    case Encoding::sq8:
    case Encoding::sq4:
    case Encoding::sq2:
        prepare_sq(q, lo_, step_, out);
        break;
    case Encoding::bq1:
        prepare_bq1(q, *this, out);
        break;
    }
}

float distance(const PreparedQuery& q, const uint8_t* code) {
    const QuantKernels& k = *q.kernels;
    const size_t n = q.dim;
    const float* a = q.a.data();
    switch (q.encoding) {
    case Encoding::f32: {
        // Codes are the float values themselves; the generic float kernels apply.
        const float* x = reinterpret_cast<const float*>(code);
        const simd::Kernels& s = simd::active();
        if (q.metric == Metric::l2)
            return s.l2sq_f32(a, x, n);
        if (q.metric == Metric::inner_product)
            return -s.dot_f32(a, x, n);
        simd::CosineSums r = s.cosine_f32(a, x, n);
        return cosine_distance(r.dot, q.query_norm, r.norm_b);
    }
    case Encoding::f16: {
        const uint16_t* x = reinterpret_cast<const uint16_t*>(code);
        if (q.metric == Metric::l2)
            return k.l2_f16(a, x, n);
        if (q.metric == Metric::inner_product)
            return -k.dot_f16(a, x, n);
        DotNorm r = k.cosine_f16(a, x, n);
        return cosine_distance(r.dot, q.query_norm, r.norm);
    }
    case Encoding::sq8:
    case Encoding::sq4:
    case Encoding::sq2: {
        const UintKernels& u = uint_kernels(k, q.encoding);
        if (q.metric == Metric::l2)
            return q.bias + u.wl2(a, q.b.data(), code, n);
        if (q.metric == Metric::inner_product)
            return -(q.bias + u.wdot(a, code, n));
        DotNorm r = u.cosine(a, q.b.data(), q.c.data(), code, n);
        return cosine_distance(r.dot, q.query_norm, r.norm);
    }
    case Encoding::bq1: {
        const uint8_t* wq2 = q.metric == Metric::cosine ? q.wq2.data() : nullptr;
        return bq1_distance(q, k.bsum_b1(q.wq.data(), wq2, code, n));
    }
    }
    return 0;
}

void distances(const PreparedQuery& q, const uint8_t* codes, size_t count, size_t stride, float* out) {
    if (q.encoding == Encoding::bq1) {
        // Byte sums of up to 256 codes at a time on the stack, then the affine map.
        const uint8_t* wq2 = q.metric == Metric::cosine ? q.wq2.data() : nullptr;
        BitSums sums[256];
        for (size_t j = 0; j < count; j += 256) {
            const size_t m = std::min<size_t>(256, count - j);
            q.kernels->bsum_b1_batch(q.wq.data(), wq2, codes + j * stride, m, stride, q.dim, sums);
            for (size_t t = 0; t < m; t++)
                out[j + t] = bq1_distance(q, sums[t]);
        }
        return;
    }
    for (size_t j = 0; j < count; j++)
        out[j] = distance(q, codes + j * stride);
}

uint64_t hamming(const PreparedQuery& q, const uint8_t* code) {
    if (q.encoding != Encoding::bq1)
        throw InvalidArgument("hamming distance needs a bq1 query");
    return simd::active().hamming(q.bits.data(), code, q.bits.size());
}

}  // namespace vx::quant
