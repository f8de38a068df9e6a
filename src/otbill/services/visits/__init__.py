"""Visits: recording them, editing a draft, the warnings a therapist sees."""
