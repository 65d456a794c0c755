"""Benchmark one PostgreSQL profile: load, build each index, sweep query settings."""
import multiprocessing as mp
import sys
import time

import psycopg2

from backend_memory import MemorySampler
from copy_binary import CopyStream
from metrics import latency_stats
from bench_profile import expand_sweep, fill

STMT = "bench_q"


# Open an autocommit connection.
def connect(dsn):
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    return conn


# Text literal of a vector: float32 values with round-trip precision.
def vector_text(v):
    return "[" + ",".join("%.9g" % x for x in v.tolist()) + "]"


# SET statement for one GUC; numbers stay bare, anything else is quoted.
def set_sql(name, value):
    if isinstance(value, bool):
        value = "on" if value else "off"
    if isinstance(value, (int, float)):
        return f"SET {name} = {value}"
    return "SET %s = '%s'" % (name, str(value).replace("'", "''"))


# Run a list of SQL statements (templates filled with values).
def run_all(cur, statements, values):
    for s in statements or []:
        cur.execute(fill(s, values))


# Node types of a JSON plan, depth first, as "Limit > Index Scan(idx)".
def plan_summary(plan):
    parts = []
    node = plan
    while node:
        label = node.get("Node Type", "?")
        if node.get("Index Name"):
            label += f"({node['Index Name']})"
        parts.append(label)
        kids = node.get("Plans") or []
        node = kids[0] if kids else None
    return " > ".join(parts)


class Session:
    """What every query connection does before measuring: session SQL, point SETs, PREPARE."""

    def __init__(self, dsn, session_sql, point_sql, prepare_sql):
        self.dsn = dsn
        self.session_sql = session_sql
        self.point_sql = point_sql
        self.prepare_sql = prepare_sql

    # Open and prepare a connection; return it.
    def open(self):
        conn = connect(self.dsn)
        cur = conn.cursor()
        for s in self.session_sql + self.point_sql:
            cur.execute(s)
        cur.execute(self.prepare_sql)
        return conn


# Execute the prepared query for each text vector; return (rows per query, seconds per query).
def run_queries(cur, texts):
    results, lat = [], []
    for t in texts:
        t0 = time.perf_counter()
        cur.execute(f"EXECUTE {STMT}(%s)", (t,))
        rows = cur.fetchall()
        lat.append(time.perf_counter() - t0)
        results.append([(int(r[0]), float(r[1]) if r[1] is not None else None) for r in rows])
    return results, lat


# Body of one concurrent client process: prepare, warm up, wait, run its share, report.
def client_proc(session, texts, warmup, barrier, queue):
    try:
        conn = session.open()
        cur = conn.cursor()
        run_queries(cur, texts[:warmup])
        barrier.wait()
        start = time.monotonic()
        _, lat = run_queries(cur, texts)
        queue.put((start, time.monotonic(), lat, None))
        conn.close()
    except Exception as e:  # reported to the parent, which fails the point
        try:
            barrier.abort()
        except Exception:
            pass
        queue.put((0, 0, [], repr(e)))


# N clients with separate connections split the queries; total QPS and latencies.
def run_concurrent(session, texts, clients, warmup):
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(clients)
    queue = ctx.Queue()
    shares = [texts[i::clients] for i in range(clients)]
    procs = [ctx.Process(target=client_proc, args=(session, shares[i], warmup, barrier, queue))
             for i in range(clients)]
    for p in procs:
        p.start()
    outs = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    errors = [o[3] for o in outs if o[3]]
    if errors:
        raise RuntimeError(f"concurrent client failed: {errors[0]}")
    wall = max(o[1] for o in outs) - min(o[0] for o in outs)
    lat = [x for o in outs for x in o[2]]
    return len(lat) / wall, lat


