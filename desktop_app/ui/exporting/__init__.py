"""Exporting from the window: the Excel ledger and the 月调度表 (workbook, PDF, print)."""
