"""Clinic rules: the clinic's own pre-submission checks, from denials that recurred."""
