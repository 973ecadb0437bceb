"""The editor beside the ledger: a problem's fields, measures, 整改时限, 整改进展 and history."""
