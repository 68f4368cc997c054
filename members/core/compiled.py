"""Queries of one fixed shape, compiled to SQL once per database and run again for each new id.

A public page reads a few small querysets that differ only in an id (an organisation's periods, events,
detail versions). Building and compiling each through the ORM cost more than running it (a profile: four
queries, two thirds of their time in Python). ``ById`` builds the queryset once with a placeholder id,
keeps the compiled SQL and the compiler, and for each call puts the id where the placeholder was, runs
the SQL and makes the objects as Django's own model iterable does (from_db, the backend's converters,
annotations), so the rows are exactly what the queryset would give.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db import connections, router
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)

# An id no row has (ids are positive): where it appears in the parameters, the call's id goes.
_PLACEHOLDER = -7_391_046_215


class ById(Generic[M]):
    """``ById(lambda pk: SomeModel.objects.filter(organisation_id=pk).order_by(...))``; ``query(42)`` is
    the list that queryset gives for 42. Only plain querysets of one model (no select_related, no
    prefetch) are accepted, and the id must be a parameter of the SQL (checked when compiled)."""

    def __init__(self, build: Callable[[int], QuerySet[M]]) -> None:
        self._build = build
        self._compiled: dict[str, tuple[str, list[Any], list[int], Any]] = {}

    def _compile(self, alias: str) -> tuple[str, list[Any], list[int], Any]:
        qs = self._build(_PLACEHOLDER)
        if qs._prefetch_related_lookups or qs.query.select_related:  # type: ignore[attr-defined]
            raise ValueError("ById takes querysets without select_related or prefetch_related")
        compiler = qs.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        params = list(params)
        at = [i for i, p in enumerate(params) if p == _PLACEHOLDER]
        if not at or compiler.klass_info is None or compiler.klass_info.get("related_klass_infos"):
            raise ValueError("ById needs the id as a parameter of a query for model instances")
        compiled = self._compiled[alias] = (sql, params, at, compiler)
        return compiled

    def __call__(self, pk: int) -> list[M]:
        alias = router.db_for_read(self._model())
        sql, params, at, compiler = self._compiled.get(alias) or self._compile(alias)
        values = list(params)
        for i in at:
            values[i] = pk
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, values)
            fetched = cursor.fetchall()
        klass_info = compiler.klass_info
        model_cls = klass_info["model"]
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        names = [f[0].target.attname for f in compiler.select[start:end]]
        annotations = compiler.annotation_col_map.items()
        objects = []
        for row in compiler.results_iter(results=[fetched]):
            obj = model_cls.from_db(alias, names, row[start:end])
            for name, position in annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects

    def _model(self) -> type[M]:
        model = getattr(self, "_model_cls", None)
        if model is None:
            model = self._model_cls = self._build(_PLACEHOLDER).model
        return model  # type: ignore[no-any-return]
