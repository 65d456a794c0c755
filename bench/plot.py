#!/usr/bin/python3
"""Merge the JSON outputs of several bench/run.py runs into one table, CSV and set of plots.

  bench/plot.py RUN1.json RUN2.json ... [--out bench/out] [--name merged]

Useful when profiles ran separately (e.g. on different servers or days). The runs
should be on the same data set; the first run's metadata titles the plots.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from report import text_table, write_all  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("runs", nargs="+", help="JSON files written by bench/run.py")
    p.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "out"))
    p.add_argument("--name", default="merged")
    a = p.parse_args()
    docs = [json.load(open(path)) for path in a.runs]
    meta = dict(docs[0]["meta"])
    names = {d["meta"]["dataset"]["name"] for d in docs}
    if len(names) > 1:
        print(f"warning: runs are on different data sets: {sorted(names)}", file=sys.stderr)
    meta["merged_from"] = a.runs
    rows = [r for d in docs for r in d["rows"]]
    paths = write_all(a.out, a.name, meta, rows)
    print(text_table(rows))
    for kind, path in paths.items():
        print(f"# {kind}: {path}")


if __name__ == "__main__":
    main()
