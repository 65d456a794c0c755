"""Profiles: JSON files that describe how to benchmark one engine with plain SQL templates.

A profile has an engine ("postgres", the default, or "faiss"), setup SQL, a table
DDL, a query template, per-metric operator/opclass names and a list of
configurations; each configuration has an optional index DDL and a sweep of
query settings. Placeholders {name} are replaced by values from, in order of
precedence: the configuration's params, the metric entry, and the run
({table}, {index}, {dim}, {k}, {metric}). Unknown {words} are left as they are.
See bench/README.md for the full format.
"""
import itertools
import json
import re

PLACEHOLDER = re.compile(r"\{(\w+)\}")


# Replace {key} placeholders found in values; leave other braces alone.
def fill(template, values):
    def sub(m):
        key = m.group(1)
        return str(values[key]) if key in values else m.group(0)
    return PLACEHOLDER.sub(sub, template)


# Expand a sweep given as a list of points or a {setting: [values]} grid into points.
def expand_sweep(sweep):
    if not sweep:
        return [{"label": "default", "set": {}}]
    if isinstance(sweep, dict):
        keys = list(sweep)
        points = []
        for combo in itertools.product(*(sweep[k] if isinstance(sweep[k], list) else [sweep[k]] for k in keys)):
            settings = dict(zip(keys, combo))
            label = " ".join(f"{k.split('.')[-1]}={v}" for k, v in settings.items())
            points.append({"label": label, "set": settings})
        return points
    points = []
    for p in sweep:
        settings = dict(p.get("set", {}))
        label = p.get("label") or " ".join(f"{k.split('.')[-1]}={v}" for k, v in settings.items()) or "default"
        points.append({"label": label, "set": settings, "sql": list(p.get("sql", []))})
    return points


class Profile:
    """A parsed profile file."""

    # Read and check a profile; dsn is the connection for postgres profiles.
    def __init__(self, path, dsn=None):
        with open(path) as f:
            doc = json.load(f)
        self.path = path
        self.doc = doc
        self.name = doc.get("name") or re.sub(r"\.json$", "", path.split("/")[-1])
        self.engine = doc.get("engine", "postgres")
        if self.engine not in ("postgres", "faiss"):
            raise ValueError(f"{path}: engine {self.engine!r} is not postgres or faiss")
        self.dsn = dsn
        self.configs = []
        for c in doc.get("configs", []):
            if "name" not in c:
                raise ValueError(f"{path}: a configuration has no name")
            self.configs.append(c)
        if self.engine == "postgres":
            for key in ("table", "query"):
                if key not in doc:
                    raise ValueError(f"{path}: missing {key!r}")

    # Configurations to run: enabled ones, or those whose name matches a pattern.
    def selected(self, only=None, include_disabled=False):
        out = []
        for c in self.configs:
            if only:
                if not re.search(only, c["name"]):
                    continue
            elif not c.get("enabled", True) and not include_disabled:
                continue
            out.append(c)
        return out

    # Values for placeholders of one configuration under a metric.
    def values(self, config, metric, dim, k, table, index):
        metrics = self.doc.get("metrics", {})
        if self.engine == "postgres" and metric not in metrics:
            raise ValueError(f"profile {self.name} has no entry for metric {metric}")
        v = {"table": table, "index": index, "dim": dim, "k": k, "metric": metric}
        v.update(metrics.get(metric, {}))
        v.update(config.get("params", {}))
        return v
