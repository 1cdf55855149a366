from django.db import migrations


class Migration(migrations.Migration):
    """Certificate batches belong to the decisions app now (decisions 0006 takes the table as it
    is): only the state forgets the model here; no table or row is touched."""

    dependencies = [
        ('documents', '0007_batch_progressed_at'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='CertificateBatch')],
            database_operations=[],
        ),
    ]
