"""Use cases: each builds what the pure core needs from settings and files, and runs it."""
