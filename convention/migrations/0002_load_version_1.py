"""Load the convention's published text as version 1, article by article."""

from pathlib import Path

from django.conf import settings
from django.db import migrations

TEXT = Path(__file__).resolve().parent.parent / "data" / "convention-v1.zh.txt"


def load(apps, schema_editor):
    from convention.text.parse import parse

    Version = apps.get_model("convention", "ConventionVersion")
    Article = apps.get_model("convention", "Article")
    if Version.objects.filter(number=1).exists():
        return
    parsed = parse(TEXT.read_text(encoding="utf-8"))
    version = Version.objects.create(
        number=1, title=parsed.title, effective_date=settings.CONVENTION_V1_EFFECTIVE_DATE,
        adopted_note="初始文本",
    )
    Article.objects.bulk_create(
        Article(version=version, number=a.number, chapter_number=a.chapter_number,
                chapter_title=a.chapter_title, text=a.text)
        for a in parsed.articles
    )


def unload(apps, schema_editor):
    apps.get_model("convention", "ConventionVersion").objects.filter(number=1).delete()


class Migration(migrations.Migration):
    dependencies = [("convention", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
