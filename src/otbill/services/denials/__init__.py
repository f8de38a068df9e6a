"""Denials: opened from an 835 with their appeal deadline."""
