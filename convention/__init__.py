"""Project wiring (settings, urls, celery, wsgi, asgi) and the convention's own domain: its text and versions, and amendments."""
# Load the Celery app when Django starts so that @shared_task binds to it.
from .celery import app as celery_app

__all__ = ("celery_app",)
