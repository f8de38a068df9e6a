"""PDF rendering (an adapter): printable documents from domain records, as bytes."""

from __future__ import annotations

from otbill.pdf.plan_of_care import PlanRequestFacts, render_certification_request

__all__ = ["PlanRequestFacts", "render_certification_request"]
