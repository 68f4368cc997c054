
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from members.core import texts_backfill


def code_old_texts(apps, schema_editor):
    """Rows written before codes: those that match a message of the catalogue are coded (issue 13)."""
    texts_backfill.code_notifications(apps.get_model("members", "Notification"))
    for name in ("ApplicationEvent", "WithdrawalEvent"):
        texts_backfill.code_rows(apps.get_model("members", name), "comment", "comment_code", "comment_params",
                                 texts_backfill.EVENT_COMMENT_CODES)
    for name in ("MembershipEvent", "OrganisationDetails"):
        texts_backfill.code_rows(apps.get_model("members", name), "reason", "reason_code", "reason_params",
                                 texts_backfill.REASON_CODES)


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0008_merge_history'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='applicationevent',
            name='comment_code',
            field=models.CharField(blank=True, max_length=64, verbose_name='说明代码'),
        ),
        migrations.AddField(
            model_name='applicationevent',
            name='comment_params',
            field=models.JSONField(blank=True, default=dict, verbose_name='说明参数'),
        ),
        migrations.AddField(
            model_name='membershipevent',
            name='reason_code',
            field=models.CharField(blank=True, max_length=64, verbose_name='理由代码'),
        ),
        migrations.AddField(
            model_name='membershipevent',
            name='reason_params',
            field=models.JSONField(blank=True, default=dict, verbose_name='理由参数'),
        ),
        migrations.AddField(
            model_name='notification',
            name='body_code',
            field=models.CharField(blank=True, max_length=64, verbose_name='内容代码'),
        ),
        migrations.AddField(
            model_name='notification',
            name='params',
            field=models.JSONField(blank=True, default=dict, verbose_name='参数'),
        ),
        migrations.AddField(
            model_name='notification',
            name='subject_code',
            field=models.CharField(blank=True, max_length=64, verbose_name='标题代码'),
        ),
        migrations.AddField(
            model_name='organisationdetails',
            name='reason_code',
            field=models.CharField(blank=True, max_length=64, verbose_name='说明代码'),
        ),
        migrations.AddField(
            model_name='organisationdetails',
            name='reason_params',
            field=models.JSONField(blank=True, default=dict, verbose_name='说明参数'),
        ),
        migrations.AddField(
            model_name='withdrawalevent',
            name='comment_code',
            field=models.CharField(blank=True, max_length=64, verbose_name='说明代码'),
        ),
        migrations.AddField(
            model_name='withdrawalevent',
            name='comment_params',
            field=models.JSONField(blank=True, default=dict, verbose_name='说明参数'),
        ),
        migrations.CreateModel(
            name='AccountPreference',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(choices=[('zh-hans', '简体中文'), ('en', 'English')], default='zh-hans', max_length=16, verbose_name='语言')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='preference', to=settings.AUTH_USER_MODEL, verbose_name='账户')),
            ],
            options={
                'verbose_name': '账户偏好',
                'verbose_name_plural': '账户偏好',
            },
        ),
        migrations.RunPython(code_old_texts, migrations.RunPython.noop),
    ]
