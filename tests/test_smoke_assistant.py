"""The shared fixtures give a working assistant (guards every adapter's tests)."""

from bot.core.assistant import Assistant


def test_friending_a_youths_parent_quotes_the_ma_dys_rule(assistant: Assistant) -> None:
    answer = assistant.ask("Can I accept a friend request from the mother of a youth?", "ma-dys")
    assert answer.covered
    assert all(c.clause.agency_id == "ma-dys" for c in answer.citations)
    assert any("friend" in c.clause.text.lower() for c in answer.citations[:3])


def test_parking_is_not_in_the_policies(assistant: Assistant) -> None:
    answer = assistant.ask("Where do I park my car at the regional office?")
    assert not answer.covered
    assert answer.citations == []
    assert "PIO" in answer.answer
