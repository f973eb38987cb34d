"""Print a Markdown table comparing two labels of bench/results/*.json (p95 in ms, bytes sent at the largest size).

.venv/bin/python bench/compare.py before after
"""

import json
import re
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
SIZES = ["1k", "10k", "100k"]


def load(label):
    found = {}
    for size in SIZES:
        path = RESULTS / f"{label}-{size}.json"
        if path.exists():
            found[size] = json.loads(path.read_text())
    return found


def key(url):
    return re.sub(r"^/reunions/\d+/$", "/reunions/<id>/", url)


def cell(row):
    if row is None:
        return "–"
    if row["status"] != 200:
        return f"{row['status']}".replace("error: ", "")
    return f"{row['p95_ms']:,.0f}"


def main(before, after):
    runs = {label: load(label) for label in (before, after)}
    urls = []
    for label in runs:
        for result in runs[label].values():
            for row in result["rows"]:
                if key(row["url"]) not in urls:
                    urls.append(key(row["url"]))
    rows = {
        (label, size, key(row["url"])): row
        for label, results in runs.items()
        for size, result in results.items()
        for row in result["rows"]
    }
    head = [f"{label} p95 {size}" for label in runs for size in SIZES]
    print("| page | " + " | ".join(head) + f" | {after} sent KB 100k | {after} first byte ms 100k |")
    print("|---|" + "---:|" * (len(head) + 2))
    for url in urls:
        cells = [cell(rows.get((label, size, url))) for label in runs for size in SIZES]
        last = rows.get((after, "100k", url))
        sent = f"{last['sent_bytes'] / 1024:,.1f}" if last and last["status"] == 200 else "–"
        first = f"{last['first_byte_p50_ms']:,.0f}" if last and last["status"] == 200 else "–"
        print(f"| `{url}` | " + " | ".join(cells) + f" | {sent} | {first} |")
    for label, results in runs.items():
        for size, result in results.items():
            rate = result["throughput"]
            print(
                f"\n{label} {size}: static {rate['static']:,.0f} req/s, finder {rate['finder']:,.1f} req/s "
                f"(1/{rate['static'] / rate['finder']:,.0f})",
                end="",
            )
    print()


if __name__ == "__main__":
    main(*(sys.argv[1:3] or ["before", "after"]))
