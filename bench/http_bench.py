"""What users get: every page type timed over HTTP from gunicorn, on PostgreSQL, with production settings.

    .venv/bin/python bench/http_bench.py                     # 1k, 10k and 100k meetings
    .venv/bin/python bench/http_bench.py --sizes 1000 --label after
    .venv/bin/python bench/http_bench.py --sizes 10000,100000 --only finder,territory --label quick
    .venv/bin/python bench/http_bench.py --sizes 100000 --prepare-only   # fill the database, measure nothing

`--only` keeps the URLs of the named groups (see URL_GROUPS) or containing the
given text; the throughput pass runs only when the finder group is kept.
The environment is passed on to gunicorn: `PAGE_CACHE_SECONDS=0` measures the
pages' cold cost (every request computed), the default what the page cache serves.

For each size N, in a dedicated database `entraide_bench_<N>` (created and
filled once with the reference data and N fictitious meetings spread over the
communes by population, reused while it holds N meetings), the site is served
as the Dockerfile serves it (its gunicorn command, DEBUG=0, collected static
files, whitenoise) on the loopback, then:

- each URL is requested sequentially (a bounded number of times, within a time
  budget): p50 and p95 of the full response, the time to the first byte of the
  body, bytes sent with `Accept-Encoding: gzip` and bytes once decompressed;
- the SQL query count of each URL, from one pass of Django's test client;
- throughput (requests per second, a few client threads, bounded) of a static
  file and of the finder, in the same run.

Results are written to bench/results/<label>-<N>.json and printed as Markdown;
bench/RESULTS.md records them. Loopback only; every loop is bounded; the server
is stopped at the end.
"""

import argparse
import gzip
import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
TMP = RESULTS / "tmp"
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
SIZES = [1000, 10000, 100000]
FIXTURES = ["fixtures/territories.json", "fixtures/movements.json", "fixtures/charter.json"]

PAGES = [
    "/",
    "/reunions/",
    "/reunions/?commune=nancy&rayon=30",
    "/reunions/?departement=57&departement=54",
    "/reunions/?q=vie+libre",
    "/reunions/?q=alcool",
    "/reunions/?page=40",
    "/territoires/",
    "/territoires/57-moselle/",
    "/communes/57463-metz/",
    "/mouvements/alcooliques-anonymes/",
    "/reunions/{meeting}/",
]
EXPORTS = [
    "/reunions/export.csv?departement=57",
    "/reunions/agenda.ics?commune=nancy&rayon=20",
    "/donnees/meeting-guide.json",
    "/sitemap.xml",
]
# `--only` groups: a name selects the URLs it lists; any other word selects the URLs containing it.
URL_GROUPS = {
    "home": ["/"],
    "finder": [url for url in PAGES if url.startswith("/reunions/?") or url == "/reunions/"],
    "territory": [url for url in PAGES if url.startswith(("/territoires/", "/communes/"))],
    "movement": [url for url in PAGES if url.startswith("/mouvements/")],
    "meeting": ["/reunions/{meeting}/"],
    "pages": PAGES,
    "exports": EXPORTS,
}
PAGE_REPEAT = 20
EXPORT_REPEAT = 3
URL_BUDGET_S = 40  # stop repeating a URL after this long (at least 2 requests)
REQUEST_TIMEOUT_S = 180
THROUGHPUT_THREADS = 3
THROUGHPUT_BUDGET_S = 10
THROUGHPUT_MAX = {"static": 3000, "finder": 600}


def size_label(count):
    return f"{count // 1000}k" if count % 1000 == 0 else str(count)


def database_url(count):
    return f"{PG_SERVER}/entraide_bench_{size_label(count)}"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(count):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.production_settings",
        "PYTHONPATH": str(ROOT),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on the loopback
        "BENCH_STATIC_ROOT": str(TMP / "staticfiles"),
        "DATABASE_URL": database_url(count),
        "MAP_TILE_URL": "",
    }


def dockerfile_command(bind):
    """The Dockerfile's CMD, with our interpreter's gunicorn and a loopback address."""
    import re

    cmd = json.loads(re.search(r"^CMD (\[.*\])$", (ROOT / "Dockerfile").read_text(), re.MULTILINE).group(1))
    cmd = [sys.executable, "-m", "gunicorn", *cmd[1:]]
    if "--bind" in cmd:
        cmd[cmd.index("--bind") + 1] = bind
    else:  # `gunicorn -c gunicorn.conf.py`: the command line overrides the file's address
        cmd += ["--bind", bind]
    return cmd


