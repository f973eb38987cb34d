"""Where a page's time goes in SQL: each query of a request, timed, and the plan of the slowest.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/entraide_bench_100k \\
        .venv/bin/python bench/explain.py / /reunions/ /territoires/57-moselle/ [--plans 2]

Runs each URL through Django's test client on the database of DATABASE_URL (a
benchmark database of bench/http_bench.py), prints the time of the whole request
and of each SQL query, then `EXPLAIN (ANALYZE, BUFFERS)` of the slowest ones.
Read-only but for the stale next occurrences the finder refreshes itself.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entraide.settings")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--plans", type=int, default=2, help="plans of the N slowest queries per URL")
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for url in args.urls:
        client.get(url)  # warm: templates, caches, stale rows
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            status = client.get(url).status_code
        total = (time.perf_counter() - started) * 1000
        queries = captured.captured_queries
        sql_ms = sum(float(q["time"]) for q in queries) * 1000
        print(f"\n## {url}: HTTP {status}, {total:.0f} ms, {len(queries)} queries, {sql_ms:.0f} ms in SQL")
        for query in queries:
            print(f"- {float(query['time']) * 1000:7.1f} ms  {query['sql'][:160]}")
        if connection.vendor != "postgresql":
            continue
        for query in sorted(queries, key=lambda q: -float(q["time"]))[: args.plans]:
            if not query["sql"].lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
            print(f"\n```\n{query['sql'][:2000]}\n\n{plan}\n```")


if __name__ == "__main__":
    main()
