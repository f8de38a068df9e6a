"""Code sets, one small module per set, each with the same verbs.

Every module offers ``compact(value) -> str`` (strip spaces, dots or case as the set allows),
``validate(value, ...) -> str`` (the compact code, or a precise :mod:`otbill.errors` exception),
``is_valid(value, ...) -> bool`` (never raises) and ``describe(code) -> str`` (short meaning,
in our own words for CPT). Reference tables live in ``codes/data/`` and are listed, with their
public sources and effective dates, in ``codes/data/SOURCES.md``.
"""
