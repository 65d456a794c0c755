"""Data set files: .fvecs / .ivecs (TEXMEX layout) and the folder that holds them.

A record is a little-endian int32 dimension d followed by d float32 (.fvecs) or
int32 (.ivecs) values. A data set folder holds base.fvecs, query.fvecs,
groundtruth.ivecs and optionally groundtruth.dist.fvecs and info.json
(see ../shared/data/README.md). Self-contained so the harness runs anywhere.
"""
import json
import os

import numpy as np


# Read a whole .fvecs/.ivecs file into an (n, d) array of the given dtype.
def read_vecs(path, dtype):
    raw = np.fromfile(path, dtype=np.uint8)
    if raw.size == 0:
        return np.zeros((0, 0), dtype=dtype)
    d = int(raw[:4].view("<i4")[0])
    rec = 4 + d * np.dtype(dtype).itemsize
    if d <= 0 or raw.size % rec:
        raise ValueError(f"{path}: size {raw.size} is not a whole number of {rec}-byte records")
    rows = raw.reshape(-1, rec)
    if not (rows[:, :4].copy().view("<i4") == d).all():
        raise ValueError(f"{path}: records have differing dimensions")
    return rows[:, 4:].copy().view(dtype).reshape(-1, d)


# Write an (n, d) array as .fvecs or .ivecs, depending on its dtype.
def write_vecs(path, a):
    a = np.ascontiguousarray(a)
    n, d = a.shape
    head = np.full((n, 1), d, dtype="<i4").view(np.uint8)
    np.hstack([head, a.view(np.uint8).reshape(n, -1)]).tofile(path)


def read_fvecs(path):
    return read_vecs(path, "<f4")


def read_ivecs(path):
    return read_vecs(path, "<i4")


def write_fvecs(path, a):
    write_vecs(path, np.asarray(a, dtype="<f4"))


def write_ivecs(path, a):
    write_vecs(path, np.asarray(a, dtype="<i4"))


# Distances as the SQL operators return them: l2 = Euclidean, ip = -dot, cosine = 1 - cos.
def sql_distances(base, query, ids, metric):
    q = query.astype(np.float64)
    out = np.empty(ids.shape, dtype=np.float64)
    for i in range(ids.shape[0]):
        b = base[ids[i]].astype(np.float64)
        if metric == "l2":
            out[i] = np.sqrt(((b - q[i]) ** 2).sum(1))
        elif metric == "ip":
            out[i] = -(b @ q[i])
        else:
            bn = np.linalg.norm(b, axis=1)
            qn = np.linalg.norm(q[i])
            denom = np.where(bn * qn == 0, 1.0, bn * qn)
            out[i] = 1.0 - (b @ q[i]) / denom
    return out


class Dataset:
    """base, query, ground-truth ids and distances of one data set folder."""

    # Load the folder; metric defaults to info.json's, ground truth follows the metric.
    def __init__(self, folder, metric=None, max_queries=None):
        self.folder = os.path.abspath(folder)
        self.name = os.path.basename(self.folder.rstrip("/"))
        info_path = os.path.join(folder, "info.json")
        self.info = {}
        if os.path.exists(info_path):
            with open(info_path) as f:
                self.info = json.load(f)
        self.name = self.info.get("name", self.name)
        self.metric = metric or self.info.get("metric", "l2")
        if self.metric not in ("l2", "ip", "cosine"):
            raise ValueError(f"metric {self.metric!r} is not one of l2, ip, cosine")
        files = self.info.get("files", {})
        self.base = read_fvecs(os.path.join(folder, files.get("base", "base.fvecs")))
        self.query = read_fvecs(os.path.join(folder, files.get("query", "query.fvecs")))
        gt_name = self._groundtruth_file(files)
        self.gt_ids = read_ivecs(os.path.join(folder, gt_name))
        if self.gt_ids.shape[0] != self.query.shape[0]:
            raise ValueError(f"{gt_name}: {self.gt_ids.shape[0]} rows for {self.query.shape[0]} queries")
        if self.base.shape[1] != self.query.shape[1]:
            raise ValueError("base and query vectors differ in dimension")
        if max_queries:
            self.query = self.query[:max_queries]
            self.gt_ids = self.gt_ids[:max_queries]
        dist_path = os.path.join(folder, gt_name[:-len(".ivecs")] + ".dist.fvecs")
        if os.path.exists(dist_path):
            self.gt_dist = read_fvecs(dist_path)[:self.query.shape[0]].astype(np.float64)
            self.gt_dist_source = os.path.basename(dist_path)
        else:  # recompute, so that ties count as hits on every data set
            self.gt_dist = sql_distances(self.base, self.query, self.gt_ids, self.metric)
            self.gt_dist_source = "computed"

    # Pick the ground-truth file for self.metric (info.json may map several metrics).
    def _groundtruth_file(self, files):
        gt = files.get("groundtruth", "groundtruth.ivecs")
        if isinstance(gt, dict):
            if self.metric not in gt:
                raise ValueError(f"no ground truth for metric {self.metric} (have {sorted(gt)})")
            return gt[self.metric]
        if self.metric != self.info.get("metric", self.metric):
            raise ValueError(f"no ground truth for metric {self.metric}")
        return gt

    @property
    def rows(self):
        return self.base.shape[0]

    @property
    def dim(self):
        return self.base.shape[1]

    @property
    def gt_k(self):
        return self.gt_ids.shape[1]

    # Short description for logs and the report.
    def describe(self):
        return {"name": self.name, "folder": self.folder, "rows": self.rows, "dim": self.dim,
                "queries": int(self.query.shape[0]), "metric": self.metric, "gt_k": self.gt_k,
                "gt_dist": self.gt_dist_source}
