"""Recall (tie-aware) and latency statistics."""
import numpy as np

# Distances from the server are float32 arithmetic, ground truth float64: allow that much slack.
REL_TOL = 1e-5
ABS_TOL = 1e-6


# Mean recall@k over queries: a returned row is a hit if it is one of the k true
# neighbours or its distance is no larger than the k-th true distance (ties).
def recall_at(results, gt_ids, gt_dist, k):
    if k > gt_ids.shape[1]:
        return None
    total = 0
    for i, rows in enumerate(results):
        truth = set(gt_ids[i, :k].tolist())
        kth = gt_dist[i, k - 1]
        limit = kth + REL_TOL * abs(kth) + ABS_TOL
        seen = set()
        for rid, dist in rows[:k]:
            if rid in seen:
                continue
            seen.add(rid)
            if rid in truth or (dist is not None and dist <= limit):
                total += 1
    return total / (k * len(results))


# p50/p95/p99 and mean of per-query latencies, in milliseconds.
def latency_stats(seconds):
    if not len(seconds):
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None, "mean_ms": None}
    ms = np.asarray(seconds) * 1000.0
    p50, p95, p99 = np.percentile(ms, [50, 95, 99])
    return {"p50_ms": float(p50), "p95_ms": float(p95), "p99_ms": float(p99), "mean_ms": float(ms.mean())}