class PostgresEngine:
    """Runs the configurations of one postgres profile against one data set."""

    def __init__(self, profile, dataset, args, log=print):
        self.p = profile
        self.ds = dataset
        self.args = args
        self.log = log
        self.table = args.table
        self.doc = profile.doc
        self.texts = [vector_text(q) for q in dataset.query]

    # Placeholder values for a configuration.
    def values(self, config, k=None):
        index = config.get("index_name", f"{self.table}_idx")
        return self.p.values(config, self.ds.metric, self.ds.dim, k or self.args.k, self.table, index)

    # Create the extension(s) and the table, then COPY the base vectors in; seconds.
    def load(self):
        v = self.values({})
        conn = connect(self.p.dsn)
        cur = conn.cursor()
        run_all(cur, self.doc.get("setup", []), v)
        cur.execute(f"DROP TABLE IF EXISTS {self.table}")
        t0 = time.perf_counter()
        cur.execute(fill(self.doc["table"], v))
        cols = self.doc.get("copy_columns", "id, embedding")
        cur.copy_expert(f"COPY {self.table} ({cols}) FROM STDIN WITH (FORMAT BINARY)",
                        CopyStream(self.ds.base), size=1 << 26)
        load_s = time.perf_counter() - t0
        run_all(cur, self.doc.get("after_load", [f"VACUUM ANALYZE {self.table}"]), v)
        cur.execute("SELECT pg_total_relation_size(%s)", (self.table,))
        table_bytes = cur.fetchone()[0]
        conn.close()
        self.log(f"[{self.p.name}] loaded {self.ds.rows} rows in {load_s:.1f}s ({table_bytes / 2**20:.1f} MB)")
        return {"load_s": load_s, "table_bytes": table_bytes}

    # Build the configuration's index on a fresh connection; time, size, memory.
    def build(self, config):
        v = self.values(config)
        if not config.get("index"):
            return {"build_s": None, "index_bytes": None, "build_peak_mb": None, "build_vmhwm_mb": None,
                    "build_mem_note": "no index"}
        conn = connect(self.p.dsn)
        cur = conn.cursor()
        cur.execute(f"DROP INDEX IF EXISTS {v['index']}")
        run_all(cur, self.doc.get("build_session", []) + config.get("build_session", []), v)
        cur.execute("SELECT pg_backend_pid()")
        sampler = MemorySampler(cur.fetchone()[0]).start()
        t0 = time.perf_counter()
        cur.execute(fill(config["index"], v))
        build_s = time.perf_counter() - t0
        mem = sampler.stop()
        cur.execute("SELECT pg_relation_size(%s)", (v["index"],))
        size = cur.fetchone()[0]
        conn.close()
        out = {"build_s": build_s, "index_bytes": size}
        out.update(mem)
        return out

    # Drop the configuration's index (so the next one starts from a bare table).
    def drop(self, config):
        if config.get("index"):
            conn = connect(self.p.dsn)
            conn.cursor().execute(f"DROP INDEX IF EXISTS {self.values(config)['index']}")
            conn.close()

    # PREPARE statement of the query template with LIMIT k.
    def prepare_sql(self, config, k):
        v = self.values(config, k)
        query = fill(config.get("query", self.doc["query"]), v)
        ptype = fill(self.doc.get("param_type", "vector"), v)
        return f"PREPARE {STMT}({ptype}) AS {query}"

    # Session for a sweep point at LIMIT k.
    def session(self, config, point, k):
        v = self.values(config, k)
        session_sql = [fill(s, v) for s in self.doc.get("session", []) + config.get("session", [])]
        point_sql = [set_sql(n, val) for n, val in point["set"].items()] + [fill(s, v) for s in point.get("sql", [])]
        return Session(self.p.dsn, session_sql, point_sql, self.prepare_sql(config, k))

    # Measure one sweep point: plan, single client (timed, LIMIT k), recall pass, N clients.
    def measure(self, config, point):
        args = self.args
        k = args.k
        texts = self.texts[:config.get("queries") or len(self.texts)]
        sess = self.session(config, point, k)
        conn = sess.open()
        cur = conn.cursor()
        cur.execute(f"EXPLAIN (FORMAT JSON) EXECUTE {STMT}(%s)", (texts[0],))
        plan = plan_summary(cur.fetchone()[0][0]["Plan"])
        run_queries(cur, texts[:args.warmup])
        results, lat = run_queries(cur, texts)
        for _ in range(args.runs - 1):  # best of several passes, as ann-benchmarks does
            again = run_queries(cur, texts)
            if sum(again[1]) < sum(lat):
                results, lat = again
        wall = sum(lat)
        out = {"plan": plan, "results": results, "qps_1": len(lat) / wall}
        out.update({f"{key}_1": val for key, val in latency_stats(lat).items()})
        conn.close()
        rk = max(args.recall_ks)
        if rk > k and rk <= self.ds.gt_k and not args.no_deep_recall:
            deep = self.session(config, point, rk)
            conn = deep.open()
            out["results_deep"], _ = run_queries(conn.cursor(), texts)
            conn.close()
        if args.clients > 1:
            qps, clat = max((run_concurrent(sess, texts, args.clients, args.warmup) for _ in range(args.runs)),
                            key=lambda x: x[0])
            out["qps_n"] = qps
            out.update({f"{key}_n": val for key, val in latency_stats(clat).items()})
        return out

    # Run every selected configuration; yield (config, build info, point, measurement).
    def run(self, configs):
        for config in configs:
            points = expand_sweep(config.get("sweep"))
            self.log(f"[{self.p.name}] {config['name']}: " + ("building" if config.get("index") else "no index"))
            try:
                info = self.build(config)
            except psycopg2.Error as e:
                self.log(f"[{self.p.name}] {config['name']}: build failed: {e}".rstrip())
                yield config, {"error": str(e).strip()}, None, None
                continue
            if info["build_s"] is not None:
                self.log(f"[{self.p.name}] {config['name']}: built in {info['build_s']:.1f}s, "
                         f"{info['index_bytes'] / 2**20:.1f} MB")
            for point in points:
                try:
                    m = self.measure(config, point)
                except (psycopg2.Error, RuntimeError) as e:
                    self.log(f"[{self.p.name}] {config['name']} {point['label']}: failed: {e}".rstrip())
                    yield config, info, point, {"error": str(e).strip()}
                    continue
                yield config, info, point, m
            if not self.args.keep_index:
                self.drop(config)


if __name__ == "__main__":
    sys.exit("run bench/run.py")
