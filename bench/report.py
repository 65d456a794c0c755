"""Report: table on stdout, JSON and CSV files, recall-vs-QPS and build plots."""
import csv
import json
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

CSV_COLUMNS = ["profile", "engine", "config", "point", "recall@1", "recall@10", "recall@100",
               "qps_1", "p50_ms_1", "p95_ms_1", "p99_ms_1", "clients", "qps_n", "p50_ms_n", "p95_ms_n",
               "p99_ms_n", "build_s", "index_mb", "build_peak_mb", "build_vmhwm_mb", "load_s", "plan", "error"]

TABLE_COLUMNS = [("config", "label", "{}"), ("point", "point", "{}"), ("r@1", "recall@1", "{:.3f}"),
                 ("r@10", "recall@10", "{:.3f}"), ("r@100", "recall@100", "{:.3f}"),
                 ("QPS", "qps_1", "{:.0f}"), ("p50ms", "p50_ms_1", "{:.2f}"), ("p99ms", "p99_ms_1", "{:.2f}"),
                 ("QPS@N", "qps_n", "{:.0f}"), ("p99ms@N", "p99_ms_n", "{:.2f}"),
                 ("build_s", "build_s", "{:.1f}"), ("size_MB", "index_mb", "{:.1f}"),
                 ("mem_MB", "build_peak_mb", "{:.0f}")]


# Format a value for the text table ("-" when missing).
def cell(value, fmt):
    if value is None or value == "":
        return "-"
    try:
        return fmt.format(value)
    except (ValueError, TypeError):
        return str(value)


# Fixed-width text table of all rows.
def text_table(rows):
    head = [c[0] for c in TABLE_COLUMNS]
    body = [[cell(dict(r, label=label_of(r)).get(key), fmt) for _, key, fmt in TABLE_COLUMNS] for r in rows]
    widths = [max(len(h), *(len(b[i]) for b in body)) if body else len(h) for i, h in enumerate(head)]
    lines = ["  ".join(h.ljust(w) if i < 2 else h.rjust(w) for i, (h, w) in enumerate(zip(head, widths)))]
    for b in body:
        lines.append("  ".join(v.ljust(w) if i < 2 else v.rjust(w) for i, (v, w) in enumerate(zip(b, widths))))
    return "\n".join(lines)


# Write the CSV file.
def write_csv(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in CSV_COLUMNS})


# Write the JSON file: run metadata plus every row.
def write_json(path, meta, rows):
    with open(path, "w") as f:
        json.dump({"meta": meta, "rows": rows}, f, indent=1)
        f.write("\n")


# Legend label of a row: "profile: config", without repeating the profile name.
def label_of(r):
    if r["config"].lower().startswith(r["profile"].lower()):
        return r["config"]
    return f"{r['profile']}: {r['config']}"


# Curves of recall@10 against QPS, one per configuration, log QPS axis.
def plot_recall_qps(path, rows, qps_key, title):
    curves = {}
    for r in rows:
        if r.get("recall@10") is not None and r.get(qps_key):
            curves.setdefault(label_of(r), []).append((r["recall@10"], r[qps_key]))
    if not curves:
        return False
    fig, ax = plt.subplots(figsize=(8, 5.5))
    for label, pts in curves.items():
        pts.sort()
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=label)
    ax.set_yscale("log")
    ax.set_xlabel("recall@10")
    ax.set_ylabel("queries per second (log)")
    ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


# Bar charts of build time and index size, one bar per built configuration.
def plot_build(path, rows, title):
    seen = {}
    for r in rows:
        if r.get("build_s") is not None:
            seen.setdefault(label_of(r), (r["build_s"], r.get("index_mb") or 0))
    if not seen:
        return False
    labels = list(seen)
    fig, axes = plt.subplots(1, 2, figsize=(11, 0.6 * len(labels) + 2))
    for ax, idx, name in ((axes[0], 0, "build time (s)"), (axes[1], 1, "index size (MB)")):
        vals = [seen[lb][idx] for lb in labels]
        ax.barh(labels, vals, color="tab:blue" if idx == 0 else "tab:orange")
        for y, v in enumerate(vals):
            ax.text(v, y, f" {v:.1f}", va="center", fontsize=8)
        ax.set_xlabel(name)
        ax.invert_yaxis()
    axes[1].set_yticklabels([])
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


# Everything at once; returns the paths written.
def write_all(out_dir, stem, meta, rows):
    os.makedirs(out_dir, exist_ok=True)
    paths = {"json": os.path.join(out_dir, stem + ".json"), "csv": os.path.join(out_dir, stem + ".csv")}
    write_json(paths["json"], meta, rows)
    write_csv(paths["csv"], rows)
    ds = meta["dataset"]
    title = f"{ds['name']}: {ds['rows']} x {ds['dim']} {ds['metric']}, k={meta['k']}"
    p = os.path.join(out_dir, stem + "_recall_qps.png")
    if plot_recall_qps(p, rows, "qps_1", title + ", 1 client"):
        paths["plot"] = p
    if meta.get("clients", 0) > 1:
        p = os.path.join(out_dir, stem + f"_recall_qps_{meta['clients']}clients.png")
        if plot_recall_qps(p, rows, "qps_n", title + f", {meta['clients']} clients"):
            paths["plot_n"] = p
    p = os.path.join(out_dir, stem + "_build.png")
    if plot_build(p, rows, title):
        paths["build_plot"] = p
    return paths
