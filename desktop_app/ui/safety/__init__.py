"""Keeping the ledger safe from the window: the start-up check, backups, restore and the audit log."""
