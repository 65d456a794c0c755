#!/usr/bin/python3
"""Sharded profile: QPS and p99 latency of top-k search through a postgres_fdw
coordinator on 1, 2 and 3 shards holding the same total rows, next to the same
index on one local table (the cost of the coordinator hop).

    pg_virtualenv -v 15 -o shared_buffers=1GB \
        /usr/bin/python3 bench/sharded.py ../shared/data/glove-100 [--shards 1,2,3]

Layout inside the one throwaway cluster (PG* variables from pg_virtualenv):
database vx_coord holds the local reference table `single` and, for each shard
count N, a table items_N hash-partitioned into N postgres_fdw foreign tables;
databases vx_shard1..3 hold the partitions with their own hnsw index. Shards are
reached over TCP loopback, so every query pays the real hop (libpq, a remote
backend, text transfer of the rows); shards share the machine's cores and
shared_buffers, which a real deployment would not.

Reported per configuration: recall@10 against the data set's ground truth, QPS
and p50/p99 latency of one client running the queries one after another (best
of --runs passes). `3 shards, union` is the same search written as one
ORDER BY ... LIMIT subquery per shard under UNION ALL in a MATERIALIZED CTE,
with async_capable servers: LIMIT is pushed to each shard and an async Append
queries the shards at the same time.
"""
import argparse
import io
import json
import os
import sys
import time

import numpy as np
import psycopg2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vecs_io  # noqa: E402

OPS = {"l2": ("<->", "vector_l2_ops"), "cosine": ("<=>", "vector_cosine_ops"), "ip": ("<#>", "vector_ip_ops")}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def connect(db):
    c = psycopg2.connect(dbname=db)
    c.autocommit = True
    return c


def run(conn, sql):
    with conn.cursor() as cur:
        cur.execute(sql)


def vec_text(v):
    return "[" + ",".join("%.9g" % x for x in v) + "]"


# Creates the databases, the local table, the partitioned tables and the shards' indexes.
def setup(args, base, dim, opclass):
    admin = connect(os.environ.get("PGDATABASE", "postgres"))
    for db in ["vx_coord"] + ["vx_shard%d" % i for i in range(1, 4)]:
        run(admin, "DROP DATABASE IF EXISTS %s" % db)
        run(admin, "CREATE DATABASE %s" % db)
    admin.close()
    coord = connect("vx_coord")
    run(coord, "CREATE EXTENSION vector_ext; CREATE EXTENSION postgres_fdw")
    run(coord, "CREATE TABLE single (id int PRIMARY KEY, v vector(%d))" % dim)
    buf = io.StringIO("".join("%d\t%s\n" % (i, vec_text(v)) for i, v in enumerate(base)))
    with coord.cursor() as cur:
        cur.copy_expert("COPY single FROM STDIN", buf)
    user, pw = os.environ.get("PGUSER", "postgres"), os.environ.get("PGPASSWORD", "")
    port = os.environ.get("PGPORT", "5432")
    opts = "-c hnsw.ef_search=%d" % args.ef_search
    for i in range(1, 4):
        run(coord, f"""CREATE SERVER shard{i} FOREIGN DATA WRAPPER postgres_fdw
            OPTIONS (host '127.0.0.1', port '{port}', dbname 'vx_shard{i}', extensions 'vector_ext',
                     fetch_size '{args.fetch_size}', batch_size '1000', async_capable 'true', options '{opts}');
            CREATE USER MAPPING FOR CURRENT_USER SERVER shard{i} OPTIONS (user '{user}', password '{pw}')""")
        s = connect("vx_shard%d" % i)
        run(s, "CREATE EXTENSION vector_ext")
        s.close()
    for n in args.shards:
        run(coord, "CREATE TABLE items_%d (id int NOT NULL, v vector(%d)) PARTITION BY HASH (id)" % (n, dim))
        for i in range(1, n + 1):
            s = connect("vx_shard%d" % i)
            run(s, "CREATE TABLE items_%d (id int PRIMARY KEY, v vector(%d))" % (n, dim))
            s.close()
            run(coord, f"""CREATE FOREIGN TABLE items_{n}_s{i} PARTITION OF items_{n}
                FOR VALUES WITH (MODULUS {n}, REMAINDER {i - 1}) SERVER shard{i} OPTIONS (table_name 'items_{n}')""")
        t0 = time.time()
        run(coord, "INSERT INTO items_%d SELECT * FROM single" % n)
        log("items_%d: %d rows sent to %d shards in %.1fs" % (n, len(base), n, time.time() - t0))
    t0 = time.time()
    run(coord, "CREATE INDEX ON single USING hnsw (v %s)" % opclass)
    run(coord, "VACUUM ANALYZE single")
    builds = {"single": time.time() - t0}
    for n in args.shards:
        t0 = time.time()
        for i in range(1, n + 1):
            s = connect("vx_shard%d" % i)
            run(s, "CREATE INDEX ON items_%d USING hnsw (v %s)" % (n, opclass))
            run(s, "VACUUM ANALYZE items_%d" % n)
            s.close()
        builds["%d shards" % n] = time.time() - t0
    log("index builds (s):", {k: round(v, 1) for k, v in builds.items()})
    return coord, builds


