"""Keys that keep the lists fast as they grow (issue 12).

- ``Nominee.person_key`` (folded name + birth year), filled here for existing rows: the
  same-person warnings look it up by index.
- ``subject_identity``: the subject-matching rule's full key, so an import's lines are found by
  index whatever the register's size.
- On PostgreSQL, the register search's ``LIKE '%…%'`` on ``name_folded`` is served by a pg_trgm
  GIN index. The extension is created where the database role may; where it may not (a managed
  database that refuses), the migration goes on without the index — the search gives the same
  rows, only slower — and says so. SQLite reads the folded column.
"""

import sys

from django.db import migrations, models, transaction

TRGM_INDEX = "nominations_subject_name_trgm"


def fill_person_keys(apps, schema_editor):
    Nominee = apps.get_model("nominations", "Nominee")
    batch = []
    for nominee in Nominee.objects.only("pk", "name_folded", "birth_year").iterator(
            chunk_size=2000):
        nominee.person_key = f"{nominee.name_folded}|{nominee.birth_year or ''}"
        batch.append(nominee)
        if len(batch) >= 2000:
            Nominee.objects.bulk_update(batch, ["person_key"])
            batch = []
    Nominee.objects.bulk_update(batch, ["person_key"])


def trigram_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            try:
                with transaction.atomic(using=connection.alias):
                    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            except Exception as error:  # noqa: BLE001 - no right to create it: go on without
                sys.stderr.write(f"pg_trgm not available ({error}); the register search works "
                                 "without its index.\n")
                return
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON nominations_subject "
                       "USING gin (name_folded gin_trgm_ops)")


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRGM_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ('nominations', '0009_renormalise_text'),
        ('orgs', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='nominee',
            name='person_key',
            field=models.CharField(db_index=True, default='', editable=False, max_length=262),
        ),
        migrations.AddIndex(
            model_name='subject',
            index=models.Index(fields=['name_folded', 'birth_year', 'unit_folded'],
                               name='subject_identity'),
        ),
        migrations.RunPython(fill_person_keys, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
