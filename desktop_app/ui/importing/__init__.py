"""Importing a workbook or a plan from the window: choose, read off-thread, preview, apply."""
