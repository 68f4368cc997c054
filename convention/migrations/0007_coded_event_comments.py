
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('convention', '0006_history_lapsed_yes'),
    ]

    operations = [
        migrations.AddField(
            model_name='proposalevent',
            name='comment_code',
            field=models.CharField(blank=True, max_length=64, verbose_name='说明代码'),
        ),
        migrations.AddField(
            model_name='proposalevent',
            name='comment_params',
            field=models.JSONField(blank=True, default=dict, verbose_name='说明参数'),
        ),
    ]
