"""Measure every open data export on N meetings, in a throwaway database.

    .venv/bin/python bench/exports.py 5000 20000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/entraide_bench .venv/bin/python bench/exports.py 5000

SQLite by default (a temporary file). With DATABASE_URL, the database is
created, filled and dropped. For each size: wall time of a full download,
number of SQL queries, and peak Python memory (tracemalloc, second run).
"""

import os
import random
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="entraide-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entraide.settings")
os.environ["DB_CONN_MAX_AGE"] = "0"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

URLS = [
    "/reunions/export.csv",
    "/reunions/export.csv?departement=57&departement=67",
    "/reunions/export.csv?commune=nancy&rayon=50",
    "/reunions/agenda.ics",
    "/donnees/meeting-guide.json",
    "/donnees/data-inclusion/services.json",
    "/donnees/data-inclusion/structures.json",
    "/donnees/hsds/services?per_page=500",
    "/donnees/hsds.zip",
]


def populate(count):
    from directory.models import Commune, Group, Meeting, Movement, Venue

    M = Meeting

    rng = random.Random(count)
    communes = list(Commune.objects.order_by("-population")[:300])
    movements = list(Movement.objects.all())
    groups = Group.objects.bulk_create(
        Group(movement=rng.choice(movements), commune=commune, name=f"Groupe {i}", published=True, phone="0383000000")
        for i, commune in enumerate(communes * 3)
    )
    venues = Venue.objects.bulk_create(
        Venue(
            name=f"Salle {i}",
            address=f"{i} rue de la Paix",
            postal_code=commune.postal_code,
            commune=commune,
            wheelchair_accessible=rng.choice([True, False, None]),
        )
        for i, commune in enumerate(communes * 2)
    )
    meetings = []
    for i in range(count):
        group = groups[i % len(groups)]
        shape = i % 10
        online = shape == 9
        meetings.append(
            Meeting(
                group=group,
                venue=None if online else venues[i % len(venues)],
                modality=M.Modality.ONLINE if online else M.Modality.IN_PERSON,
                video_url="https://visio.example.org/r" if online else "",
                weekday=i % 7,
                frequency="monthly" if shape in (3, 4) else "weekly",
                positions="1,3" if shape == 3 else ("-1" if shape == 4 else ""),
                interval=2 if shape == 5 else 1,
                starts_on=date(2026, 1, 5),
                start_time=clock(18 + i % 3, 0),
                end_time=clock(20 + i % 3, 0),
                audience=rng.choice(["tous", "concernes", "entourage"]),
                languages="fr de" if i % 13 == 0 else "fr",
                status="suspended" if shape == 6 else "active",
                suspended_until=date(2026, 9, 1) if shape == 6 else None,
                published=True,
            )
        )
    Meeting.objects.bulk_create(meetings, batch_size=2000)


def consume(response):
    if response.streaming:
        size = 0
        for chunk in response.streaming_content:
            size += len(chunk)
        return size
    return len(response.content)


def measure(client, url):
    queries = []

    def count(execute, sql, params, many, context):
        # A wrapper rather than connection.queries: Django resets that log at each request start.
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        start = time.perf_counter()
        response = client.get(url)
        size = consume(response)
        elapsed = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    tracemalloc.start()
    consume(client.get(url))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return elapsed, len(queries), peak, size


def main(sizes):
    print(f"Database: {connection.vendor}")
    print("| meetings | export | time (s) | SQL queries | peak memory (MiB) | size (KiB) |")
    print("|---:|---|---:|---:|---:|---:|")
    for count in sizes:
        old = setup_databases(verbosity=0, interactive=False)
        try:
            call_command("loaddata", "fixtures/territories.json", "fixtures/movements.json", verbosity=0)
            populate(count)
            client = Client()
            for url in URLS:
                elapsed, queries, peak, size = measure(client, url)
                print(f"| {count} | `{url}` | {elapsed:.2f} | {queries} | {peak / 2**20:.1f} | {size / 1024:.0f} |")
        finally:
            teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    os.chdir(ROOT)
    main([int(arg) for arg in sys.argv[1:]] or [5000, 20000])
