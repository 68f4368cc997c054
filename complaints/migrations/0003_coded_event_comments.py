
from django.db import migrations, models

from members.core import texts_backfill


def code_old_comments(apps, schema_editor):
    for name in ("ComplaintEvent", "CorrectionEvent", "DisputeEvent"):
        texts_backfill.code_rows(apps.get_model("complaints", name), "comment", "comment_code", "comment_params",
                                 texts_backfill.EVENT_COMMENT_CODES)


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0002_schedule_overdue_and_retention_jobs'),
    ]

    operations = [
        migrations.AddField(
            model_name='complaintevent',
            name='comment_code',
            field=models.CharField(blank=True, max_length=64, verbose_name='说明代码'),
        ),
        migrations.AddField(
            model_name='complaintevent',
            name='comment_params',
            field=models.JSONField(blank=True, default=dict, verbose_name='说明参数'),
        ),
        migrations.AddField(
            model_name='correctionevent',
            name='comment_code',
            field=models.CharField(blank=True, max_length=64, verbose_name='说明代码'),
        ),
        migrations.AddField(
            model_name='correctionevent',
            name='comment_params',
            field=models.JSONField(blank=True, default=dict, verbose_name='说明参数'),
        ),
        migrations.AddField(
            model_name='disputeevent',
            name='comment_code',
            field=models.CharField(blank=True, max_length=64, verbose_name='说明代码'),
        ),
        migrations.AddField(
            model_name='disputeevent',
            name='comment_params',
            field=models.JSONField(blank=True, default=dict, verbose_name='说明参数'),
        ),
        migrations.RunPython(code_old_comments, migrations.RunPython.noop),
    ]
