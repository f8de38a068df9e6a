"""Patient billing: what patients owe after insurance, told to them (statements)."""
