"""The held queue's "What it means" column explains each rule in a plain sentence (issue 11
item 8): the rule's "In short", never its name again."""

from __future__ import annotations

import html
import re

from otbill.rules.registry import load_rules
from support.webkit import log_in


def test_what_it_means_is_the_rules_plain_sentence(app, client):
    log_in(client, "biller")
    page = client.get("/queues/held").text
    shown = dict(re.findall(r'data-testid="rule-meaning-(\w+)">([^<]*)</td>', page))
    assert shown, "the demo holds claims, so the panel lists rules"
    summaries = {r.code: r.doc.summary for r in load_rules(preview=True)}
    for code, text in shown.items():
        assert html.unescape(text) == summaries[code], code
