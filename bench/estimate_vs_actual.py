"""vector_ext_estimate's prediction next to the measured index size, build
memory and per-query memory, for each access method and compression level.

    /usr/bin/python3 bench/estimate_vs_actual.py --dsn "host=... port=..." \
        --data bench/data/synth-100k-768-cosine [--ams binary,ivf,hnsw] \
        [--levels 1x,2x,4x,8x,16x,32x] [--out bench/results/estimate_vs_actual.json]
    /usr/bin/python3 bench/estimate_vs_actual.py --dsn ... --repredict   (new predictions, same measurements)
    /usr/bin/python3 bench/estimate_vs_actual.py --table                 (markdown table of --out)

Measured:
  index size     pg_relation_size after CREATE INDEX;
  build memory   peak RssAnon of the building backend (sampled every 0.1 s by
                 backend_memory.MemorySampler, threads included) minus its
                 RssAnon just before CREATE INDEX;
  query memory   RssAnon of a fresh backend after its first index scan minus
                 RssAnon after EXPLAIN of the same query (so catalog caches and
                 planning are already paid for); page granularity (4 kB) and
                 malloc reuse make small values noisy.
The table uses the default operator class vector_ext_estimate assumes
(vector_l2_ops); maintenance_work_mem and the scan settings are the server's.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from backend_memory import MemorySampler, proc_status_mb  # noqa: E402
from copy_binary import CopyStream  # noqa: E402
from pg_engine import connect, vector_text  # noqa: E402
from vecs_io import read_fvecs  # noqa: E402

TABLE = "est_items"


def rss_anon_mb(pid):
    st = proc_status_mb(pid) or {}
    return st.get("RssAnon", 0.0)


# Loads base.fvecs into TABLE unless it already holds that many rows.
def load(dsn, data):
    base = read_fvecs(os.path.join(data, "base.fvecs"))
    conn = connect(dsn)
    cur = conn.cursor()
    cur.execute("SELECT to_regclass(%s) IS NOT NULL", (TABLE,))
    if cur.fetchone()[0]:
        cur.execute(f"SELECT count(*) FROM {TABLE}")
        if cur.fetchone()[0] == len(base):
            return base
        cur.execute(f"DROP TABLE {TABLE}")
    cur.execute(f"CREATE TABLE {TABLE} (id integer, embedding vector({base.shape[1]}))")
    cur.copy_expert(f"COPY {TABLE} (id, embedding) FROM STDIN WITH (FORMAT BINARY)", CopyStream(base),
                    size=1 << 26)
    cur.execute(f"VACUUM ANALYZE {TABLE}")
    conn.close()
    return base


# Predicted row of vector_ext_estimate for (am, options).
def predict(cur, am, rows, dims, options):
    cur.execute("SELECT index_bytes, build_memory_bytes, query_memory_bytes, build_spills "
                "FROM vector_ext_estimate(%s, %s, %s, 'vector', %s) WHERE selected",
                (am, rows, dims, options))
    r = cur.fetchone()
    return {"index_bytes": r[0], "build_bytes": r[1], "query_bytes": r[2], "build_spills": r[3]}


# Builds the index; returns size, build memory (bytes) and seconds.
def build(dsn, am, options):
    conn = connect(dsn)
    cur = conn.cursor()
    cur.execute(f"DROP INDEX IF EXISTS {TABLE}_idx")
    cur.execute("SELECT pg_backend_pid()")
    pid = cur.fetchone()[0]
    before = rss_anon_mb(pid)
    sampler = MemorySampler(pid, period=0.1).start()
    with_clause = "" if not options else " WITH (" + ", ".join(o.replace("=", " = '", 1) + "'" for o in options) + ")"
    t0 = time.perf_counter()
    cur.execute(f"CREATE INDEX {TABLE}_idx ON {TABLE} USING \"{am}\" (embedding vector_l2_ops){with_clause}")
    secs = time.perf_counter() - t0
    mem = sampler.stop()
    cur.execute("SELECT pg_relation_size(%s)", (f"{TABLE}_idx",))
    size = cur.fetchone()[0]
    conn.close()
    peak = mem.get("build_peak_mb")
    return {"index_bytes": size, "build_bytes": None if peak is None else int((peak - before) * 2**20),
            "build_s": round(secs, 1)}


# RssAnon growth of a fresh backend across its first index scan (median of 3 backends).
def query_memory(dsn, query):
    q = vector_text(query)
    sql = f"SELECT id FROM {TABLE} ORDER BY embedding <-> '{q}' LIMIT 10"
    deltas = []
    for _ in range(3):
        conn = connect(dsn)
        cur = conn.cursor()
        cur.execute("SET enable_seqscan = off")
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
        cur.execute("EXPLAIN " + sql)
        cur.fetchall()
        before = rss_anon_mb(pid)
        cur.execute(sql)
        cur.fetchall()
        deltas.append(int((rss_anon_mb(pid) - before) * 2**20))
        conn.close()
    return sorted(deltas)[1]


def err(pred, actual):
    if pred is None or not actual:
        return None
    return round(100.0 * (pred - actual) / actual, 1)


# Recomputes every row's prediction with the installed extension.
def repredict(dsn, results):
    conn = connect(dsn)
    cur = conn.cursor()
    for r in results:
        r["predicted"] = predict(cur, r["am"], r["rows"], r["dims"], [f"compression_level={r['level']}"])
        r["error_pct"] = {k: err(r["predicted"][k], r["actual"][k]) for k in ("index_bytes", "build_bytes", "query_bytes")}
    conn.close()


def mb(x, unit=2**20):
    return "-" if x is None else "%.1f" % (x / unit)


def pct(x):
    return "-" if x is None else "%+.1f%%" % x


# Markdown: predicted | actual | error % for size (MB), build memory (MB), query memory (kB).
def table(results):
    print("| am | level | index MB pred | actual | err | build MB pred | actual | err | query kB pred | actual | err |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        p, a, e = r["predicted"], r["actual"], r["error_pct"]
        print(f"| {r['am']} | {r['level']} | {mb(p['index_bytes'])} | {mb(a['index_bytes'])} | {pct(e['index_bytes'])} "
              f"| {mb(p['build_bytes'])} | {mb(a['build_bytes'])} | {pct(e['build_bytes'])} "
              f"| {mb(p['query_bytes'], 1024)} | {mb(a['query_bytes'], 1024)} | {pct(e['query_bytes'])} |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dsn")
    ap.add_argument("--data")
    ap.add_argument("--ams", default="binary,ivf,hnsw")
    ap.add_argument("--levels", default="1x,2x,4x,8x,16x,32x")
    ap.add_argument("--out", default="bench/results/estimate_vs_actual.json")
    ap.add_argument("--repredict", action="store_true")
    ap.add_argument("--table", action="store_true")
    a = ap.parse_args()
    if a.repredict or a.table:
        with open(a.out) as f:
            results = json.load(f)
        if a.repredict:
            repredict(a.dsn, results)
            with open(a.out, "w") as f:
                json.dump(results, f, indent=1)
        table(results)
        return
    base = load(a.dsn, a.data)
    queries = read_fvecs(os.path.join(a.data, "query.fvecs"))
    rows, dims = base.shape
    results = []
    if os.path.exists(a.out):
        with open(a.out) as f:
            results = json.load(f)
    done = {(r["am"], r["level"]) for r in results}
    for am in a.ams.split(","):
        for level in a.levels.split(","):
            if (am, level) in done:
                continue
            options = [f"compression_level={level}"]
            conn = connect(a.dsn)
            pred = predict(conn.cursor(), am, rows, dims, options)
            conn.close()
            actual = build(a.dsn, am, options)
            actual["query_bytes"] = query_memory(a.dsn, queries[0])
            row = {"am": am, "level": level, "rows": rows, "dims": dims, "predicted": pred, "actual": actual,
                   "error_pct": {k: err(pred[k], actual[k]) for k in ("index_bytes", "build_bytes", "query_bytes")}}
            print(json.dumps(row), flush=True)
            results.append(row)
            os.makedirs(os.path.dirname(a.out) or ".", exist_ok=True)
            with open(a.out, "w") as f:
                json.dump(results, f, indent=1)
    conn = connect(a.dsn)
    conn.cursor().execute(f"DROP INDEX IF EXISTS {TABLE}_idx")
    conn.close()


if __name__ == "__main__":
    main()
