"""The demo clinic: fixed data and its loader (never used by a real clinic's records)."""
