#!/usr/bin/python3
"""Markdown table of GB/s per kernel x dims x ISA from vx_bench_kernels JSON.

    build/vx_bench_kernels --benchmark_min_time=0.1 --benchmark_repetitions=5 \
        --benchmark_out=bench/out/kernels.json --benchmark_out_format=json
    /usr/bin/python3 bench/micro/kernels_table.py bench/out/kernels.json

GB/s is 10^9 bytes per second of operand data. With repetitions, each cell is
the median over repetitions, and the best one in brackets (other load on the
machine only ever slows a run down).
"""
import json
import statistics
import sys
from collections import defaultdict

ISAS = ["scalar", "avx2", "avx512"]


def main(path):
    runs = defaultdict(list)  # (kernel, dims, isa) -> [GB/s]
    order = []
    for b in json.load(open(path))["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        kernel, isa, dims = b["run_name"].split("/")
        if kernel not in order:
            order.append(kernel)
        runs[(kernel, int(dims), isa)].append(b["bytes_per_second"] / 1e9)
    dims_all = sorted({k[1] for k in runs})
    print("| kernel | dims | " + " | ".join(f"{i} GB/s" for i in ISAS) + " | avx512/avx2 | avx512/scalar |")
    print("|---|---:|" + "---:|" * (len(ISAS) + 2))
    for kernel in order:
        for d in dims_all:
            med = {i: statistics.median(runs[(kernel, d, i)]) for i in ISAS if runs.get((kernel, d, i))}
            cells = []
            for i in ISAS:
                if i not in med:
                    cells.append("n/a")
                    continue
                vals = runs[(kernel, d, i)]
                cells.append(f"{med[i]:.1f}" + (f" [{max(vals):.1f}]" if len(vals) > 1 else ""))
            r1 = f"{med['avx512'] / med['avx2']:.2f}x" if "avx512" in med and "avx2" in med else "n/a"
            r2 = f"{med['avx512'] / med['scalar']:.1f}x" if "avx512" in med and "scalar" in med else "n/a"
            print(f"| {kernel} | {d} | " + " | ".join(cells) + f" | {r1} | {r2} |")


if __name__ == "__main__":
    main(sys.argv[1])
