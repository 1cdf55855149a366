"""Numbers are unique by their symbol's key; free-text fields state their limits."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("decisions", "0007_number_keys_and_verify_codes"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="decision",
            name="decision_number_once_per_series_and_year",
        ),
        migrations.RemoveConstraint(
            model_name="proposal",
            name="proposal_number_once_per_series_and_year",
        ),
        migrations.AddConstraint(
            model_name="decision",
            constraint=models.UniqueConstraint(
                condition=models.Q(("state", "issued")),
                fields=("issuer", "series_key", "year", "number"),
                name="decision_number_once_per_series_key_and_year"),
        ),
        migrations.AddConstraint(
            model_name="proposal",
            constraint=models.UniqueConstraint(
                condition=models.Q(("state", "draft"), _negated=True),
                fields=("proposer", "series_key", "year", "number"),
                name="proposal_number_once_per_series_key_and_year"),
        ),
        migrations.AlterField(
            model_name="award",
            name="citation",
            field=models.TextField(max_length=1000, verbose_name="Trích lời khen"),
        ),
        migrations.AlterField(
            model_name="decision",
            name="legal_grounds",
            field=models.TextField(max_length=4000, verbose_name="Căn cứ"),
        ),
        migrations.AlterField(
            model_name="proposal",
            name="grounds",
            field=models.TextField(max_length=4000, verbose_name="Căn cứ"),
        ),
        migrations.AlterField(
            model_name="proposal",
            name="return_reason",
            field=models.TextField(blank=True, max_length=2000,
                                   verbose_name="Nội dung cấp trên yêu cầu bổ sung"),
        ),
    ]
