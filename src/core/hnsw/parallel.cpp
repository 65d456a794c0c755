// parallel_for_with_progress: worker threads take items from an atomic
// counter; the calling thread sleeps on a condition variable, wakes every
// poll_ms to report progress, and turns a cancel or a worker's exception into
// an exception of its own once every worker has been joined.
#include "core/hnsw/parallel.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "core/errors.h"

namespace vx::hnsw {

void parallel_for_with_progress(size_t n, int n_threads,
                                const std::function<void(int worker, size_t item)>& work,
                                const ProgressFn& progress, int poll_ms) {
    if (n_threads < 1)
        n_threads = 1;
    std::atomic<size_t> next{0};
    std::atomic<size_t> done{0};
    std::atomic<bool> stop{false};
    std::mutex mu;
    std::condition_variable cv;
    int running = 0;
    std::exception_ptr worker_error;

    auto body = [&](int w) {
        while (!stop.load(std::memory_order_relaxed)) {
            size_t i = next.fetch_add(1, std::memory_order_relaxed);
            if (i >= n)
                break;
            try {
                work(w, i);
            } catch (...) {
                std::lock_guard<std::mutex> g(mu);
                if (!worker_error)
                    worker_error = std::current_exception();
                stop.store(true);
                break;
            }
            done.fetch_add(1, std::memory_order_relaxed);
        }
        std::lock_guard<std::mutex> g(mu);
        running--;
        cv.notify_all();
    };

    std::vector<std::thread> threads;
    threads.reserve(size_t(n_threads));
    std::exception_ptr caller_error;
    bool cancelled = false;
    try {
        for (int w = 0; w < n_threads; w++) {
            {
                std::lock_guard<std::mutex> g(mu);
                running++;
            }
            try {
                threads.emplace_back(body, w);
            } catch (...) {
                std::lock_guard<std::mutex> g(mu);
                running--;
                throw;
            }
        }
        std::unique_lock<std::mutex> lk(mu);
        while (running > 0) {
            cv.wait_for(lk, std::chrono::milliseconds(poll_ms));
            if (running == 0 || !progress || stop.load())
                continue;
            size_t d = done.load(std::memory_order_relaxed);
            lk.unlock();
            bool go_on = progress(d);
            lk.lock();
            if (!go_on) {
                cancelled = true;
                stop.store(true);
            }
        }
    } catch (...) {
        caller_error = std::current_exception();
        stop.store(true);
    }
    for (auto& t : threads)
        t.join();
    if (caller_error)
        std::rethrow_exception(caller_error);
    if (worker_error)
        std::rethrow_exception(worker_error);
    if (cancelled)
        throw Cancelled();
}

}  // namespace vx::hnsw
