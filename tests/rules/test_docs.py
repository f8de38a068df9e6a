"""The rule pages in docs/rules/ are generated from the rules and must not drift from them."""

from __future__ import annotations

import re
from pathlib import Path

from otbill.rules.docs import render_index, render_rule
from otbill.rules.registry import load_rules

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules"


def test_every_rule_has_its_current_page():
    rules = load_rules()
    stale = [r.code for r in rules if (DOCS / f"{r.code}.md").read_text() != render_rule(r)]
    assert not stale, f"regenerate with `otbill rules docs`: {stale}"
    assert (DOCS / "README.md").read_text() == render_index(rules)


def test_no_page_for_a_rule_that_does_not_exist():
    codes = {r.code for r in load_rules()}
    pages = {p.stem for p in DOCS.glob("*.md")} - {"README"}
    assert pages == codes


def test_every_category_has_rules():
    from otbill.rules.registry import CATEGORIES

    assert {r.category for r in load_rules()} == set(CATEGORIES)


def test_docs_cite_no_file_outside_the_repository():
    """A user has only the repository: README, docs and rule sources cite primary sources."""
    root = DOCS.parents[1]
    texts = [root / "README.md", *root.glob("docs/**/*.md"), *root.glob("src/otbill/rules/**/*.py")]
    texts += list(root.glob("src/otbill/payers/*.yaml"))
    outside = [
        str(p.relative_to(root))
        for p in texts
        if re.search(r"DOMAIN\.md|\.\./shared/", p.read_text())
    ]
    assert not outside


def test_rule_pages_show_since_and_status():
    for r in load_rules():
        page = (DOCS / f"{r.code}.md").read_text()
        assert f"since otbill {r.since}" in page and f"status: {r.status.value}" in page


def test_every_rule_says_in_short_what_is_wrong_in_plain_words():
    """The held queue's "What it means" (issue 11 item 8): a sentence, not the rule's name."""
    for r in load_rules(preview=True):
        summary = r.doc.summary
        assert summary[:1].isupper() and summary.endswith("."), r.code
        assert len(summary.split()) >= len(r.name.split("-")) + 4, r.code  # explains, not names
        assert summary.lower().rstrip(".") != r.name.replace("-", " "), r.code
        assert not re.search(r"``|\[\d*\]|\b[a-z]+_[a-z_]+\b", summary), (r.code, summary)
