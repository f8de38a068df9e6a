"""Claims: build from visits, assemble for the scrubber, scrub, fix, approve, submit."""
