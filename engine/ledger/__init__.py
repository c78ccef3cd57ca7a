"""Case ledgers (台账): read, validate, import and export the offices' Excel/CSV case lists."""

from engine.ledger.backfill import backfill
from engine.ledger.importer import ImportResult, export_period, export_year, import_file
from engine.ledger.validate import Problem

__all__ = ["ImportResult", "Problem", "backfill", "export_period", "export_year", "import_file"]
