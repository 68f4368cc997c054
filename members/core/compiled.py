"""Queries of one fixed shape, compiled to SQL once per database and run again with new values.

A public page reads a few small querysets that differ only in a value or two (an organisation's periods,
events, detail versions; the register's rows after a position). Building and compiling each through the
ORM cost more than running it (a profile: four queries, two thirds of their time in Python). ``Compiled``
builds the queryset once with placeholder values, keeps the compiled SQL and the compiler, and for each
call puts the call's values where the placeholders were, runs the SQL and makes the results as Django's
own iterables do (model instances through from_db, or ``values_list`` tuples, named or not; the
backend's converters; annotations), so the rows are exactly what the queryset would give.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Generic, TypeVar

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, NamedValuesListIterable, ValuesListIterable
from django.db.models.utils import create_namedtuple_class

M = TypeVar("M", bound=Model)
R = TypeVar("R")

# Values no row and no query of the project has: where one appears in the compiled parameters, the
# call's value of that kind goes. A date may reach the SQL as its ISO text (SQLite's adaptation).
_INT = -7_391_046_215
_PLACEHOLDERS: dict[str, Callable[[int], Any]] = {
    "int": lambda n: _INT - n,
    "str": lambda n: f"\x1fcompiled-placeholder-{n}\x1f",
    "date": lambda n: date(1, 1, 1 + n),
}


class Compiled(Generic[R]):
    """``Compiled(lambda value, pk: <queryset>, "str", "int")``; ``query("x", 42)`` is the list that
    ``<queryset>`` built for ("x", 42) gives. ``kinds`` say what each argument is (``int``, ``str`` or
    ``date``). Only plain querysets of one model (no select_related, no prefetch; values_list of fields
    without annotations) are accepted, and every argument must be a whole parameter of the SQL (checked
    when compiled: an argument inside a LIKE pattern, say, is refused)."""

    def __init__(self, build: Callable[..., QuerySet[Any]], *kinds: str) -> None:
        if len(kinds) > 9 or any(kind not in _PLACEHOLDERS for kind in kinds):
            raise ValueError(f"Compiled takes up to 9 arguments of the kinds {sorted(_PLACEHOLDERS)}")
        self._build = build
        self._placeholders = [_PLACEHOLDERS[kind](n) for n, kind in enumerate(kinds)]
        self._compiled: dict[str, tuple[str, list[Any], list[tuple[int, int, bool]], Any, Any]] = {}
        self._model_cls: type[Model] | None = None

    def _compile(self, alias: str) -> tuple[str, list[Any], list[tuple[int, int, bool]], Any, Any]:
        qs = self._build(*self._placeholders)
        if qs._prefetch_related_lookups or qs.query.select_related:  # type: ignore[attr-defined]
            raise ValueError("Compiled takes querysets without select_related or prefetch_related")
        iterable = qs._iterable_class  # type: ignore[attr-defined]
        compiler = qs.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        params = list(params)
        at: list[tuple[int, int, bool]] = []  # (parameter, argument, as ISO text)
        for i, param in enumerate(params):
            for n, placeholder in enumerate(self._placeholders):
                if type(param) is type(placeholder) and param == placeholder:
                    at.append((i, n, False))
                elif isinstance(placeholder, date) and param == placeholder.isoformat():
                    at.append((i, n, True))
                elif isinstance(param, str) and isinstance(placeholder, str) and placeholder in param:
                    raise ValueError("Compiled needs each argument as a whole parameter, not inside one")
        if {n for _i, n, _text in at} != set(range(len(self._placeholders))):
            raise ValueError("Compiled needs every argument as a parameter of the query")
        if iterable is ModelIterable:
            if compiler.klass_info is None or compiler.klass_info.get("related_klass_infos"):
                raise ValueError("Compiled needs a query for model instances of one model")
            shape: Any = None
        elif iterable in (ValuesListIterable, NamedValuesListIterable):
            if qs.query.annotation_select or qs.query.extra_select:
                raise ValueError("Compiled takes values_list of plain fields")
            fields = list(qs._fields)  # type: ignore[attr-defined]
            shape = create_namedtuple_class(*fields) if iterable is NamedValuesListIterable else tuple
        else:
            raise ValueError("Compiled makes model instances or values_list rows")
        compiled = self._compiled[alias] = (sql, params, at, compiler, shape)
        return compiled

    def __call__(self, *args: Any) -> list[R]:
        if len(args) != len(self._placeholders):
            raise TypeError(f"expected {len(self._placeholders)} arguments, got {len(args)}")
        alias = router.db_for_read(self._model())
        sql, params, at, compiler, shape = self._compiled.get(alias) or self._compile(alias)
        values = list(params)
        for i, n, as_text in at:
            values[i] = args[n].isoformat() if as_text else args[n]
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, values)
            fetched = cursor.fetchall()
        rows = compiler.results_iter(results=[fetched])
        if shape is not None:
            return [tuple(row) if shape is tuple else shape(*row) for row in rows]  # type: ignore[misc]
        klass_info = compiler.klass_info
        model_cls = klass_info["model"]
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        names = [f[0].target.attname for f in compiler.select[start:end]]
        annotations = compiler.annotation_col_map.items()
        objects = []
        for row in rows:
            obj = model_cls.from_db(alias, names, row[start:end])
            for name, position in annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects

    def _model(self) -> type[Model]:
        if self._model_cls is None:
            self._model_cls = self._build(*self._placeholders).model
        return self._model_cls


class ById(Compiled[M]):
    """``ById(lambda pk: SomeModel.objects.filter(organisation_id=pk).order_by(...))``; ``query(42)`` is
    the list of model instances that queryset gives for 42."""

    def __init__(self, build: Callable[[int], QuerySet[M]]) -> None:
        super().__init__(build, "int")
