"""X12 EDI adapters: segments in and out, and one module per transaction and direction.

    tokens      delimiters from ISA (or inferred from ST), streaming segments with positions
    envelope    ISA/GS/ST…SE/GE/IEA: counts and control numbers checked on read, produced on write
    write_837p  claims → 837P (005010X222A1), refusing claims that cannot be written
    read_837p   837P → Claim records (for ``otbill scrub FILE.837``)
    read_835    835 → Remittance records, balancing checked
    read_999    999 → accepted/rejected per transaction set, with segment and element errors
    read_277ca  277CA → accepted/rejected per claim, with the reason in words
    cli         ``otbill x12 read`` and ``otbill x12 837``

Readers return records plus :class:`~otbill.x12.findings.X12Finding` (segment position, ID,
element, what was expected); a file that cannot be read raises
:class:`~otbill.x12.findings.X12Error`. Nothing is imported here, so reading an 835 never loads the
claim model (pydantic) it does not need.
"""

__all__: list[str] = []
