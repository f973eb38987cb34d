"""Département neighbours as data (fixtures/territories/generate.py computes them from the communes' outlines).

Databases loaded before this field existed get Grand Est's, as the code held them until now.
"""

from django.db import migrations, models


GRAND_EST = {
    "08": ["51", "55"],
    "10": ["51", "52"],
    "51": ["08", "10", "52", "55"],
    "52": ["10", "51", "55", "88"],
    "54": ["55", "57", "67", "88"],
    "55": ["08", "51", "52", "54", "88"],
    "57": ["54", "67"],
    "67": ["54", "57", "68", "88"],
    "68": ["67", "88"],
    "88": ["52", "54", "55", "67", "68"],
}


def fill_grand_est(apps, schema_editor):
    Department = apps.get_model("directory", "Department")
    existing = set(Department.objects.values_list("code", flat=True))
    for code, others in GRAND_EST.items():
        if code in existing:
            Department.objects.get(code=code).neighbours.add(*[other for other in others if other in existing])


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0012_meeting_search_columns'),
    ]

    operations = [
        migrations.AddField(
            model_name='department',
            name='neighbours',
            field=models.ManyToManyField(blank=True, to='directory.department', verbose_name='départements voisins'),
        ),
        migrations.RunPython(fill_grand_est, migrations.RunPython.noop),
    ]
