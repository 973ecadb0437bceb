"""佐证材料 going out (a package laid out as the ledger, with its index) and what a photo says of itself."""
