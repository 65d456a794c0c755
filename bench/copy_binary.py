"""COPY ... FROM STDIN (FORMAT BINARY) stream of (id integer, embedding vector) rows.

The vector's binary form is pgvector's wire layout, which vector_ext keeps:
int16 dimension count, int16 unused (0), then big-endian float32 values.
"""
import numpy as np

HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
TRAILER = b"\xff\xff"


# numpy record layout of one COPY tuple for dimension d (packed, big-endian).
def tuple_dtype(d):
    return np.dtype([("nfields", ">i2"), ("id_len", ">i4"), ("id", ">i4"),
                     ("vec_len", ">i4"), ("dim", ">i2"), ("unused", ">i2"), ("v", ">f4", (d,))])


# Encode rows [start, start+len(vectors)) as COPY BINARY tuple bytes.
def encode_rows(vectors, start):
    n, d = vectors.shape
    rec = np.zeros(n, dtype=tuple_dtype(d))
    rec["nfields"] = 2
    rec["id_len"] = 4
    rec["id"] = np.arange(start, start + n, dtype=np.int64)
    rec["vec_len"] = 4 + 4 * d
    rec["dim"] = d
    rec["v"] = vectors
    return rec.tobytes()


class CopyStream:
    """File-like reader producing the whole COPY BINARY stream in chunks (for copy_expert)."""

    # vectors: (n, d) float32; ids are the row numbers 0..n-1.
    def __init__(self, vectors, chunk_bytes=4 << 20):
        self.vectors = vectors
        self.chunk_rows = max(1, chunk_bytes // (18 + 4 * vectors.shape[1]))
        self.next_row = 0
        self.chunks = [HEADER]
        self.done = False

    # Encode the next chunk of rows (or the trailer); False when nothing is left.
    def _more(self):
        if self.done:
            return False
        if self.next_row >= len(self.vectors):
            self.chunks.append(TRAILER)
            self.done = True
            return True
        end = min(self.next_row + self.chunk_rows, len(self.vectors))
        self.chunks.append(encode_rows(self.vectors[self.next_row:end], self.next_row))
        self.next_row = end
        return True

    # Return the next piece of the stream (at most size bytes when size > 0; b"" at the end).
    def read(self, size=-1):
        while not self.chunks:
            if not self._more():
                return b""
        head = self.chunks[0]
        if size is None or size < 0 or size >= len(head):
            self.chunks.pop(0)
            return head
        self.chunks[0] = head[size:]
        return head[:size]

    readline = read
