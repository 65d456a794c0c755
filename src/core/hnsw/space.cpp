// Code sizes of the FlatSpace metrics.
#include "core/hnsw/space.h"

namespace vx::hnsw {

// float32 rows take 4 bytes per dimension, int8 one, bits one per 8.
size_t code_size_for(Metric metric, size_t dim) {
    switch (metric) {
    case Metric::l2_f32:
    case Metric::neg_dot_f32:
    case Metric::cosine_f32:
    case Metric::cosine_norm_f32:
    case Metric::l1_f32:
        return dim * sizeof(float);
    case Metric::l2_i8:
    case Metric::neg_dot_i8:
    case Metric::cosine_i8:
    case Metric::l1_i8:
        return dim;
    case Metric::hamming_bits:
    case Metric::jaccard_bits:
        return (dim + 7) / 8;
    }
    return 0;
}

}  // namespace vx::hnsw
