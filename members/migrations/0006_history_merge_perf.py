"""Merge of the history and perf branches' migrations (no operations; the lead may replace it)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_history_first_details_and_schedule"),
        ("members", "0005_perf_search_indexes"),
    ]

    operations: list = []
