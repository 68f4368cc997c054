# Pinyin order on every database: a stored key per name (members.sorting), filled for existing rows,
# and the indexes the register's keyset pages and the API cursors read in order.

from django.db import migrations, models

from members.sorting import name_sort_key


def fill_name_sort(apps, schema_editor):
    Organisation = apps.get_model("members", "Organisation")
    batch = []
    for org in Organisation.objects.only("id", "name").iterator(chunk_size=2000):
        org.name_sort = name_sort_key(org.name)
        batch.append(org)
        if len(batch) >= 2000:
            Organisation.objects.bulk_update(batch, ["name_sort"])
            batch = []
    Organisation.objects.bulk_update(batch, ["name_sort"])


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0003_contact_phone_format"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="name_sort",
            field=models.CharField(default="", editable=False, max_length=512, verbose_name="名称排序键"),
        ),
        migrations.RunPython(fill_name_sort, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(fields=["status", "name_sort", "id"], name="org_status_namesort_id_idx"),
        ),
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(fields=["name_sort", "id"], name="org_namesort_id_idx"),
        ),
    ]
