"""One module per schema version, oldest first (revision "0001", "0002" …)."""
