"""Workbooks the ledger writes: the 整改任务清单, the 月调度表, their layout, and safe whole-file writing."""
