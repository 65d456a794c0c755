#!/bin/bash
# Smoke test of the benchmark harness: a tiny synthetic data set, exact search in
# the database plus one Faiss reference; checks that JSON, CSV and PNG files are
# written and that exact search has recall@10 = 1.0.
#
#   test/bench_smoke.sh [DSN] [PROFILE]
#
# DSN defaults to the libpq environment (PGHOST, PGPORT, PGDATABASE, ... as set by
# pg_virtualenv); PROFILE defaults to bench/profiles/vector_ext.json. The database
# must have the profile's extension installed (CREATE EXTENSION is run if needed).
# Example: pg_virtualenv -v 15 test/bench_smoke.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DSN="${1:-}"
PROFILE="${2:-bench/profiles/vector_ext.json}"
PY=/usr/bin/python3
WORK="$(mktemp -d /tmp/bench_smoke.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

# Tiny data set (numpy only, so the test does not depend on ../shared).
$PY - "$WORK/data" <<'PYEOF'
import os, sys
import numpy as np
sys.path.insert(0, "bench")
from vecs_io import write_fvecs, write_ivecs
out = sys.argv[1]
os.makedirs(out)
rng = np.random.default_rng(7)
centers = rng.standard_normal((20, 16)).astype(np.float32) * 3
base = (centers[rng.integers(0, 20, 2000)] + rng.standard_normal((2000, 16))).astype(np.float32)
query = (centers[rng.integers(0, 20, 20)] + rng.standard_normal((20, 16))).astype(np.float32)
d = ((query[:, None, :].astype(np.float64) - base[None, :, :]) ** 2).sum(-1)
gt = np.lexsort((np.broadcast_to(np.arange(2000), d.shape), d), axis=1)[:, :100]
write_fvecs(f"{out}/base.fvecs", base)
write_fvecs(f"{out}/query.fvecs", query)
write_ivecs(f"{out}/groundtruth.ivecs", gt)
PYEOF

# A one-configuration Faiss profile.
cat > "$WORK/faiss.json" <<'JSON'
{"name": "faiss", "engine": "faiss",
 "configs": [{"name": "faiss hnsw M=8", "index": "hnsw", "params": {"M": 8, "efConstruction": 40},
              "sweep": {"efSearch": [16, 64]}}]}
JSON

$PY bench/run.py "$WORK/data" --metric l2 --profile "$PROFILE@$DSN" --only '^(exact|faiss hnsw M=8)$' \
    --profile "$WORK/faiss.json" --clients 2 --warmup 5 --table bench_smoke_items \
    --out "$WORK/out" --name smoke > "$WORK/stdout.txt"
cat "$WORK/stdout.txt"

fail() { echo "bench_smoke: FAIL: $*" >&2; exit 1; }
for f in smoke.json smoke.csv smoke_recall_qps.png smoke_build.png; do
    [ -s "$WORK/out/$f" ] || fail "missing output $f"
done
$PY - "$WORK/out/smoke.json" <<'PYEOF' || fail "checks on smoke.json"
import json, sys
rows = json.load(open(sys.argv[1]))["rows"]
exact = [r for r in rows if r["engine"] == "postgres" and r["config"] == "exact"]
faiss = [r for r in rows if r["engine"] == "faiss"]
assert len(exact) == 1, f"expected one exact row, got {len(exact)}"
e = exact[0]
assert not e.get("error"), e.get("error")
assert e["recall@10"] == 1.0, f"exact recall@10 = {e['recall@10']}"
assert e["recall@1"] == 1.0 and e["recall@100"] == 1.0, (e["recall@1"], e["recall@100"])
assert "Seq Scan" in e["plan"], e["plan"]
assert e["qps_1"] > 0 and e["qps_n"] > 0 and e["p99_ms_1"] >= e["p50_ms_1"] > 0
assert len(faiss) == 2 and all(r["recall@10"] > 0.5 for r in faiss), [r.get("recall@10") for r in faiss]
print("bench_smoke: exact recall@10 = 1.0, %d faiss points, outputs present" % len(faiss))
PYEOF
echo "bench_smoke: PASS"
