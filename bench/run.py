#!/usr/bin/python3
"""Recall / QPS / latency / build-time / index-size benchmark of vector search.

  bench/run.py DATA_DIR --profile bench/profiles/vector_ext.json --dsn "dbname=bench"
               --profile bench/profiles/faiss.json [--out bench/out] [--k 10] [--clients 2]

DATA_DIR holds base.fvecs, query.fvecs, groundtruth.ivecs (optionally
groundtruth.dist.fvecs, info.json). Each --profile is a JSON file of SQL
templates (engine postgres) or Faiss indexes (engine faiss); a postgres profile
uses --dsn, or its own connection string written as PROFILE@DSN. For every
configuration the harness loads the table (COPY BINARY, once per profile),
builds the index (time, size, backend memory), then for every sweep point
measures recall@1/10/100, QPS and p50/p95/p99 latency with one client and with
--clients concurrent clients. Writes a table to stdout and JSON, CSV and PNG
plots to --out. See bench/README.md.
"""
import argparse
import datetime
import os
import platform
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_profile import Profile  # noqa: E402
from metrics import recall_at  # noqa: E402
from report import text_table, write_all  # noqa: E402
from vecs_io import Dataset  # noqa: E402


# Split "path@dsn" into (path, dsn or None).
def split_profile(arg, default_dsn):
    path, sep, dsn = arg.partition("@")
    return path, (dsn if sep else default_dsn)


