// A parallel loop whose calling thread alone polls a progress/cancel callback.
#pragma once

#include <cstddef>
#include <functional>

namespace vx::hnsw {

/// Called on the calling thread with the number of items done; false cancels.
using ProgressFn = std::function<bool(size_t done)>;

/// Runs work(worker, item) for every item in [0, n) on n_threads std::threads
/// (worker in [0, n_threads)). The calling thread does no items: it waits and
/// calls progress(done) about every poll_ms milliseconds; workers never call it.
/// When progress returns false, workers stop after their current item and
/// vx::Cancelled is thrown. The first exception thrown by a worker stops the
/// others and is rethrown here; so is an exception from progress itself,
/// after the workers have been joined.
void parallel_for_with_progress(size_t n, int n_threads,
                                const std::function<void(int worker, size_t item)>& work,
                                const ProgressFn& progress, int poll_ms = 20);

}  // namespace vx::hnsw
