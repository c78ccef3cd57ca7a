"""The store layer: all SQL of tiaojie lives in this package."""

from engine.store.db import Database

__all__ = ["Database"]
