#!/usr/bin/env python3
"""Baseline for `lightbox bench persistence`: the same workload through Python's sqlite3 module.

Same schema, same pragmas as Lightbox's SQLite backend (WAL, synchronous=NORMAL), inserts of one row per statement
in transactions of --batch rows, then --reads primary-key lookups. Prints one JSON object on its last line.
"""
import argparse
import json
import random
import sqlite3
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--reads", type=int, default=5000)
    parser.add_argument("path")
    args = parser.parse_args()

    db = sqlite3.connect(args.path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("CREATE TABLE bench_rows (id BIGINT PRIMARY KEY, payload TEXT NOT NULL, n BIGINT NOT NULL)")

    start = time.perf_counter()
    for first in range(0, args.rows, args.batch):
        db.execute("BEGIN IMMEDIATE")
        for i in range(first, min(args.rows, first + args.batch)):
            db.execute("INSERT INTO bench_rows (id, payload, n) VALUES (?, ?, ?)", (i, f"row {i}", i * 7))
        db.execute("COMMIT")
    insert_seconds = time.perf_counter() - start

    samples = []
    start = time.perf_counter()
    for _ in range(args.reads):
        i = random.randrange(args.rows)
        t = time.perf_counter()
        row = db.execute("SELECT payload, n FROM bench_rows WHERE id = ?", (i,)).fetchone()
        samples.append((time.perf_counter() - t) * 1e6)
        assert row is not None
    read_seconds = time.perf_counter() - start
    samples.sort()

    def percentile(p: float) -> float:
        return samples[min(len(samples) - 1, max(0, int(-(-len(samples) * p // 1)) - 1))]

    print(json.dumps({
        "insert_rows_per_s": args.rows / insert_seconds,
        "reads_per_s": args.reads / read_seconds,
        "read_p50_us": percentile(0.5),
        "read_p99_us": percentile(0.99),
    }))


if __name__ == "__main__":
    main()
