"""Fictitious meetings for the HTTP benchmark, spread over the communes by population.

Only ever written into a dedicated benchmark database (entraide_bench_<size>),
never into a fixture: the rows are not marked as demo data so that exports,
feeds and sitemaps carry them like real ones, which is what is being measured.
"""

import random
from datetime import date
from datetime import time as clock

GROUP_SIZE = 3  # meetings per group, on average
VENUE_KINDS = ["salle-municipale", "hopital", "csapa", "local-associatif", "salle-paroissiale", "centre-social"]
VENUE_NAMES = ["Salle des fêtes", "Maison des associations", "Centre social", "CSAPA", "Salle paroissiale", "Hôpital"]
STREETS = ["rue de la République", "place de la Mairie", "rue Jeanne-d'Arc", "avenue de Strasbourg", "rue du Moulin"]


def populate(count, seed=None):
    """Add `count` meetings (with their groups and venues) to an empty directory."""
    from directory.models import Commune, Group, Meeting, Movement, Venue

    M = Meeting
    rng = random.Random(seed if seed is not None else count)
    communes = list(Commune.objects.order_by("insee"))
    weights = [max(c.population or 0, 50) for c in communes]
    movements = list(Movement.objects.filter(published=True).order_by("slug"))
    group_count = max(1, count // GROUP_SIZE)
    places = rng.choices(communes, weights=weights, k=group_count)
    groups = Group.objects.bulk_create(
        (
            Group(
                movement=movements[i % len(movements)],
                commune=commune,
                name=f"{movements[i % len(movements)].acronym or movements[i % len(movements)].name} "
                f"{commune.name} n° {i}",
                published=i % 50 != 0,  # a few drafts, as in real data
                phone="0383000000",
            )
            for i, commune in enumerate(places)
        ),
        batch_size=5000,
    )
    venues = Venue.objects.bulk_create(
        (
            Venue(
                name=f"{VENUE_NAMES[i % len(VENUE_NAMES)]} {i}",
                kind=VENUE_KINDS[i % len(VENUE_KINDS)],
                address=f"{1 + i % 90} {STREETS[i % len(STREETS)]}",
                postal_code=group.commune.postal_code,
                commune=group.commune,
                latitude=group.commune.latitude + rng.uniform(-0.01, 0.01) if i % 2 else None,
                longitude=group.commune.longitude + rng.uniform(-0.01, 0.01) if i % 2 else None,
                wheelchair_accessible=rng.choice([True, False, None]),
            )
            for i, group in enumerate(groups)
        ),
        batch_size=5000,
    )

    def meeting(i):
        group_index = i % len(groups)
        shape = rng.randrange(100)
        online = shape < 8
        hybrid = 8 <= shape < 12
        start = 9 + rng.randrange(12)
        return M(
            group=groups[group_index],
            venue=None if online else venues[group_index],
            modality=M.Modality.ONLINE if online else (M.Modality.HYBRID if hybrid else M.Modality.IN_PERSON),
            video_url="https://visio.example.org/r" if online or hybrid else "",
            weekday=rng.randrange(7),
            frequency="monthly" if 20 <= shape < 35 else "weekly",
            positions=("1,3" if shape < 28 else "-1") if 20 <= shape < 35 else "",
            interval=2 if 35 <= shape < 45 else 1,
            starts_on=date(2026, 1, 5),
            start_time=clock(start, 30 * (i % 2)),
            end_time=clock(start + 2, 0),
            type=M.Type.values[shape % len(M.Type.values)],
            audience=rng.choice(["tous", "tous", "concernes", "entourage"]),
            languages="fr de" if i % 29 == 0 else "fr",
            status="suspended" if 45 <= shape < 49 else ("closed" if shape == 49 else "active"),
            suspended_until=date(2027, 9, 1) if 45 <= shape < 49 else None,
            published=shape != 50,
        )

    Meeting.objects.bulk_create((meeting(i) for i in range(count)), batch_size=5000)
