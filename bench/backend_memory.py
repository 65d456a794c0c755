"""Memory of a PostgreSQL backend (and its parallel workers), read from /proc.

Only works when the server runs on this machine and /proc/<pid> is readable;
otherwise every reading is None and the report says "unavailable".
"""
import os
import threading


# Fields (kB) of /proc/<pid>/status as a dict of MB, or None if unreadable.
def proc_status_mb(pid, fields=("VmHWM", "VmRSS", "RssAnon", "RssShmem")):
    try:
        with open(f"/proc/{pid}/status") as f:
            out = {}
            for line in f:
                key, _, rest = line.partition(":")
                if key in fields:
                    out[key] = int(rest.split()[0]) / 1024.0
            return out
    except (OSError, ValueError):
        return None


# Resident kB of each dynamic shared memory segment (/dev/shm/PostgreSQL.*) mapped by
# pid: parallel index builds keep shared state (e.g. a graph) there, invisible in
# RssAnon. Resident, not mapped, size: segments are often sized by maintenance_work_mem.
def dsm_resident_kb(pid):
    seen = {}
    path = None
    try:
        with open(f"/proc/{pid}/smaps") as f:
            for line in f:
                first = line.split(None, 1)[0]
                if "-" in first and not first.endswith(":"):  # a mapping header line
                    parts = line.split()
                    path = parts[5] if len(parts) >= 6 and parts[5].startswith("/dev/shm/PostgreSQL.") else None
                elif path and first == "Rss:":
                    seen[path] = seen.get(path, 0) + int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return {}
    return seen


# Is pid a local postgres process? (Its title is in /proc/<pid>/cmdline.)
def is_local_postgres(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"postgres" in f.read()
    except OSError:
        return False


# Pids of parallel workers serving the backend pid (their title names the leader).
def parallel_workers(pid):
    tag = f"parallel worker for PID {pid}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    if tag in f.read():
                        found.append(int(entry))
            except OSError:
                pass
    return found


class MemorySampler:
    """Samples a backend's private memory (RssAnon) plus its parallel workers' and its DSM segments."""

    # pid: the backend (pg_backend_pid()); period in seconds.
    def __init__(self, pid, period=0.2):
        self.pid = pid
        self.period = period
        self.available = is_local_postgres(pid) and proc_status_mb(pid) is not None
        self.peak_private_mb = 0.0
        self.peak_workers = 0
        self._stop = threading.Event()
        self._thread = None

    # One reading: leader RssAnon + workers' RssAnon.
    def _sample(self):
        total = 0.0
        workers = parallel_workers(self.pid)
        dsm = {}
        for p in [self.pid] + workers:
            st = proc_status_mb(p)
            if st:
                total += st.get("RssAnon", 0.0)
            for seg, kb in dsm_resident_kb(p).items():  # shared: count each segment once
                dsm[seg] = max(dsm.get(seg, 0), kb)
        total += sum(dsm.values()) / 1024.0
        self.peak_private_mb = max(self.peak_private_mb, total)
        self.peak_workers = max(self.peak_workers, len(workers))

    def _loop(self):
        while not self._stop.wait(self.period):
            self._sample()

    def start(self):
        if self.available:
            self._sample()
            self._thread = threading.Thread(target=self._loop, daemon=True)
            self._thread.start()
        return self

    # Stop sampling; return a dict for the report.
    def stop(self):
        if not self.available:
            return {"build_peak_mb": None, "build_vmhwm_mb": None,
                    "build_mem_note": "unavailable (server not local or /proc unreadable)"}
        self._stop.set()
        self._thread.join()
        self._sample()
        st = proc_status_mb(self.pid) or {}
        return {"build_peak_mb": round(self.peak_private_mb, 1),
                "build_vmhwm_mb": round(st.get("VmHWM", 0.0), 1),
                "build_mem_note": "peak of RssAnon of backend + %d parallel worker(s) + resident DSM segments, "
                                  "sampled every %.1fs; "
                                  "VmHWM of backend (includes shared buffers it touched)"
                                  % (self.peak_workers, self.period)}
