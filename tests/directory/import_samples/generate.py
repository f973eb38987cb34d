"""Writes bmlt.json and meeting-guide.json: 60 fictitious meetings each, in real communes of Grand Est.

Built from the specifications (BMLT GetSearchResults rows, all values strings; the
Meeting Guide feed of ../shared/standards/meeting-guide/), never fetched. Run from
the repository root: python tests/directory/import_samples/generate.py
"""

import json
from pathlib import Path

HERE = Path(__file__).parent
# INSEE code, name, postal code: the twelve biggest communes of the region (fixtures/territories.json).
COMMUNES = [
    ("67482", "Strasbourg", "67000"),
    ("51454", "Reims", "51100"),
    ("57463", "Metz", "57000"),
    ("68224", "Mulhouse", "68100"),
    ("54395", "Nancy", "54000"),
    ("68066", "Colmar", "68000"),
    ("10387", "Troyes", "10000"),
    ("08105", "Charleville-Mézières", "08000"),
    ("51108", "Châlons-en-Champagne", "51000"),
    ("57672", "Thionville", "57100"),
    ("67180", "Haguenau", "67500"),
    ("88160", "Épinal", "88000"),
]
NAMES = ["Espoir", "Renaissance", "Sérénité", "Liberté", "Nouveau départ"]
STREETS = ["rue de la Paix", "place de la République", "avenue Foch", "rue Victor Hugo", "rue du Marché"]
GERMAN = {"Strasbourg", "Mulhouse", "Colmar", "Haguenau"}


def coordinates():
    rows = json.loads((HERE.parents[2] / "fixtures" / "territories.json").read_text())
    return {
        r["pk"]: (r["fields"]["latitude"], r["fields"]["longitude"]) for r in rows if r["model"] == "directory.commune"
    }


def meetings():
    coords = coordinates()
    for c, (insee, city, postal_code) in enumerate(COMMUNES):
        lat, lon = coords[insee]
        for i, name in enumerate(NAMES):
            n = c * len(NAMES) + i
            yield {
                "n": n,
                "name": f"{name} {city}",
                "city": city,
                "postal_code": postal_code,
                "street": f"{n + 1} {STREETS[i]}",
                "location": f"Salle {name}",
                "day": (c + 2 * i) % 7,  # 0 = Monday here
                "hour": 18 + i % 3,
                "lat": round(lat + 0.001 * i, 5),
                "lon": round(lon + 0.001 * i, 5),
                "closed": i % 2 == 1,
                "wheelchair": i % 3 == 0,
                "hybrid": i == 4,
                "german": city in GERMAN and i == 2,
            }


def bmlt():
    rows = []
    for m in meetings():
        formats = ["C" if m["closed"] else "O", "D" if m["n"] % 4 else "BT"]
        formats += ["WC"] if m["wheelchair"] else []
        formats += ["DE"] if m["german"] else ["FR"]
        rows.append(
            {
                "id_bigint": str(1000 + m["n"]),
                "service_body_bigint": "12" if m["n"] < 55 else "99",
                "weekday_tinyint": str((m["day"] + 1) % 7 + 1),  # 1 = Sunday
                "start_time": f"{m['hour']}:30:00",
                "duration_time": "01:30:00",
                "meeting_name": f"NA {m['name']}",
                "location_text": m["location"],
                "location_street": m["street"],
                "location_municipality": m["city"],
                "location_postal_code_1": m["postal_code"],
                "location_province": "Grand Est",
                "latitude": str(m["lat"]),
                "longitude": str(m["lon"]),
                "formats": ",".join(formats),
                "venue_type": "3" if m["hybrid"] else "1",
                "virtual_meeting_link": f"https://meet.jit.si/na-{m['n']}" if m["hybrid"] else "",
                "phone_meeting_number": "",
                "comments": "Entrée par la cour." if m["n"] % 5 == 0 else "",
                "location_info": "",
                "lang_enum": "fr",
                "published": "1",
            }
        )
    return rows


def meeting_guide():
    items = []
    for m in meetings():
        types = ["C" if m["closed"] else "O", "D"]
        types += ["X"] if m["wheelchair"] else []
        types += ["DE"] if m["german"] else ["FR"]
        types += ["ONL"] if m["hybrid"] else []
        item = {
            "name": m["name"],
            "slug": f"aa-{m['n']}",
            "day": (m["day"] + 1) % 7,  # 0 = Sunday
            "time": f"{m['hour']}:00",
            "end_time": f"{m['hour'] + 1}:45",
            "location": m["location"],
            "group": f"Groupe {m['name']}",
            "notes": "Sonnez à l'interphone." if m["n"] % 6 == 0 else "",
            "types": types,
            "address": m["street"],
            "city": m["city"],
            "postal_code": m["postal_code"],
            "country": "FR",
            "latitude": m["lat"],
            "longitude": m["lon"],
            "region": m["city"],
        }
        if m["hybrid"]:
            item["conference_url"] = f"https://zoom.us/j/9{m['n']:08d}"
        items.append(item)
    return items


if __name__ == "__main__":
    for filename, data in [("bmlt.json", bmlt()), ("meeting-guide.json", meeting_guide())]:
        (HERE / filename).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
