// Runs Faiss work for the ivf core: on a fresh thread with signals blocked and
// a fixed OpenMP/OpenBLAS thread count, cancellable, with Faiss's exceptions
// turned into ours. Internal to src/core/ivf (see kmeans.h for the why).
#pragma once

#include <functional>

#include "core/ivf/kmeans.h"

namespace vx::ivf::detail {

/// Blocks every signal on the calling thread (workers call it first, so the
/// PostgreSQL signal handlers keep running on the backend's own thread).
void block_signals_in_this_thread();

/// Runs work() on a new thread using `threads` OpenMP threads; polls progress
/// on the calling thread. A FaissException becomes std::runtime_error with
/// "<what> failed: <message>", a cancel becomes vx::Cancelled.
void run_faiss(const std::function<void()>& work, int threads, const ProgressFn& progress,
               const char* what);

}  // namespace vx::ivf::detail
