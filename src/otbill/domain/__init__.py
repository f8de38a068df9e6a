"""Domain records: immutable, validated, money as Decimal. No database, web or file access here."""
