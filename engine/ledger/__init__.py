"""Case ledgers (台账): read, validate, import and export the offices' Excel/CSV case lists."""

from engine.ledger.backfill import backfill
from engine.ledger.code_tables import add_synonym as add_code_synonym
from engine.ledger.code_tables import history as code_history
from engine.ledger.code_tables import save as save_code
from engine.ledger.code_tables import tables_in_use as code_tables_in_use
from engine.ledger.importer import ImportResult, export_period, export_year, import_file
from engine.ledger.validate import Problem

__all__ = ["ImportResult", "Problem", "add_code_synonym", "backfill", "code_history", "code_tables_in_use",
           "export_period", "export_year", "import_file", "save_code"]
