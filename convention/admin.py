"""Admin of the ``convention`` app: Django discovers this module; the screens live with their domain."""

from convention.amendments import admin  # noqa: F401
