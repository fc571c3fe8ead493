"""Bundles: one event's themes carried from one laptop's database into another's.

``fileformat`` writes and checks the file, ``content`` builds what it holds from the database,
``merge`` brings it into the importing database in one write transaction, and ``cli`` is the
``facilitate bundle`` command group. docs/bundles.md describes the format and the merge rules.
"""

from .fileformat import BundleProblem

__all__ = ["BundleProblem"]