# The plan a shard picks for the cursor postgres_fdw sends it (index or sort).
def shard_plan(n, op, query):
    s = connect("vx_shard1")
    with s.cursor() as cur:
        cur.execute("SET hnsw.ef_search = %s", (ARGS.ef_search,))
        cur.execute("BEGIN")
        cur.execute("EXPLAIN (COSTS OFF) DECLARE c CURSOR FOR SELECT id, v FROM items_%d ORDER BY v %s %%s::vector" % (n, op), (query,))
        plan = " / ".join(r[0].strip() for r in cur.fetchall())
        cur.execute("ROLLBACK")
    s.close()
    return plan


# Runs every query once; returns (latencies in seconds, result ids).
def one_pass(cur, sql, queries):
    lat, ids = [], []
    for q in queries:
        t0 = time.perf_counter()
        cur.execute(sql, (q,))
        rows = cur.fetchall()
        lat.append(time.perf_counter() - t0)
        ids.append([r[0] for r in rows])
    return lat, ids


# Prepares sql (query vector as $1), runs all queries --runs times after a
# warm-up pass, keeps the fastest pass.
def measure(conn, name, sql, queries, gt, k, runs):
    with conn.cursor() as cur:
        cur.execute("SET hnsw.ef_search = %s", (ARGS.ef_search,))
        cur.execute("PREPARE q(vector) AS " + sql)
        best = None
        for _ in range(runs + 1):
            lat, ids = one_pass(cur, "EXECUTE q(%s)", queries)
            if best is None or sum(lat) < sum(best[0]):
                best = (lat, ids)
        cur.execute("EXPLAIN (VERBOSE, COSTS OFF) EXECUTE q(%s)", (queries[0],))
        plan = "\n".join(r[0] for r in cur.fetchall())
        cur.execute("DEALLOCATE q")
    lat, ids = best
    hits = sum(len(set(a[:k]) & set(g[:k])) for a, g in zip(ids, gt))
    lat_ms = np.array(lat) * 1000
    return {"config": name, "recall": hits / (k * len(queries)), "qps": len(queries) / sum(lat),
            "p50_ms": float(np.percentile(lat_ms, 50)), "p99_ms": float(np.percentile(lat_ms, 99)), "plan": plan}


