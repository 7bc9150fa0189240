#!/usr/bin/env python3
"""Baseline for `lightbox bench queue --backend postgres`: PgQueuer (pip install "pgqueuer[asyncpg]") on the same
workload and the same PostgreSQL server.

It creates a scratch database on the server named by --dsn, installs PgQueuer's schema there, enqueues --jobs no-op
jobs in batches of --enqueue-batch, drains them with --workers queue managers (each on its own connection, claiming
--claim-batch jobs at a time, the fastest settings of PgQueuer's own benchmark on this machine), then drops the
database. Prints one JSON object on its last line.
"""
import argparse
import asyncio
import json
import time
import uuid
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from pgqueuer.db import AsyncpgDriver
from pgqueuer.qm import QueueManager
from pgqueuer.queries import Queries
from pgqueuer.types import QueueExecutionMode


def with_database(dsn: str, name: str) -> str:
    parts = urlsplit(dsn)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


async def drain_worker(dsn: str, claim_batch: int) -> None:
    connection = await asyncpg.connect(dsn)
    manager = QueueManager(Queries(AsyncpgDriver(connection)))

    @manager.entrypoint("noop")
    async def noop(job) -> None:  # noqa: ANN001 - PgQueuer's Job type
        return None

    await manager.run(batch_size=claim_batch, mode=QueueExecutionMode.drain, dequeue_timeout=timedelta(seconds=1))
    await connection.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--jobs", type=int, default=20000)
    parser.add_argument("--enqueue-batch", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--claim-batch", type=int, default=100)
    args = parser.parse_args()

    name = "pgqueuer_bench_" + uuid.uuid4().hex[:8]
    admin = await asyncpg.connect(args.dsn)
    await admin.execute(f"CREATE DATABASE {name}")
    dsn = with_database(args.dsn, name)
    try:
        connection = await asyncpg.connect(dsn)
        queries = Queries(AsyncpgDriver(connection))
        await queries.install()

        start = time.perf_counter()
        for first in range(0, args.jobs, args.enqueue_batch):
            count = min(args.enqueue_batch, args.jobs - first)
            await queries.enqueue(["noop"] * count, [None] * count, [0] * count)
        enqueue_seconds = time.perf_counter() - start

        start = time.perf_counter()
        await asyncio.gather(*(drain_worker(dsn, args.claim_batch) for _ in range(args.workers)))
        drain_seconds = time.perf_counter() - start
        left = await connection.fetchval("SELECT COUNT(*) FROM pgqueuer")
        await connection.close()
        if left:
            raise SystemExit(f"{left} jobs were not drained")
        print(json.dumps({
            "enqueue_jobs_per_s": args.jobs / enqueue_seconds,
            "drain_jobs_per_s": args.jobs / drain_seconds,
            "end_to_end_jobs_per_s": args.jobs / (enqueue_seconds + drain_seconds),
        }))
    finally:
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
