"""The ledger file: SQLite schema, migrations, queries and every write path. Never imports Qt."""
