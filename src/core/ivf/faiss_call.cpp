// run_faiss: one worker thread (joined before returning) hosts the OpenMP team;
// Faiss's global InterruptCallback reads our cancel flag between its blocks.
#include "core/ivf/faiss_call.h"

#include <omp.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>

#include <faiss/impl/AuxIndexStructures.h>
#include <faiss/impl/FaissException.h>

#include "core/errors.h"
#include "core/hnsw/parallel.h"

// OpenBLAS's own thread count is process-wide; weak so other BLAS still link.
extern "C" int openblas_get_num_threads(void) __attribute__((weak));
extern "C" void openblas_set_num_threads(int) __attribute__((weak));

namespace vx::ivf::detail {
namespace {

/// Tells Faiss to stop when the calling thread saw a cancel.
struct FlagInterrupt : faiss::InterruptCallback {
    const std::atomic<bool>* flag;
    explicit FlagInterrupt(const std::atomic<bool>* f) : flag(f) {}
    bool want_interrupt() override { return flag->load(); }
};

/// Installs FlagInterrupt for one call and removes it after.
struct InterruptScope {
    explicit InterruptScope(const std::atomic<bool>* flag) {
        std::lock_guard<std::mutex> g(faiss::InterruptCallback::lock);
        faiss::InterruptCallback::instance.reset(new FlagInterrupt(flag));
    }
    ~InterruptScope() { faiss::InterruptCallback::clear_instance(); }
};

/// Sets OpenBLAS's thread count for the call and restores it (process-wide).
struct BlasThreadsScope {
    int saved = 0;
    explicit BlasThreadsScope(int n) {
        if (openblas_get_num_threads && openblas_set_num_threads) {
            saved = openblas_get_num_threads();
            openblas_set_num_threads(n);
        }
    }
    ~BlasThreadsScope() {
        if (saved > 0)
            openblas_set_num_threads(saved);
    }
};

}  // namespace

// Block all signals for this thread (threads it creates inherit the mask).
void block_signals_in_this_thread() {
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, nullptr);
}

// Run work on a fresh thread with `threads` OpenMP threads, translating errors.
void run_faiss(const std::function<void()>& work, int threads, const ProgressFn& progress,
               const char* what) {
    if (threads < 1)
        threads = 1;
    std::atomic<bool> cancel{false};
    InterruptScope interrupt(&cancel);
    // One BLAS thread: Faiss parallelizes with OpenMP around its BLAS calls, and
    // OpenBLAS's own threads fighting the OpenMP team made k-means up to 2.5x
    // slower here (PQ training 200k x 128, M = 16: 11.8 s vs 4.8 s).
    BlasThreadsScope blas(1);
    auto body = [&](int, size_t) {
        block_signals_in_this_thread();
        omp_set_num_threads(threads);  // this (new) thread's setting only
        work();
    };
    auto poll = [&](size_t) {
        if (progress && !progress()) {
            cancel.store(true);
            return false;
        }
        return true;
    };
    try {
        hnsw::parallel_for_with_progress(1, 1, body, poll);
    } catch (const faiss::FaissException& e) {
        if (cancel.load())
            throw Cancelled();
        throw std::runtime_error(std::string(what) + " failed: " + e.msg);
    }
    if (cancel.load())
        throw Cancelled();
}

}  // namespace vx::ivf::detail
