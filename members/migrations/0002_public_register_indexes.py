# The public register filtered by status and sorted by name reads this index in order (no temp sort).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0001_initial'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='organisation',
            index=models.Index(fields=['status', 'name', 'id'], name='org_status_name_id_idx'),
        ),
    ]
