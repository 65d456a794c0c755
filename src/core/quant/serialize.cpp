// Serialized quantizer parameters: the blob an index keeps in its pages.
//
// Layout (version 1), all little-endian:
//   0   uint32  magic 0x50515856 ("VXQP")
//   4   uint16  format version (1)
//   6   uint8   encoding (Encoding)
//   7   uint8   0
//   8   uint32  dim (1 .. kMaxDim)
//   12  uint32  number of per-dimension float arrays that follow (0, 2 or 3)
//   16  float32 arrays, dim values each: sq: lo, step; bq1: threshold, lo, step
//   end uint32  FNV-1a hash of every byte before it
// Readers refuse any other version, so a format change needs a new version and
// a REINDEX hint at the index layer.
#include <cmath>
#include <cstring>
#include <string>

#include "core/blob.h"
#include "core/errors.h"
#include "core/quant/quantizer.h"

namespace vx::quant {

/// Grants serialize.cpp's reader access to a Quantizer's private fields.
struct QuantizerAccess {
    static void set(Quantizer* q, size_t dim, std::vector<float> lo, std::vector<float> step,
                    std::vector<float> threshold) {
        q->dim_ = dim;
        q->lo_ = std::move(lo);
        q->step_ = std::move(step);
        q->threshold_ = std::move(threshold);
    }
};

namespace {

using blob::fnv1a;
using blob::get_u32;
using blob::put_u32;

constexpr uint32_t kMagic = 0x50515856u;
constexpr uint16_t kVersion = 1;
constexpr size_t kHeader = 16;

/// Per-dimension arrays an encoding stores.
size_t array_count(Encoding e) {
    switch (e) {
    case Encoding::f32:
    case Encoding::f16:
        return 0;
    case Encoding::sq8:
    case Encoding::sq4:
    case Encoding::sq2:
        return 2;
    case Encoding::bq1:
        return 3;
    }
    return 0;
}

void put_floats(uint8_t* p, const std::vector<float>& v) {
    blob::put_f32s(p, v.data(), v.size());
}

std::vector<float> get_floats(const uint8_t* p, size_t n) {
    std::vector<float> v(n);
    if (!blob::get_f32s(p, n, v.data()))
        throw InvalidArgument("quantizer parameters hold a non-finite value");
    return v;
}

[[noreturn]] void reject(const std::string& why) {
    throw InvalidArgument("invalid quantizer parameters: " + why);
}

}  // namespace

size_t Quantizer::serialized_size(Encoding encoding, size_t dim) {
    return kHeader + array_count(encoding) * dim * 4 + 4;
}

std::vector<uint8_t> Quantizer::serialize() const {
    if (!trained())
        throw InvalidArgument("quantizer is not trained");
    std::vector<uint8_t> out(serialized_size(encoding_, dim_), 0);
    uint8_t* p = out.data();
    put_u32(p, kMagic);
    p[4] = uint8_t(kVersion & 0xff);
    p[5] = uint8_t(kVersion >> 8);
    p[6] = uint8_t(encoding_);
    put_u32(p + 8, uint32_t(dim_));
    put_u32(p + 12, uint32_t(array_count(encoding_)));
    p += kHeader;
    const size_t bytes = dim_ * 4;
    if (encoding_ == Encoding::bq1) {
        put_floats(p, threshold_);
        p += bytes;
    }
    if (array_count(encoding_) > 0) {
        put_floats(p, lo_);
        put_floats(p + bytes, step_);
    }
    put_u32(out.data() + out.size() - 4, fnv1a(out.data(), out.size() - 4));
    return out;
}

Quantizer Quantizer::deserialize(const uint8_t* data, size_t size) {
    if (data == nullptr || size < kHeader + 4)
        reject("truncated (" + std::to_string(size) + " bytes)");
    if (get_u32(data) != kMagic)
        reject("bad magic number");
    const unsigned version = unsigned(data[4]) | unsigned(data[5]) << 8;
    if (version != kVersion)
        reject("unsupported format version " + std::to_string(version));
    if (data[6] > uint8_t(Encoding::bq1) || data[7] != 0)
        reject("unknown encoding " + std::to_string(data[6]));
    const Encoding encoding = Encoding(data[6]);
    const size_t dim = get_u32(data + 8);
    if (dim == 0 || dim > kMaxDim)
        reject("dimensions " + std::to_string(dim) + " out of range");
    if (get_u32(data + 12) != array_count(encoding))
        reject("wrong number of parameter arrays");
    if (size != serialized_size(encoding, dim))
        reject("size " + std::to_string(size) + " does not match " +
               std::to_string(serialized_size(encoding, dim)));
    if (get_u32(data + size - 4) != fnv1a(data, size - 4))
        reject("checksum mismatch");

    Quantizer q(encoding);
    const uint8_t* p = data + kHeader;
    std::vector<float> lo, step, threshold;
    if (encoding == Encoding::bq1) {
        threshold = get_floats(p, dim);
        p += dim * 4;
    }
    if (array_count(encoding) > 0) {
        lo = get_floats(p, dim);
        step = get_floats(p + dim * 4, dim);
        for (float s : step)
            if (s < 0)
                reject("negative step");
    }
    QuantizerAccess::set(&q, dim, std::move(lo), std::move(step), std::move(threshold));
    return q;
}

}  // namespace vx::quant
