// libFuzzer target: the serialized quantizer parameters that quantized
// indexes keep in their quantizer pages (vx::quant::Quantizer::deserialize,
// src/core, fuzzed directly). The input's last 4 bytes are replaced by the
// checksum of the rest, so mutations reach the checks behind it. Any blob
// must load or throw a vx error; a loaded quantizer must decode a code and
// encode a vector of its size without reading outside them.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <vector>

#include "core/blob.h"
#include "core/quant/quantizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::vector<uint8_t> blob(data, data + size);
    if (size >= 4)
        vx::blob::put_u32(blob.data() + size - 4, vx::blob::fnv1a(blob.data(), size - 4));
    try {
        vx::quant::Quantizer q = vx::quant::Quantizer::deserialize(blob.data(), blob.size());
        /* Exactly sized buffers (ASan reports a byte beyond either). */
        std::vector<uint8_t> code(q.code_size(), 0xA5);
        std::vector<float> x(q.dim());
        q.decode(code.data(), x.data());
        q.encode(x.data(), code.data());
    } catch (const std::exception&) {
        /* A rejected blob: a C++ exception, which VX_GUARD turns into an ERROR. */
    }
    return 0;
}
