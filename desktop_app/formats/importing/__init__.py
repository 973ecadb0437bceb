"""Reading a ledger workbook, a rectification plan or a 公示 page into an ImportPlan, and writing it."""
