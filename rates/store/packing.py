"""A served answer's JSON text, packed for SQLite with zstd.

A quote's answer is some 24 KB of JSON, and the store keeps the very bytes served. On
SQLite that was six overflow pages a quote: each written to the WAL and fsynced, read
back by the checkpoint and written again into the database file, and fsynced again.
Through gunicorn at full load, storing a tenth of it gave a fifth of what a quote costs
beyond the framework's floor back, and took the p99 from 5.5-8.9 ms to 3.3-3.6 ms
(`benchmarks/README.md`, session 17). Packed, the reference answer is 2.3 KB, in 16 us;
read back (support, an order's replay) in 15 us. zstd, rather than the standard
library's zlib, because zlib's fastest level takes 112 us for a larger result: more
than the pages it saves.

A packed answer is a zstd frame, which begins with the bytes 28 B5 2F FD; JSON text
begins with `{`. So a column holds either (rows written before packing are text), and
`unpack` tells them apart. Each thread packs with its own compressor: a zstd context is
not to be shared between threads.
"""

from __future__ import annotations

import threading

import zstandard

LEVEL = 1
"""zstd's fastest level but for the negative ones, which pack the reference answer
into 16% more bytes for 3 us less."""

_local = threading.local()


def pack(text: bytes) -> bytes:
    """`text` as one zstd frame that records its size."""
    compressor = getattr(_local, "compressor", None)
    if compressor is None:
        compressor = _local.compressor = zstandard.ZstdCompressor(level=LEVEL)
    return compressor.compress(text)


def unpack(stored: bytes | str) -> str:
    """The JSON text `pack` packed, or text stored as it was."""
    if isinstance(stored, str):
        return stored
    return zstandard.decompress(stored).decode()
