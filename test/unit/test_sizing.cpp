// vx::sizing: index size and memory arithmetic against hand-computed layouts
// (8 kB pages as PostgreSQL's default build lays them out).
#include <gtest/gtest.h>

#include "core/quant/quantizer.h"
#include "core/sizing/estimate.h"

using namespace vx::sizing;
using vx::quant::Encoding;

namespace {

// 8192-byte pages: 24-byte header, 16-byte special area (12 rounded to 8), 4-byte line pointers.
PageGeometry hnsw_pages() { return {8192, 8152, 4, 8, 16, 8, 8152}; }
PageGeometry ivf_pages() { return {8192, 8152, 4, 8, 8, 16, 8152}; }
PageGeometry binary_pages() { return {8192, 8152, 0, 1, 6, 0, 8152}; }

Params params(Am am, uint64_t rows, uint32_t dims, Encoding enc = Encoding::f32) {
    Params p;
    p.am = am;
    p.rows = rows;
    p.dims = dims;
    p.encoding = enc;
    p.lists = 100;
    return p;
}

}  // namespace

TEST(Sizing, ValueAndCodeBytes) {
    EXPECT_EQ(value_bytes(Column::vector, 768), 3072u);
    EXPECT_EQ(value_bytes(Column::bytevector, 768), 768u);
    EXPECT_EQ(value_bytes(Column::bitvector, 769), 97u);
    Params p = params(Am::hnsw, 1, 768, Encoding::bq1);
    EXPECT_EQ(stored_code_bytes(p), 96u);
    p.encoding = Encoding::sq4;
    EXPECT_EQ(stored_code_bytes(p), 384u);
    p.pq_m = 64;
    EXPECT_EQ(stored_code_bytes(p), 64u);
}

TEST(Sizing, HnswSlotsPerPage) {
    // slot 16 + 2*16*4 + 3072 = 3216 bytes (+4 line pointer): two per page.
    Estimate e = estimate(params(Am::hnsw, 100000, 768), hnsw_pages());
    ASSERT_TRUE(e.fits);
    EXPECT_EQ(e.element_bytes, 3220u);
    EXPECT_EQ(e.per_page, 2u);
    EXPECT_EQ(e.element_pages, 50000u);
    // 32x: 16 + 128 + 96 = 240 bytes, +4: 33 per page.
    e = estimate(params(Am::hnsw, 100000, 768, Encoding::bq1), hnsw_pages());
    EXPECT_EQ(e.per_page, 33u);
    EXPECT_EQ(e.element_pages, 3031u);
    // bq1 parameters: three float arrays of 768 (9 kB): two quantizer pages.
    EXPECT_EQ(e.quant_pages, 2u);
    EXPECT_EQ(e.pages, 1 + e.element_pages + e.aux_pages + e.quant_pages);
    EXPECT_EQ(e.index_bytes, e.pages * 8192);
}

TEST(Sizing, HnswLevelsAreGeometric) {
    // P(level >= L) = m^-L: about rows / m elements have upper tuples.
    double upper = 0;
    for (int l = 1; l < 10; l++)
        upper += hnsw_level_count(1000000, 16, l);
    EXPECT_NEAR(upper, 1000000.0 / 16, 1.0);
    // Those tuples (8 + 4 (1 + m) bytes at level 1) take about 62500 * 84 / 8152 pages.
    Estimate e = estimate(params(Am::hnsw, 1000000, 128), hnsw_pages());
    EXPECT_GE(e.aux_pages, 62500u * 84 / 8152);
    EXPECT_LE(e.aux_pages, 62500u * 100 / 8152);
}

TEST(Sizing, MaxDimsFollowPageSpace) {
    // hnsw m = 16, 1x: 16 + 128 + 4d <= 8148 - padding -> 2000 dims.
    EXPECT_EQ(max_dims(params(Am::hnsw, 1, 1), hnsw_pages(), 16000), 2000u);
    EXPECT_EQ(max_dims(params(Am::hnsw, 1, 1, Encoding::f16), hnsw_pages(), 16000), 4000u);
    EXPECT_EQ(max_dims(params(Am::hnsw, 1, 1, Encoding::bq1), hnsw_pages(), 16000), 16000u);
    // binary packs code + TID without line pointers: 4d + 6 <= 8152.
    EXPECT_EQ(max_dims(params(Am::binary, 1, 1), binary_pages(), 16000), 2036u);
    // ivf: the full-precision centroid limits every level: 16 + 4d <= 8144.
    EXPECT_EQ(max_dims(params(Am::ivf, 1, 1, Encoding::bq1), ivf_pages(), 16000), 2032u);
    Params bits = params(Am::binary, 1, 1);
    bits.column = Column::bitvector;
    EXPECT_EQ(max_dims(bits, binary_pages(), 64000), 64000u);
}

