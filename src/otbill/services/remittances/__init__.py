"""Remittances: what an 835 posts (plan), posting it, and the report of what it did."""
