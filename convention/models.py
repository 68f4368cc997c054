"""Models of the ``convention`` app, gathered from its sub-packages so that Django registers them.

The text and its versions live in ``convention.text``; amendments and ballots (Art 24) in
``convention.amendments``.
"""

from convention.amendments.models import *  # noqa: F403
from convention.text.models import Article, ConventionVersion  # noqa: F401
