"""In-process Faiss references (IndexHNSWFlat, IndexIVFFlat, IndexFlat or any factory string).

Searches run one query at a time on one OpenMP thread, so QPS compares with one
database client; N concurrent clients are N Python threads (Faiss releases the
GIL while searching). Distances are converted to what the SQL operators return.
"""
import os
import threading
import time

import numpy as np

import faiss
from backend_memory import proc_status_mb
from metrics import latency_stats
from bench_profile import expand_sweep


# Faiss metric and vector preparation for an SQL metric name.
def faiss_metric(metric):
    return faiss.METRIC_L2 if metric == "l2" else faiss.METRIC_INNER_PRODUCT


# Vectors as Faiss sees them: normalized for cosine (then inner product ranks by cosine).
def prepare(x, metric):
    x = np.ascontiguousarray(x, dtype=np.float32)
    if metric == "cosine":
        x = x.copy()
        faiss.normalize_L2(x)
    return x


# Faiss scores to SQL distances: sqrt for L2, -ip for ip, 1 - ip for cosine.
def sql_distance(d, metric):
    if metric == "l2":
        return np.sqrt(np.maximum(d, 0))
    if metric == "ip":
        return -d
    return 1.0 - d


# Build an untrained index from a configuration.
def make_index(config, dim, metric):
    kind = config.get("index", "flat")
    p = config.get("params", {})
    fm = faiss_metric(metric)
    if kind == "hnsw":
        idx = faiss.IndexHNSWFlat(dim, int(p.get("M", 32)), fm)
        idx.hnsw.efConstruction = int(p.get("efConstruction", 40))
        return idx
    if kind == "ivfflat":
        quant = faiss.IndexFlatL2(dim) if fm == faiss.METRIC_L2 else faiss.IndexFlatIP(dim)
        idx = faiss.IndexIVFFlat(quant, dim, int(p["nlist"]), fm)
        idx._quantizer = quant  # keep the Python object alive
        return idx
    if kind == "flat":
        return faiss.IndexFlat(dim, fm)
    if kind == "factory":
        return faiss.index_factory(dim, p["factory"], fm)
    raise ValueError(f"faiss index kind {kind!r} is not hnsw, ivfflat, flat or factory")


class FaissEngine:
    """Runs the configurations of one faiss profile against one data set."""

    def __init__(self, profile, dataset, args, log=print):
        self.p = profile
        self.ds = dataset
        self.args = args
        self.log = log
        self.base = prepare(dataset.base, dataset.metric)
        self.query = prepare(dataset.query, dataset.metric)

    def load(self):
        return {"load_s": None, "table_bytes": None}

    # Train and add; time, serialized size, growth of this process's RSS.
    def build(self, config):
        faiss.omp_set_num_threads(self.args.faiss_build_threads or os.cpu_count())
        before = (proc_status_mb(os.getpid()) or {}).get("VmRSS")
        idx = make_index(config, self.ds.dim, self.ds.metric)
        t0 = time.perf_counter()
        if not idx.is_trained:
            n = min(len(self.base), int(config.get("train_rows", 50 * getattr(idx, "nlist", 1000))))
            rng = np.random.default_rng(0)
            sample = self.base[np.sort(rng.choice(len(self.base), n, replace=False))]
            idx.train(sample)
        idx.add(self.base)
        build_s = time.perf_counter() - t0
        after = (proc_status_mb(os.getpid()) or {}).get("VmRSS")
        size = int(faiss.serialize_index(idx).nbytes)
        self.index = idx
        grow = round(after - before, 1) if before is not None and after is not None else None
        return {"build_s": build_s, "index_bytes": size, "build_peak_mb": grow, "build_vmhwm_mb": None,
                "build_mem_note": "faiss: growth of this process's RSS over the build; "
                                  f"{faiss.omp_get_max_threads()} build thread(s)"}

    # One query at a time; (results as (id, dist) lists, seconds per query).
    def search_each(self, queries, k):
        results, lat = [], []
        for i in range(len(queries)):
            t0 = time.perf_counter()
            d, ids = self.index.search(queries[i:i + 1], k)
            lat.append(time.perf_counter() - t0)
            dist = sql_distance(d[0].astype(np.float64), self.ds.metric)
            results.append([(int(a), float(b)) for a, b in zip(ids[0], dist) if a >= 0])
        return results, lat

    # N threads split the queries.
    def concurrent(self, queries, k, clients):
        shares = [queries[i::clients] for i in range(clients)]
        lats = [None] * clients
        barrier = threading.Barrier(clients)
        stamps = [None] * clients

        def work(i):
            barrier.wait()
            t0 = time.monotonic()
            _, lats[i] = self.search_each(shares[i], k)
            stamps[i] = (t0, time.monotonic())

        threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = max(s[1] for s in stamps) - min(s[0] for s in stamps)
        lat = [x for share in lats for x in share]
        return len(lat) / wall, lat

    # Measure one sweep point.
    def measure(self, config, point):
        faiss.omp_set_num_threads(1)
        ps = faiss.ParameterSpace()
        for name, val in point["set"].items():
            ps.set_index_parameter(self.index, name, val)
        k = self.args.k
        queries = self.query[:config.get("queries") or len(self.query)]
        self.search_each(queries[:self.args.warmup], k)
        results, lat = self.search_each(queries, k)
        for _ in range(self.args.runs - 1):  # best of several passes
            again = self.search_each(queries, k)
            if sum(again[1]) < sum(lat):
                results, lat = again
        out = {"plan": f"faiss {type(self.index).__name__}", "results": results, "qps_1": len(lat) / sum(lat)}
        out.update({f"{key}_1": val for key, val in latency_stats(lat).items()})
        rk = max(self.args.recall_ks)
        if rk > k and rk <= self.ds.gt_k and not self.args.no_deep_recall:
            out["results_deep"], _ = self.search_each(queries, rk)
        if self.args.clients > 1:
            qps, clat = max((self.concurrent(queries, k, self.args.clients) for _ in range(self.args.runs)),
                            key=lambda x: x[0])
            out["qps_n"] = qps
            out.update({f"{key}_n": val for key, val in latency_stats(clat).items()})
        return out

    # Run every selected configuration; yield (config, build info, point, measurement).
    def run(self, configs):
        for config in configs:
            self.log(f"[{self.p.name}] {config['name']}: building")
            info = self.build(config)
            self.log(f"[{self.p.name}] {config['name']}: built in {info['build_s']:.1f}s, "
                     f"{info['index_bytes'] / 2**20:.1f} MB")
            for point in expand_sweep(config.get("sweep")):
                yield config, info, point, self.measure(config, point)
            self.index = None
