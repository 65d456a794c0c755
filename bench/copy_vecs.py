#!/usr/bin/python3
"""Writes a data set file to stdout for psql's COPY FROM STDIN (bench/binary_scan.sh).

  copy_vecs.py base DIR [ROWS]   COPY BINARY rows (id, vector): 0-based row ids, the
                                 first ROWS rows of DIR/base.fvecs (default all)
  copy_vecs.py query DIR         the same for DIR/query.fvecs
  copy_vecs.py truth DIR         text rows (query id, int[] of the 10 nearest row ids)
                                 from DIR/groundtruth.ivecs
"""
import sys

import numpy as np

from copy_binary import CopyStream
from vecs_io import read_ivecs


def main():
    what, folder = sys.argv[1], sys.argv[2]
    out = sys.stdout.buffer
    if what == "truth":
        gt = read_ivecs(f"{folder}/groundtruth.ivecs")
        for q, row in enumerate(gt):
            out.write(f"{q}\t{{{','.join(str(int(x)) for x in row[:10])}}}\n".encode())
        return
    name = "base" if what == "base" else "query"
    # Memory-mapped, so a 3 GB base file streams without being read whole.
    raw = np.memmap(f"{folder}/{name}.fvecs", dtype=np.uint8, mode="r")
    d = int(raw[:4].view("<i4")[0])
    rows = raw.size // (4 + 4 * d)
    if len(sys.argv) > 3:
        rows = min(rows, int(sys.argv[3]))
    vectors = raw[: rows * (4 + 4 * d)].reshape(rows, 4 + 4 * d)[:, 4:].view("<f4")
    stream = CopyStream(vectors)
    while True:
        chunk = stream.read(1 << 20)
        if not chunk:
            break
        out.write(chunk)


if __name__ == "__main__":
    main()
