"""Private document storage: resolved from ``STORAGES["private"]`` on every call, never given a URL."""

from __future__ import annotations

from typing import IO, Any

from django.core.files.storage import Storage, storages
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(Storage):
    """Delegates to the configured private backend, so settings (and tests) can move it."""

    @staticmethod
    def _target() -> Storage:
        return storages["private"]

    def _open(self, name: str, mode: str = "rb") -> Any:
        return self._target().open(name, mode)

    def _save(self, name: str, content: IO[Any]) -> str:
        return self._target().save(name, content)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return self._target().get_available_name(name, max_length)

    def delete(self, name: str) -> None:
        self._target().delete(name)

    def exists(self, name: str) -> bool:
        return self._target().exists(name)

    def size(self, name: str) -> int:
        return self._target().size(name)

    def path(self, name: str) -> str:
        return self._target().path(name)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return self._target().listdir(path)

    def url(self, name: str | None) -> str:
        raise ValueError("private documents have no URL; serve them through a permission-checked view")


private_storage = PrivateStorage()