# --- one size, in its own process (Django set up on that size's database) -------------------


def prepare(count):
    import psycopg
    from django.core.management import call_command, get_commands
    from django.db import connection

    name = database_url(count).rsplit("/", 1)[1]
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)
    from directory.models import Commune, Group, Meeting, Venue

    if not Commune.objects.exists():
        call_command("loaddata", *FIXTURES, verbosity=0)
    if Meeting.objects.count() != count:
        print(f"  generating {count} meetings…", flush=True)
        Meeting.objects.all().delete()
        Group.objects.all().delete()
        Venue.objects.all().delete()
        from bench.bench_data import populate

        populate(count)
    # Maintained columns (search, …) are refreshed by the project's own command path, when it has one.
    for command in sorted(name for name in get_commands() if name.startswith("refresh_")):
        call_command(command, verbosity=0)
    with connection.cursor() as cursor:
        # As autovacuum would have done on a live database: the refresh commands rewrote every row,
        # and index-only scans need the visibility map (VACUUM cannot run in a transaction: autocommit).
        cursor.execute("VACUUM ANALYZE")
    call_command("collectstatic", "--noinput", verbosity=0)


def http_get(port, url, gzip_ok=True):
    """(status, seconds to the first body byte, seconds in all, bytes sent, bytes decoded)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)
    headers = {"Host": "127.0.0.1", "Accept-Encoding": "gzip" if gzip_ok else "identity"}
    start = time.perf_counter()
    try:
        conn.request("GET", url, headers=headers)
        response = conn.getresponse()
        first = response.read(1)
        first_byte = time.perf_counter() - start
        body = first + response.read()
        elapsed = time.perf_counter() - start
    except (OSError, http.client.HTTPException) as error:
        return {"status": f"error: {type(error).__name__}", "elapsed": time.perf_counter() - start}
    finally:
        conn.close()
    decoded = gzip.decompress(body) if response.getheader("Content-Encoding") == "gzip" else body
    return {
        "status": response.status,
        "first_byte": first_byte,
        "elapsed": elapsed,
        "sent": len(body),
        "raw": len(decoded),
        "gzip": len(gzip.compress(decoded, 6)),
    }


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def time_url(port, url, repeat):
    samples = []
    started = time.perf_counter()
    for _ in range(repeat):
        sample = http_get(port, url)
        samples.append(sample)
        if sample["status"] != 200 or (len(samples) >= 2 and time.perf_counter() - started > URL_BUDGET_S):
            break
    ok = [s for s in samples if s["status"] == 200]
    if not ok:
        return {"url": url, "status": samples[-1]["status"], "requests": len(samples)}
    times = [s["elapsed"] * 1000 for s in ok]
    return {
        "url": url,
        "status": 200,
        "requests": len(ok),
        "p50_ms": statistics.median(times),
        "p95_ms": percentile(times, 0.95),
        "first_byte_p50_ms": statistics.median(s["first_byte"] * 1000 for s in ok),
        "sent_bytes": ok[-1]["sent"],
        "raw_bytes": ok[-1]["raw"],
        "gzip_bytes": ok[-1]["gzip"],
    }


def throughput(port, url, cap):
    """Requests per second of `url` from a few client threads, bounded in count and time."""
    done = []
    lock = threading.Lock()
    deadline = time.perf_counter() + THROUGHPUT_BUDGET_S

    def worker():
        while time.perf_counter() < deadline:
            with lock:
                if len(done) >= cap:
                    return
                done.append(None)
            http_get(port, url)

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(THROUGHPUT_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(done) / (time.perf_counter() - start)


def query_counts(urls):
    from django.db import connection
    from django.test import Client

    client = Client()
    counts = {}
    for url in urls:
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(url)
            if response.streaming:
                for _ in response.streaming_content:
                    pass
        counts[url] = len(queries) if response.status_code == 200 else f"HTTP {response.status_code}"
    return counts


def static_url():
    from django.contrib.staticfiles.storage import staticfiles_storage

    return staticfiles_storage.url("css/base.css")


def selected(urls, only):
    if not only:
        return list(urls)
    keep = set()
    for word in only:
        keep.update(URL_GROUPS.get(word) or [url for url in urls if word in url])
    return [url for url in urls if url in keep]


def run_one(count, label, only=None, prepare_only=False):
    import django

    django.setup()
    from directory.models import Meeting

    started = time.perf_counter()
    prepare(count)
    if prepare_only:
        print(f"  {database_url(count)} ready: {Meeting.objects.count()} meetings", flush=True)
        return
    meeting = Meeting.objects.public().order_by("pk").values_list("pk", flat=True)[count // 3]
    pages = [url.format(meeting=meeting) for url in selected(PAGES, only)]
    exports = selected(EXPORTS, only)
    with_throughput = not only or "finder" in only
    port = free_port()
    log = (TMP / f"gunicorn-{label}-{size_label(count)}.log").open("wb")
    server = subprocess.Popen(
        dockerfile_command(f"127.0.0.1:{port}"), cwd=ROOT, env=os.environ, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        for _ in range(300):
            if server.poll() is not None:
                raise SystemExit("gunicorn stopped: see " + log.name)
            try:
                if http_get(port, "/robots.txt")["status"] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        for url in ["/", "/reunions/", "/territoires/"] * 3:  # warm every worker's templates
            http_get(port, url)
        rows = [time_url(port, url, PAGE_REPEAT) for url in pages]
        rows += [time_url(port, url, EXPORT_REPEAT) for url in exports]
        static = static_url()
        rates = {}
        if with_throughput:
            rates = {
                "static": throughput(port, static, THROUGHPUT_MAX["static"]),
                "finder": throughput(port, "/reunions/", THROUGHPUT_MAX["finder"]),
            }
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    counts = query_counts(pages + exports)
    for row in rows:
        row["queries"] = counts.get(row["url"])
    result = {
        "label": label,
        "meetings": count,
        "public_meetings": Meeting.objects.public().count(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "rows": rows,
        "throughput": {**rates, "static_url": static},
        "seconds": round(time.perf_counter() - started),
    }
    (RESULTS / f"{label}-{size_label(count)}.json").write_text(json.dumps(result, indent=1))
    print(markdown(result), flush=True)


def kb(value):
    return f"{value / 1024:,.1f}"


def markdown(result):
    lines = [
        f"### {result['label']}, {result['meetings']:,} meetings ({result['public_meetings']:,} public), "
        f"{result['date']}",
        "",
        "| URL | p50 ms | p95 ms | first byte ms | SQL | raw KB | sent KB (gzip asked) | gzip KB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["rows"]:
        if row["status"] != 200:
            lines.append(f"| `{row['url']}` | {row['status']} | | | {row.get('queries', '')} | | | |")
            continue
        lines.append(
            f"| `{row['url']}` | {row['p50_ms']:,.0f} | {row['p95_ms']:,.0f} | {row['first_byte_p50_ms']:,.0f} "
            f"| {row['queries']} | {kb(row['raw_bytes'])} | {kb(row['sent_bytes'])} | {kb(row['gzip_bytes'])} |"
        )
    rates = result["throughput"]
    if "finder" not in rates:
        return "\n".join([*lines, ""])
    lines += [
        "",
        f"Throughput ({THROUGHPUT_THREADS} client threads): static file {rates['static']:,.0f} req/s, "
        f"finder `/reunions/` {rates['finder']:,.1f} req/s (ratio 1/{rates['static'] / rates['finder']:,.0f}).",
        "",
    ]
    return "\n".join(lines)


def sizes(text):
    """`1000,10000` or `1000` (and `--sizes 1000 10000`, as before)."""
    return [int(part) for part in text.split(",") if part.strip()]


def words(text):
    return [part.strip() for part in text.split(",") if part.strip()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes", nargs="*", type=sizes, default=[SIZES], help="meeting counts, e.g. 1000,10000 (default: all)"
    )
    parser.add_argument("--label", default="run")
    parser.add_argument("--only", type=words, default=[], help=f"URL groups or words: {', '.join(URL_GROUPS)}")
    parser.add_argument("--prepare-only", action="store_true", help="create and fill the databases, measure nothing")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    TMP.mkdir(parents=True, exist_ok=True)
    if args.one:
        run_one(args.one, args.label, args.only, args.prepare_only)
        return
    options = ["--label", args.label]
    if args.only:
        options += ["--only", ",".join(args.only)]
    if args.prepare_only:
        options.append("--prepare-only")
    for count in [count for group in args.sizes for count in group]:
        # One process per size: Django is set up once, on that size's database.
        subprocess.run(
            [sys.executable, __file__, "--one", str(count), *options],
            env=production_env(count),
            cwd=ROOT,
            check=True,
        )


if __name__ == "__main__":
    main()