TEST(Sizing, TooLargeElementDoesNotFit) {
    Params p = params(Am::hnsw, 1000, 16000);
    EXPECT_FALSE(element_fits(p, hnsw_pages()));
    Estimate e = estimate(p, hnsw_pages());
    EXPECT_FALSE(e.fits);
    EXPECT_EQ(e.index_bytes, 0u);
    EXPECT_GT(e.element_bytes, 8152u);
    p.encoding = Encoding::sq4;
    EXPECT_TRUE(element_fits(p, hnsw_pages()));
    // ivf: codes would fit at 32x, the centroid does not.
    Params q = params(Am::ivf, 1000, 16000, Encoding::bq1);
    EXPECT_FALSE(element_fits(q, ivf_pages()));
    EXPECT_GT(estimate(q, ivf_pages()).list_tuple_bytes, 8152u);
}

TEST(Sizing, IvfPostingAndListPages) {
    // 100 lists of 1000 rows, entry 8 + 3072 bytes: 2 per page, 500 pages per list.
    Estimate e = estimate(params(Am::ivf, 100000, 768), ivf_pages());
    EXPECT_EQ(e.per_page, 2u);
    EXPECT_EQ(e.element_pages, 50000u + 50);
    // list tuple 16 + 3072 -> 3088 + 4: two per page, 50 pages.
    EXPECT_EQ(e.aux_pages, 50u);
    // Fewer rows than a page holds per list: one page per list.
    Estimate small = estimate(params(Am::ivf, 1000, 768, Encoding::bq1), ivf_pages());
    EXPECT_EQ(small.element_pages, 100u);
    // No rows: one list, no posting page.
    Estimate empty = estimate(params(Am::ivf, 0, 768), ivf_pages());
    EXPECT_EQ(empty.element_pages, 0u);
    EXPECT_EQ(empty.aux_pages, 1u);
}

TEST(Sizing, BinaryCodesArePacked) {
    Estimate e = estimate(params(Am::binary, 100000, 768, Encoding::bq1), binary_pages());
    EXPECT_EQ(e.element_bytes, 102u);
    EXPECT_EQ(e.per_page, 79u);
    EXPECT_EQ(e.element_pages, 1266u);
    EXPECT_EQ(e.quant_pages, 2u);
    EXPECT_EQ(e.pages, 1269u);
}

TEST(Sizing, QuantizerPages) {
    Params p = params(Am::hnsw, 10, 4000, Encoding::sq8);
    size_t q = vx::quant::Quantizer::serialized_size(Encoding::sq8, 4000);
    EXPECT_GT(q, 2u * 4000 * 4);
    EXPECT_EQ(quantizer_bytes(p), q);
    EXPECT_EQ(estimate(p, hnsw_pages()).quant_pages, (q + 8151) / 8152);
    p.rows = 0;  // an empty table's build writes no quantizer
    EXPECT_EQ(estimate(p, hnsw_pages()).quant_pages, 0u);
}

TEST(Sizing, SizeShrinksWithCompression) {
    const Encoding levels[] = {Encoding::f32, Encoding::f16, Encoding::sq8, Encoding::sq4, Encoding::sq2, Encoding::bq1};
    for (Am am : {Am::hnsw, Am::ivf, Am::binary}) {
        PageGeometry g = am == Am::hnsw ? hnsw_pages() : am == Am::ivf ? ivf_pages() : binary_pages();
        uint64_t last = UINT64_MAX;
        for (Encoding enc : levels) {
            Estimate e = estimate(params(am, 50000, 512, enc), g);
            ASSERT_TRUE(e.fits);
            EXPECT_LT(e.index_bytes, last);
            last = e.index_bytes;
        }
    }
}

TEST(Sizing, BuildMemory) {
    Params p = params(Am::hnsw, 100000, 768);
    p.maintenance_work_mem = 1ull << 30;
    Estimate e = estimate(p, hnsw_pages());
    EXPECT_FALSE(e.build_spills);
    // At least the loaded values and the layer-0 lists.
    EXPECT_GE(e.build_bytes, 100000ull * (3072 + 6 + 33 * 4));
    // Quantized: the codes come on top.
    p.encoding = Encoding::sq8;
    EXPECT_GE(estimate(p, hnsw_pages()).build_bytes, e.build_bytes + 100000ull * 768);
    // A small budget: the build spills and holds about the budget.
    p.maintenance_work_mem = 64ull << 20;
    Estimate s = estimate(p, hnsw_pages());
    EXPECT_TRUE(s.build_spills);
    EXPECT_LT(s.build_bytes, e.build_bytes);
    // binary at 1x streams one page image.
    EXPECT_EQ(estimate(params(Am::binary, 100000, 768), binary_pages()).build_bytes, 8192u);
}

TEST(Sizing, QueryMemoryGrowsWithSettings) {
    Params p = params(Am::hnsw, 100000, 768, Encoding::bq1);
    uint64_t plain = estimate(p, hnsw_pages()).query_bytes;
    // The visited set covers the id space: 2 bytes per slot of every page.
    EXPECT_GE(plain, 2ull * 33 * 3000);
    p.rescore_candidates = 1000;
    EXPECT_GE(estimate(p, hnsw_pages()).query_bytes, plain + 1000ull * kRescoreBytes);
    Params q = params(Am::ivf, 100000, 768);
    uint64_t one = estimate(q, ivf_pages()).query_bytes;
    q.probes = 10;
    EXPECT_GT(estimate(q, ivf_pages()).query_bytes, one);
}
