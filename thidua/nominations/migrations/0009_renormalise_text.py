"""Stored names and units normalised by the one normaliser (core.text), and the folded columns
recomputed: rows written before it may hold "Ð" (U+00D0) for "Đ", Cyrillic look-alikes,
zero-width characters…, and their folded columns were computed by the older folding, so a
search typed either way must find them after this."""

from django.db import migrations

from thidua.core.text import fold, nfc

BATCH = 1000


def _renormalise(model, texts, folds):
    """``texts``: fields normalised in place; ``folds``: folded field → the field it folds."""
    changed = []
    for row in model.objects.only("pk", *texts, *folds).iterator(chunk_size=BATCH):
        before = [getattr(row, name) for name in (*texts, *folds)]
        for name in texts:
            setattr(row, name, nfc(getattr(row, name)))
        for folded, source in folds.items():
            setattr(row, folded, fold(getattr(row, source)))
        if [getattr(row, name) for name in (*texts, *folds)] != before:
            changed.append(row)
    model.objects.bulk_update(changed, [*texts, *folds], batch_size=BATCH)


def forwards(apps, schema_editor):
    _renormalise(apps.get_model("nominations", "Subject"), ("name", "unit_name"),
                 {"name_folded": "name", "unit_folded": "unit_name"})
    _renormalise(apps.get_model("nominations", "Nominee"),
                 ("full_name", "unit_name", "position", "leader", "ethnicity"),
                 {"name_folded": "full_name", "unit_folded": "unit_name"})


class Migration(migrations.Migration):
    dependencies = [("nominations", "0008_text_limits")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
