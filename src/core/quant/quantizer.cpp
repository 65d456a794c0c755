// Training, encoding and decoding of every encoding (parameters in quantizer.h).
#include "core/quant/quantizer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "core/errors.h"
#include "core/quant/code_layout.h"
#include "core/quant/dim_stats.h"
#include "core/quant/half.h"

namespace vx::quant {
namespace {

/// Highest code value of a BITS-bit scalar quantizer.
constexpr unsigned max_code(int bits) { return (1u << bits) - 1; }

/// Bits per dimension of a scalar-quantized encoding (sq8 / sq4 / sq2).
int sq_bits(Encoding e) { return level_of(e).bits_per_dim; }

/// Half-width of the sq range in standard deviations: the step of the optimal
/// uniform quantizer of a Gaussian times half the number of steps.
double sigma_range(int bits) { return bits == 4 ? 2.514 : bits == 2 ? 1.494 : 0; }

/// The code value of x for range start lo and step (clipped to [0, top]).
inline unsigned sq_value(float x, float lo, float step, unsigned top) {
    // Branch-free clipping (min/max instructions): out-of-range values are common.
    const float v = step > 0 ? (x - lo) / step : 0.0f;
    return unsigned(std::min(float(top), std::max(0.0f, v)) + 0.5f);
}

template <int BITS>
void encode_sq(const float* x, const float* lo, const float* step, size_t dim, uint8_t* code) {
    // Packs block by block in the code_layout.h order (set_code per value is
    // several times slower); the zeroed code takes the tail values one by one.
    constexpr size_t P = 8 / BITS, B = block_dims<BITS>();
    const size_t full = dim / B * B;
    for (size_t blk = 0; blk < full; blk += B, code += 16)
        for (size_t j = 0; j < 16; j++) {
            unsigned byte = 0;
            for (size_t k = 0; k < P; k++) {
                const size_t i = blk + 16 * k + j;
                byte |= sq_value(x[i], lo[i], step[i], max_code(BITS)) << (k * BITS);
            }
            code[j] = uint8_t(byte);
        }
    for (size_t i = full; i < dim; i++)
        set_code<BITS>(code - full / P, i, dim, sq_value(x[i], lo[i], step[i], max_code(BITS)));
}

template <int BITS>
void decode_sq(const uint8_t* code, const float* lo, const float* step, size_t dim, float* out) {
    for (size_t i = 0; i < dim; i++)
        out[i] = lo[i] + step[i] * float(code_at<BITS>(code, i, dim));
}

}  // namespace

void Quantizer::train(const float* data, size_t n, size_t dim) {
    if (dim == 0 || dim > kMaxDim)
        throw InvalidArgument("quantizer dimensions must be between 1 and " +
                              std::to_string(kMaxDim) + ", not " + std::to_string(dim));
    if (encoding_ == Encoding::f32 || encoding_ == Encoding::f16) {
        dim_ = dim;
        return;
    }
    if (n == 0 || data == nullptr)
        throw InvalidArgument(std::string("training sample for ") + encoding_name(encoding_) +
                              " is empty");
    const DimStats s = dim_stats(data, n, dim, encoding_ != Encoding::bq1);
    lo_.assign(dim, 0);
    step_.assign(dim, 0);
    threshold_.clear();
    if (encoding_ == Encoding::bq1) {
        // x̂ of each bit is the mean of the sample values on its side of the threshold.
        threshold_.assign(dim, 0);
        std::vector<double> sum_lo(dim), sum_hi(dim), n_hi(dim);
        for (size_t i = 0; i < dim; i++)
            threshold_[i] = float(s.mean[i]);
        side_sums(data, n, dim, threshold_.data(), sum_hi.data(), sum_lo.data(), n_hi.data());
        for (size_t i = 0; i < dim; i++) {
            const double nh = n_hi[i];
            double lo = nh < double(n) ? sum_lo[i] / (double(n) - nh) : threshold_[i];
            double hi = nh > 0 ? sum_hi[i] / nh : threshold_[i];
            lo_[i] = float(lo);
            step_[i] = float(hi) - lo_[i];
        }
    } else {
        const int bits = sq_bits(encoding_);
        const double k = sigma_range(bits);
        for (size_t i = 0; i < dim; i++) {
            double lo = s.min[i], hi = s.max[i];
            if (k > 0) {
                lo = std::max(lo, s.mean[i] - k * s.sd[i]);
                hi = std::min(hi, s.mean[i] + k * s.sd[i]);
            }
            lo_[i] = float(lo);
            step_[i] = hi > lo ? float((hi - lo) / max_code(bits)) : 0.0f;
        }
    }
    dim_ = dim;
}

void Quantizer::encode(const float* x, uint8_t* code) const {
    const size_t dim = dim_;
    switch (encoding_) {
    case Encoding::f32:
        std::memcpy(code, x, dim * sizeof(float));
        return;
    case Encoding::f16:
        for (size_t i = 0; i < dim; i++) {
            uint16_t h = float_to_half(std::clamp(x[i], -kHalfMax, kHalfMax));
            std::memcpy(code + 2 * i, &h, 2);
        }
        return;
    default:
        break;
    }
    std::memset(code, 0, code_size());
    switch (encoding_) {
    case Encoding::sq8:
        encode_sq<8>(x, lo_.data(), step_.data(), dim, code);
        break;
    case Encoding::sq4:
        encode_sq<4>(x, lo_.data(), step_.data(), dim, code);
        break;
    case Encoding::sq2:
        encode_sq<2>(x, lo_.data(), step_.data(), dim, code);
        break;
    case Encoding::bq1:
        // A byte at a time and without branches: the bits are coin flips.
        for (size_t i = 0; i < dim; i += 8) {
            unsigned byte = 0;
            for (size_t j = 0; j < 8 && i + j < dim; j++)
                byte |= unsigned(x[i + j] > threshold_[i + j]) << j;
            code[i / 8] = uint8_t(byte);
        }
        break;
    default:
        break;
    }
}

void Quantizer::decode(const uint8_t* code, float* out) const {
    const size_t dim = dim_;
    switch (encoding_) {
    case Encoding::f32:
        std::memcpy(out, code, dim * sizeof(float));
        break;
    case Encoding::f16:
        for (size_t i = 0; i < dim; i++) {
            uint16_t h;
            std::memcpy(&h, code + 2 * i, 2);
            out[i] = half_to_float(h);
        }
        break;
    case Encoding::sq8:
        decode_sq<8>(code, lo_.data(), step_.data(), dim, out);
        break;
    case Encoding::sq4:
        decode_sq<4>(code, lo_.data(), step_.data(), dim, out);
        break;
    case Encoding::sq2:
        decode_sq<2>(code, lo_.data(), step_.data(), dim, out);
        break;
    case Encoding::bq1:
        for (size_t i = 0; i < dim; i++)
            out[i] = bit_at(code, i) ? lo_[i] + step_[i] : lo_[i];
        break;
    }
}

}  // namespace vx::quant
