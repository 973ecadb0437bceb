"""Plain data and rules of the ledger; never imports Qt or touches files."""
