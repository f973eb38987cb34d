"""Bounded load test of a running server: N concurrent clients for S seconds over a few public pages.

Loopback only (it refuses any other host) and bounded: it stops after --duration
seconds (120 at most) or --max-requests requests, whichever comes first. Each
client keeps one HTTP/1.1 connection and requests the pages in turn, as the
reverse proxy would (Host from --host-header, X-Forwarded-Proto: https,
X-Forwarded-For). Prints requests/s, latency percentiles and errors (any status
other than 200, or a connection failure) as a Markdown table.

    DEBUG=0 SECRET_KEY=… ALLOWED_HOSTS=entraide.example.org PROXY_COUNT=1 \\
        DATABASE_URL=postgres://postgres@127.0.0.1:5432/entraide_bench .venv/bin/gunicorn -c gunicorn.conf.py
    .venv/bin/python bench/load.py --clients 50 --duration 60
"""

import argparse
import http.client
import ipaddress
import socket
import statistics
import sys
import threading
import time

PAGES = [
    "/",
    "/reunions/",
    "/reunions/?commune=nancy&rayon=30",
    "/reunions/?departement=57&jour=mardi",
    "/territoires/",
    "/territoires/54-meurthe-et-moselle/",
    "/mouvements/",
    "/mouvements/vie-libre/",
]
MAX_DURATION = 120
MAX_CLIENTS = 200


def percentile(sorted_values, fraction):
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index]


def client(number, args, deadline, budget, results, lock):
    headers = {"Host": args.host_header, "X-Forwarded-Proto": "https", "X-Forwarded-For": f"192.0.2.{number % 250}"}
    connection = None
    latencies, errors, page = [], [], number % len(PAGES)
    while time.monotonic() < deadline:
        with lock:
            if budget[0] <= 0:
                break
            budget[0] -= 1
        path = PAGES[page]
        page = (page + 1) % len(PAGES)
        started = time.perf_counter()
        try:
            if connection is None:
                connection = http.client.HTTPConnection(args.host, args.port, timeout=30)
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"{response.status} {path}")
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = None
        except (OSError, http.client.HTTPException) as error:
            errors.append(f"{type(error).__name__} {path}")
            if connection is not None:
                connection.close()
            connection = None
        latencies.append(time.perf_counter() - started)
    if connection is not None:
        connection.close()
    with lock:
        results["latencies"].extend(latencies)
        results["errors"].extend(errors)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host-header", default="entraide.example.org")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--max-requests", type=int, default=200_000)
    args = parser.parse_args()

    address = ipaddress.ip_address(socket.gethostbyname(args.host))
    if not address.is_loopback:
        sys.exit(f"Refusé : {args.host} n'est pas une adresse locale (ce script ne charge que 127.0.0.0/8).")
    if not 0 < args.duration <= MAX_DURATION or not 0 < args.clients <= MAX_CLIENTS:
        sys.exit(f"Bornes : 0 < --duration ≤ {MAX_DURATION} s, 0 < --clients ≤ {MAX_CLIENTS}.")

    results, lock, budget = {"latencies": [], "errors": []}, threading.Lock(), [args.max_requests]
    started = time.monotonic()
    deadline = started + args.duration
    threads = [
        threading.Thread(target=client, args=(n, args, deadline, budget, results, lock), daemon=True)
        for n in range(args.clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.duration + 60)
    elapsed = time.monotonic() - started

    latencies = sorted(results["latencies"])
    errors = results["errors"]
    print(f"{args.clients} clients × {args.duration:g} s on http://{args.host}:{args.port}, pages: {', '.join(PAGES)}")
    print()
    print("| requests | errors | requests/s | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | mean (ms) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    ms = [1000 * percentile(latencies, f) for f in (0.50, 0.95, 0.99, 1.0)]
    mean = 1000 * statistics.fmean(latencies) if latencies else float("nan")
    print(
        f"| {len(latencies)} | {len(errors)} | {len(latencies) / elapsed:.1f} | "
        f"{ms[0]:.0f} | {ms[1]:.0f} | {ms[2]:.0f} | {ms[3]:.0f} | {mean:.0f} |"
    )
    if errors:
        print("\nErrors (first 10):", *errors[:10], sep="\n- ")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