# Command line.
def parse_args(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("data", help="data set folder")
    p.add_argument("--profile", action="append", required=True, metavar="FILE[@DSN]",
                   help="profile JSON (repeatable); @DSN gives a postgres profile its own connection")
    p.add_argument("--dsn", default="", help="libpq connection string for postgres profiles "
                   "(default: empty, i.e. PGHOST/PGPORT/PGDATABASE/... from the environment)")
    p.add_argument("--only", metavar="REGEX", help="run only configurations whose name matches "
                   "(disabled ones included)")
    p.add_argument("--all", action="store_true", help="also run configurations marked \"enabled\": false")
    p.add_argument("--metric", choices=["l2", "ip", "cosine"], help="default: info.json's metric, else l2")
    p.add_argument("--k", type=int, default=10, help="LIMIT of the timed queries (default 10)")
    p.add_argument("--recall", default="1,10,100", help="recall@ values to report (default 1,10,100); "
                   "values above --k come from an extra untimed pass")
    p.add_argument("--no-deep-recall", action="store_true", help="skip that extra pass")
    p.add_argument("--queries", type=int, help="use only the first N queries")
    p.add_argument("--clients", type=int, default=os.cpu_count(),
                   help="concurrent clients for the second measurement (default: CPU count; <2 skips it)")
    p.add_argument("--runs", type=int, default=1, help="timed passes per point; the fastest is reported "
                   "(default 1; use 3 or more on a machine shared with other work)")
    p.add_argument("--warmup", type=int, default=50, help="untimed queries before each measurement")
    p.add_argument("--table", default="bench_items", help="table name (dropped and recreated)")
    p.add_argument("--keep-table", action="store_true", help="do not drop the table at the end")
    p.add_argument("--keep-index", action="store_true", help="do not drop each index after its sweep")
    p.add_argument("--faiss-build-threads", type=int, help="Faiss build threads (default: CPU count)")
    p.add_argument("--out", default=os.path.join(here, "out"), help="output folder (default bench/out)")
    p.add_argument("--name", help="file name stem (default: data set name + time)")
    a = p.parse_args(argv)
    a.recall_ks = sorted({int(x) for x in a.recall.split(",") if x.strip()})
    if a.k < 1 or a.runs < 1 or not a.recall_ks or min(a.recall_ks) < 1:
        p.error("--k and --recall values must be positive")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", a.table):
        p.error("--table must be a plain identifier")
    return a


# Log to stderr so stdout carries only the table.
def log(msg):
    print(msg, file=sys.stderr, flush=True)


# Engine object for a profile.
def make_engine(profile, ds, args):
    if profile.engine == "faiss":
        from faiss_engine import FaissEngine
        return FaissEngine(profile, ds, args, log)
    from pg_engine import PostgresEngine
    return PostgresEngine(profile, ds, args, log)


# Server version and extension versions, for the report (postgres profiles).
def server_info(dsn):
    from pg_engine import connect
    try:
        conn = connect(dsn)
        cur = conn.cursor()
        cur.execute("SHOW server_version")
        version = cur.fetchone()[0]
        cur.execute("SELECT extname || ' ' || extversion FROM pg_extension ORDER BY 1")
        exts = [r[0] for r in cur.fetchall()]
        settings = {}
        for name in ("shared_buffers", "maintenance_work_mem", "work_mem", "max_parallel_maintenance_workers",
                     "max_parallel_workers_per_gather", "jit"):
            cur.execute(f"SHOW {name}")
            settings[name] = cur.fetchone()[0]
        conn.close()
        return {"server_version": version, "extensions": exts, "settings": settings}
    except Exception as e:  # informational only
        return {"error": str(e).strip()}


# One output row from a configuration, its build and a measured sweep point.
def make_row(profile, config, load, info, point, m, ds, args):
    row = {"profile": profile.name, "engine": profile.engine, "config": config["name"],
           "point": point["label"] if point else "-", "settings": point["set"] if point else {},
           "clients": args.clients if args.clients > 1 else None,
           "load_s": load.get("load_s"), "table_bytes": load.get("table_bytes")}
    for key in ("build_s", "index_bytes", "build_peak_mb", "build_vmhwm_mb", "build_mem_note"):
        row[key] = info.get(key)
    row["index_mb"] = info["index_bytes"] / 2**20 if info.get("index_bytes") is not None else None
    if info.get("error") or m is None:
        row["error"] = info.get("error")
        return row
    if m.get("error"):
        row["error"] = m["error"]
        return row
    for kk in args.recall_ks:
        src = m["results"] if kk <= args.k else m.get("results_deep")
        row[f"recall@{kk}"] = recall_at(src, ds.gt_ids, ds.gt_dist, kk) if src is not None else None
    for key, val in m.items():
        if not key.startswith("results"):
            row[key] = val
    row["queries"] = len(m["results"])
    row["loadavg_1m"] = round(os.getloadavg()[0], 2)  # other work on the machine skews timings
    row["returned_mean"] = sum(len(r) for r in m["results"]) / len(m["results"])
    return row


def main(argv=None):
    args = parse_args(argv)
    ds = Dataset(args.data, args.metric, args.queries)
    log(f"data set {ds.name}: {ds.rows} x {ds.dim} {ds.metric}, {len(ds.query)} queries, "
        f"ground truth k={ds.gt_k} (distances: {ds.gt_dist_source})")
    profiles = []
    for arg in args.profile:
        path, dsn = split_profile(arg, args.dsn)
        profiles.append(Profile(path, dsn))
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    meta = {"dataset": ds.describe(), "k": args.k, "recall_ks": args.recall_ks, "clients": args.clients,
            "warmup": args.warmup, "runs": args.runs, "started": stamp, "command": sys.argv,
            "machine": {"host": platform.node(), "cpus": os.cpu_count(), "platform": platform.platform(),
                        "cpu": cpu_model(), "loadavg_start": os.getloadavg()},
            "profiles": {}}
    rows = []
    for prof in profiles:
        configs = prof.selected(args.only, args.all)
        meta["profiles"][prof.name] = {"path": prof.path, "engine": prof.engine,
                                       "configs": [c["name"] for c in configs]}
        if not configs:
            log(f"[{prof.name}] no configuration selected")
            continue
        engine = make_engine(prof, ds, args)
        load = engine.load()
        if prof.engine == "postgres":
            meta["profiles"][prof.name]["server"] = server_info(prof.dsn)
            for key in ("setup", "session", "build_session"):
                meta["profiles"][prof.name][key] = prof.doc.get(key, [])
        for config, info, point, m in engine.run(configs):
            row = make_row(prof, config, load, info, point, m, ds, args)
            rows.append(row)
            if config.get("index") and point and "Index" not in str(row.get("plan")):
                row["warning"] = "plan does not use the index"
                log(f"[{prof.name}] WARNING: {config['name']} {row['point']}: plan does not use the index: "
                    f"{row.get('plan')}")
            if not row.get("error"):
                log(f"[{prof.name}] {config['name']} {row['point']}: recall@10 {fmt(row.get('recall@10'))}, "
                    f"QPS {fmt(row.get('qps_1'), '{:.0f}')}, plan {row.get('plan')}")
        if prof.engine == "postgres" and not args.keep_table:
            from pg_engine import connect
            conn = connect(prof.dsn)
            conn.cursor().execute(f"DROP TABLE IF EXISTS {args.table}")
            conn.close()
    meta["loadavg_end"] = os.getloadavg()
    busy = [r["loadavg_1m"] for r in rows if r.get("loadavg_1m") is not None]
    stem = args.name or f"{ds.name}-{stamp}"
    paths = write_all(args.out, stem, meta, rows)
    print(f"# {ds.name}: {ds.rows} x {ds.dim} {ds.metric}, {len(ds.query)} queries, k={args.k}, "
          f"N={args.clients} clients")
    print(text_table(rows))
    for r in rows:
        if r.get("error"):
            print(f"# error in {r['profile']}: {r['config']} {r['point']}: {r['error']}")
    if busy and max(busy) > os.cpu_count() + 1:  # the benchmark itself keeps about N busy
        print(f"# warning: 1-minute load average reached {max(busy):.1f} on {os.cpu_count()} CPUs during "
              f"the run: timings are likely skewed by other work")
    for kind, path in paths.items():
        print(f"# {kind}: {path}")
    return 1 if any(r.get("error") for r in rows) else 0


# A value for a log line.
def fmt(v, f="{:.3f}"):
    return "-" if v is None else f.format(v)


# CPU model name from /proc/cpuinfo, if there is one.
def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


if __name__ == "__main__":
    sys.exit(main())