def main():
    global ARGS
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("data", help="data set folder (base.fvecs, query.fvecs, groundtruth.ivecs, info.json)")
    p.add_argument("--shards", default="1,2,3")
    p.add_argument("--queries", type=int, default=500)
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--ef-search", type=int, default=40)
    p.add_argument("--fetch-size", type=int, default=10, help="postgres_fdw fetch_size (rows per round trip)")
    p.add_argument("--runs", type=int, default=2)
    p.add_argument("--rows", type=int, default=0, help="first N base rows (0 = all; recall then vs exact on those)")
    p.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "out"))
    ARGS = args = p.parse_args()
    args.shards = [int(x) for x in args.shards.split(",")]
    info = json.load(open(os.path.join(args.data, "info.json")))
    op, opclass = OPS[info["metric"]]
    base = vecs_io.read_fvecs(os.path.join(args.data, "base.fvecs"))
    queries_np = vecs_io.read_fvecs(os.path.join(args.data, "query.fvecs"))[: args.queries]
    gt = vecs_io.read_vecs(os.path.join(args.data, "groundtruth.ivecs"), "<i4")[: args.queries]
    if args.rows:
        base = base[: args.rows]
        gt = exact_topk(base, queries_np, info["metric"], args.k)
    dim = base.shape[1]
    queries = [vec_text(v) for v in queries_np]
    log("%s: %d rows x %d, %s (%s), %d queries, k=%d, ef_search=%d, fetch_size=%d"
        % (info["name"], len(base), dim, info["metric"], op, len(queries), args.k, args.ef_search, args.fetch_size))
    coord, builds = setup(args, base, dim, opclass)
    lim = "ORDER BY v %s $1 LIMIT %d" % (op, args.k)
    configs = [("single node (local)", "SELECT id FROM single " + lim)]
    for n in args.shards:
        log("items_%d shard cursor plan: %s" % (n, shard_plan(n, op, queries[0])))
        configs.append(("%d shard%s" % (n, "s" if n > 1 else ""), "SELECT id FROM items_%d %s" % (n, lim)))
    n = max(args.shards)
    parts = " UNION ALL ".join("(SELECT id, v %s $1 AS d FROM items_%d_s%d ORDER BY d LIMIT %d)" % (op, n, i, args.k)
                               for i in range(1, n + 1))
    # MATERIALIZED keeps the planner from turning the union back into a Merge
    # Append: a plain Append over async_capable foreign scans queries the shards at once.
    configs.append(("%d shards, union" % n, "WITH u AS MATERIALIZED (%s) SELECT id FROM u ORDER BY d LIMIT %d" % (parts, args.k)))
    rows = []
    for name, sql in configs:
        r = measure(coord, name, sql, queries, gt, args.k, args.runs)
        log("%-22s recall %.3f  QPS %7.1f  p50 %6.2f ms  p99 %6.2f ms" % (name, r["recall"], r["qps"], r["p50_ms"], r["p99_ms"]))
        rows.append(r)
    single = rows[0]["p50_ms"]
    print("| configuration | recall@10 | QPS | p50 ms | p99 ms | hop cost (p50 - local p50) ms |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        hop = "" if r is rows[0] else "%.2f" % (r["p50_ms"] - single)
        print("| %s | %.3f | %.0f | %.2f | %.2f | %s |" % (r["config"], r["recall"], r["qps"], r["p50_ms"], r["p99_ms"], hop))
    os.makedirs(args.out, exist_ok=True)
    out = os.path.join(args.out, "sharded-%s.json" % info["name"])
    json.dump({"data": info["name"], "rows": len(base), "dim": dim, "k": args.k, "ef_search": args.ef_search,
               "fetch_size": args.fetch_size, "queries": len(queries), "builds_s": builds, "results": rows},
              open(out, "w"), indent=1)
    log("wrote", out)


# Exact top-k (row ids) when only a prefix of the base is loaded.
def exact_topk(base, queries, metric, k):
    b, q = base.astype(np.float64), queries.astype(np.float64)
    if metric == "l2":
        d = (q * q).sum(1)[:, None] - 2 * q @ b.T + (b * b).sum(1)[None, :]
    elif metric == "ip":
        d = -(q @ b.T)
    else:
        d = 1 - (q @ b.T) / (np.linalg.norm(q, axis=1)[:, None] * np.linalg.norm(b, axis=1)[None, :])
    return np.argsort(d, axis=1, kind="stable")[:, :k]


ARGS = None

if __name__ == "__main__":
    main()
