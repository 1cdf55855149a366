"""Number keys for decisions and proposals, verification codes for awards.

Every row gets ``series_key`` (number_key of its symbol). Two issued decisions (or two sent
proposals) of one issuer, year and number whose symbols differ only by case, spaces, dashes or
Đ/đ were possible before: the migration does not fail on them. The oldest (lowest id) keeps the
plain key; each later one gets the key marked with its id (" #<id>"), so the unique index of
0008 can be built, its page says its number duplicates an earlier one, and the migration prints
which rows it marked. Nothing else about them changes: an issued decision never does.

Every award that already has a serial gets a verification code, so a reprint carries it; the
certificates printed before keep working without one (the page then shows less).
"""

import secrets
from collections import defaultdict

from django.db import migrations, models

from thidua.core.numbers import number_key

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # as thidua.decisions.verification, frozen here


def keys(apps, schema_editor):
    for model, owner, counted in [("Decision", "issuer_id", {"issued"}),
                                  ("Proposal", "proposer_id", {"sent", "returned", "decided"})]:
        Model = apps.get_model("decisions", model)
        seen = defaultdict(list)
        for row in Model.objects.order_by("pk").only("pk", "series", "number", "year", "state",
                                                     owner):
            key = number_key(row.series)
            if row.state in counted:
                same = seen[(getattr(row, owner), key, row.year, row.number)]
                same.append(row.pk)
                if len(same) > 1:
                    print(f"\n  {model} {row.pk} ({row.number}/{row.series}, {row.year}) has the "
                          f"number of {model} {same[0]}: marked as a duplicate.")
                    key = f"{key} #{row.pk}"
            Model.objects.filter(pk=row.pk).update(series_key=key)


def codes(apps, schema_editor):
    Award = apps.get_model("decisions", "Award")
    for pk in Award.objects.filter(serial__isnull=False, verify_code="").values_list("pk",
                                                                                   flat=True):
        code = "".join(secrets.choice(ALPHABET) for _ in range(8))
        Award.objects.filter(pk=pk).update(verify_code=code)


class Migration(migrations.Migration):

    dependencies = [
        ("decisions", "0006_certificate_batch"),
    ]

    operations = [
        migrations.AddField(
            model_name="award",
            name="verify_code",
            field=models.CharField(blank=True, editable=False, max_length=8,
                                   verbose_name="Mã xác minh"),
        ),
        migrations.AddField(
            model_name="decision",
            name="series_key",
            field=models.CharField(default="", editable=False, max_length=96),
        ),
        migrations.AddField(
            model_name="proposal",
            name="series_key",
            field=models.CharField(default="", editable=False, max_length=96),
        ),
        migrations.RunPython(keys, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(codes, migrations.RunPython.noop, elidable=False),
    ]
