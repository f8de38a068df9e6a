"""The clinic itself: setup, users and roles, API tokens, the audit chain."""
