"""File formats in and out of the ledger (Excel workbooks, later notices and text plans); never imports Qt."""
