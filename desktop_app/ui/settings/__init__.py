"""设置 and the first start's welcome: this computer's settings and the ledger's own."""
