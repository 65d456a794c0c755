// Quantized codes of a binary index: the quantizer pages (through the shared
// pg/common/quant_pages.h) and encoding a value into its stored code.
#include "pg/binary/binary.h"

#include "pg/common/error_bridge.h"
#include "pg/common/quant_pages.h"

namespace vx::pg::binary {

// Initializes a quantizer page.
static void init_quant_page(Page page) { init_page(page, BINARY_PAGE_QUANT); }

// The index's quantizer (nullptr at 1x).
const vx::quant::Quantizer* load_quantizer(Relation index, const BinaryMetaInfo& mi) {
    if (!binary_quantized(mi))
        return nullptr;
    return vx::pg::load_quantizer_pages(index, mi.quant_block, mi.quant_bytes, BINARY_PAGE_QUANT,
                                        sizeof(BinaryPageOpaque), mi.encoding, mi.dims);
}

// Quantizer pages from block `first` (build, no WAL).
BlockNumber write_quantizer(Relation index, BlockNumber first, const uint8* blob, uint32 size) {
    return vx::pg::write_quantizer_pages(index, first, blob, size, init_quant_page, sizeof(BinaryPageOpaque));
}

// The stored code: the value itself at 1x, else the quantizer's code of the
// float values (encode neither allocates nor, for finite values, throws; the
// guard is for safety).
void encode_value(const vx::quant::Quantizer* q, const BinaryMetaInfo& mi, const uint8* value, uint8* code) {
    if (q == nullptr) {
        memcpy(code, value, mi.code_size);
        return;
    }
    VX_GUARD({ q->encode((const float*) value, code); });
}

}  // namespace vx::pg::binary
