import django.db.models.deletion
import django_fsm
from django.conf import settings
from django.db import migrations, models

OLD_TASK = 'thidua.documents.tasks.print_certificate_batch'
NEW_TASK = 'thidua.decisions.tasks.print_certificate_batch'


def follow_the_move(apps, schema_editor, old=('documents', OLD_TASK), new=('decisions', NEW_TASK)):
    """What names the model or its task by its old place: the content type (and so the model's
    permissions and any log row about a batch) and the tasks still waiting in the queue."""
    ContentType = apps.get_model('contenttypes', 'ContentType')
    if not ContentType.objects.filter(app_label=new[0], model='certificatebatch').exists():
        ContentType.objects.filter(app_label=old[0], model='certificatebatch').update(
            app_label=new[0])
    DBTaskResult = apps.get_model('django_tasks_database', 'DBTaskResult')
    DBTaskResult.objects.filter(task_path=old[1], status='READY').update(task_path=new[1])


def follow_the_move_back(apps, schema_editor):
    follow_the_move(apps, schema_editor, old=('decisions', NEW_TASK), new=('documents', OLD_TASK))


class Migration(migrations.Migration):
    """CertificateBatch moves from the documents app with its rows: the state takes the model
    over the existing table, then the table is renamed. Its index keeps its name."""

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('decisions', '0005_proposal_attachments'),
        ('django_tasks_database', '0021_conditional_partial_index_ordering'),
        ('documents', '0008_certificate_batch_to_decisions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CertificateBatch',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('full_design', models.BooleanField(default=False, verbose_name='In đầy đủ mẫu')),
                        ('state', django_fsm.FSMField(choices=[('queued', 'Đang chờ'), ('running', 'Đang in'), ('done', 'Đã xong'), ('failed', 'Bị lỗi')], default='queued', max_length=16, protected=True, verbose_name='Trạng thái')),
                        ('pages_total', models.PositiveIntegerField(default=0, verbose_name='Tổng số trang')),
                        ('pages_done', models.PositiveIntegerField(default=0, verbose_name='Số trang đã in')),
                        ('file', models.FileField(blank=True, upload_to='certificates/', verbose_name='Tệp PDF')),
                        ('error', models.TextField(blank=True, verbose_name='Lỗi')),
                        ('base_url', models.CharField(max_length=255)),
                        ('task_id', models.CharField(blank=True, max_length=64)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('queued_at', models.DateTimeField(blank=True, null=True)),
                        ('started_at', models.DateTimeField(blank=True, null=True)),
                        ('progressed_at', models.DateTimeField(blank=True, null=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('decision', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='certificate_batches', to='decisions.decision', verbose_name='Quyết định')),
                        ('layout', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='documents.certificatelayout', verbose_name='Mẫu phôi')),
                        ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'lượt in giấy khen',
                        'verbose_name_plural': 'lượt in giấy khen',
                        'ordering': ['-created_at', '-pk'],
                        'db_table': 'documents_certificatebatch',
                        'indexes': [models.Index(fields=['decision', 'state'], name='documents_c_decisio_736d39_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name='certificatebatch', table=None),
        migrations.RunPython(follow_the_move, follow_the_move_back),
    ]
