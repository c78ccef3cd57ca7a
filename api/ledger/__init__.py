"""Case ledger (台账) import and export over HTTP."""
