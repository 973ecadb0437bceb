"""The ledger tree of one inspection, its search and filters, the inspections list, adding and moving rows."""
