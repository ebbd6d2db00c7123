"""Staff cite policies by number ("TD 12-06", "policy 12-15"): the answer comes
from that policy, and a number alone never makes a question look answered."""

from bot.core.assistant import Assistant


def test_a_question_citing_a_directive_by_number_is_answered_from_it(
    assistant: Assistant,
) -> None:
    answer = assistant.ask("Which staff does TD 12-06 cover?")
    assert answer.covered
    assert {c.clause.agency_id for c in answer.citations} == {"la-cio"}
    assert "applies to all departments" in answer.citations[0].clause.text


def test_policy_number_scopes_to_its_agency(assistant: Assistant) -> None:
    answer = assistant.ask("Under policy 12-15, may I use my state password on Twitter?")
    assert {c.clause.agency_id for c in answer.citations} == {"ct-dcf"}
    assert "password" in answer.citations[0].clause.text.lower()
    assert [v.agency_id for v in answer.verdicts] == ["ct-dcf"]


def test_hash_style_policy_reference(assistant: Assistant) -> None:
    answer = assistant.ask("What does Policy #1004 say about who may create new pages?")
    assert {c.clause.agency_id for c in answer.citations} == {"lccs"}


def test_a_bare_number_range_is_not_a_policy_reference(assistant: Assistant) -> None:
    # "12-15" is Connecticut's policy number, but here it counts hours.
    answer = assistant.ask("I work 12-15 hours a day at the office; how many breaks do I get?")
    assert not answer.covered
    assert answer.citations == []
