"""Benchmark the public pages of the finder on a large synthetic directory.

Builds a throwaway database (SQLite file by default, or PostgreSQL with
--postgres), loads the real reference data, adds N fictitious meetings spread
over the region's most populous communes, then requests each page R times
through Django's test client and prints a Markdown table: median and 95th
percentile time, and the number of SQL queries (which must not grow with N).

    .venv/bin/python bench/finder.py --meetings 5000 --repeat 20
    .venv/bin/python bench/finder.py --meetings 20000 --postgres
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "entraide_bench"

PAGES = [
    "/",
    "/reunions/",
    "/reunions/?commune=nancy&rayon=30",
    "/reunions/?commune=strasbourg&rayon=50&jour=mardi&public=entourage",
    "/reunions/?departement=57&departement=54",
    "/reunions/?q=vie+libre",
    "/reunions/?page=40",
    "/territoires/",
    "/territoires/57-moselle/",
    "/communes/57463-metz/",
    "/mouvements/alcooliques-anonymes/",
]


def prepare_database(postgres):
    if postgres:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")
            conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")
        return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + PG_BENCH_DB
    return f"sqlite:///{tempfile.mkdtemp(prefix='bench-')}/db.sqlite3"


def populate(count, seed=1):
    from django.core.management import call_command

    from directory.models import Commune, Group, Meeting, Movement, Venue

    call_command("migrate", verbosity=0)
    call_command(
        "loaddata", "fixtures/territories.json", "fixtures/movements.json", "fixtures/charter.json", verbosity=0
    )
    rng = random.Random(seed)
    communes = list(Commune.objects.order_by("-population")[:400])
    movements = list(Movement.objects.all())
    groups = Group.objects.bulk_create(
        Group(
            movement=rng.choice(movements),
            commune=commune,
            name=f"Groupe de banc d'essai {i}",
            published=True,
            is_demo=True,
        )
        for i, commune in enumerate(rng.choices(communes, k=max(1, count // 4)))
    )
    venues = Venue.objects.bulk_create(
        Venue(
            name=f"Salle d'essai {i}",
            address="1 rue de l'Essai",
            postal_code=g.commune.postal_code,
            commune=g.commune,
            is_demo=True,
        )
        for i, g in enumerate(groups)
    )
    meetings = []
    for i in range(count):
        index = rng.randrange(len(groups))
        monthly = i % 5 == 0
        meetings.append(
            Meeting(
                group=groups[index],
                venue=venues[index],
                weekday=rng.randrange(7),
                frequency="monthly" if monthly else "weekly",
                positions="1,3" if monthly else "",
                interval=1,
                starts_on=date(2026, 1, 5),
                start_time=clock(rng.choice([10, 14, 18, 20])),
                end_time=clock(rng.choice([10, 14, 18, 20]) + 1, 30),
                audience=rng.choice(["tous", "concernes", "entourage"]),
                published=True,
                is_demo=True,
            )
        )
    for meeting in meetings:  # keep end after start whatever the draw
        if meeting.end_time <= meeting.start_time:
            meeting.end_time = clock(meeting.start_time.hour + 1, 30)
    Meeting.objects.bulk_create(meetings, batch_size=2000)


def measure(repeat):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    rows = []
    for url in PAGES:
        client.get(url)  # warm caches and connection
        timings = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
        rows.append((url, statistics.median(timings), p95, len(queries)))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--meetings", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--postgres", action="store_true", help="use PostgreSQL on 127.0.0.1:5432")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ["DATABASE_URL"] = prepare_database(args.postgres)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entraide.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    started = time.perf_counter()
    populate(args.meetings)
    print(f"<!-- {args.meetings} meetings built in {time.perf_counter() - started:.1f} s -->")
    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(f"\n{engine}, {args.meetings} meetings, {args.repeat} requests per page\n")
    print("| page | median (ms) | p95 (ms) | SQL queries |")
    print("|---|---:|---:|---:|")
    for url, median, p95, queries in measure(args.repeat):
        print(f"| `{url}` | {median:.1f} | {p95:.1f} | {queries} |")


if __name__ == "__main__":
    main()
