"""上报包 and 汇总 from the window: a township sends its ledger up, a county merges them."""
