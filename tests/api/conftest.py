# The API answers from the same register as the public pages: share their fixtures.
from tests.public.conftest import _no_register_cache, _version_1, register

__all__ = ["_no_register_cache", "_version_1", "register"]
