"""Page read-models: what a page or the API shows, a page at a time (reads only)."""
