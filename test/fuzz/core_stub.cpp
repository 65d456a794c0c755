// src/core functions that the page files of the fuzzed access methods
// reference but the page decoders never call (centroid search through Faiss):
// aborting stand-ins, so the fuzz build needs neither Faiss nor BLAS.
#include <cstdlib>

#include "core/ivf/assign.h"

namespace vx::ivf {

size_t nearest_lists(const float*, const float*, size_t, size_t, Metric, size_t, uint32_t*, float*) { abort(); }
size_t nearest_binary_lists(const uint8_t*, const uint8_t*, size_t, size_t, size_t, uint32_t*, float*) { abort(); }

}  // namespace vx::ivf
