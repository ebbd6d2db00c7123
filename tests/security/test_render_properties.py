"""Property tests for the three renderers (Slack blocks, Teams cards, terminal): for
arbitrary Answers and CheckResults the output stays within each platform's limits,
pings nobody, and shows quotes verbatim."""

from __future__ import annotations

import io
import json
import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from bot.cli.render import render_answer as terminal_answer
from bot.cli.render import render_check as terminal_check
from bot.core.models import (
    AgencyVerdict,
    Answer,
    CheckResult,
    CheckVerdict,
    Citation,
    Clause,
    Evidence,
    Finding,
    Severity,
    Verdict,
)
from bot.slack import blocks
from bot.teams import cards
from tests.cards import walk
from tests.fakes.slack_api import block_kit_problems

SLACK_PING = re.compile(r"<!(?:channel|here|everyone|subteam)|<@[UW][A-Z0-9]+>")
PROPS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Anything a policy or a user could contain, platform markup included.
_nasty = st.sampled_from(
    [
        "<!channel>",
        "<!here>",
        "<@U012AB>",
        "<at>Bob</at>",
        "[bold]x[/]",
        "*",
        "_",
        "~",
        "`",
        "&amp;",
        "<",
        ">",
        "&",
        "\n",
        "\u202e",
        "😀",
        "{{x}}",
        "@channel",
        "[/]",
        "\x00",
    ]
)

_any_text = st.lists(st.one_of(st.text(max_size=40), _nasty), max_size=30).map("".join)
_long_text = st.one_of(_any_text, st.integers(1, 6000).map(lambda n: "Lorem ipsum " * (n // 12)))
# Clause texts for the verbatim property: plain words, the shape of real policy sentences.
_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ", min_size=1, max_size=10)
_plain_sentence = st.lists(_word, min_size=1, max_size=40).map(lambda ws: " ".join(ws) + ".")


@st.composite
def clauses(draw: st.DrawFn, text: st.SearchStrategy[str] = _long_text) -> Clause:
    n = draw(st.integers(0, 10_000))
    body = draw(text) or "x"
    return Clause(
        id=f"p{n}:{n:04d}",
        policy_id=f"p{n % 5}",
        agency_id=draw(st.sampled_from(["la-dcfs", "lccs", "la-cio", "ct-dcf", "ma-dys"])),
        agency=draw(_any_text) or "Agency",
        policy=draw(_any_text) or "Policy",
        section=draw(_any_text),
        context=draw(_any_text),
        text=body,
        start=0,
        end=len(body),
        ordinal=n,
    )


@st.composite
def answers(draw: st.DrawFn, text: st.SearchStrategy[str] = _long_text) -> Answer:
    cites = [Citation(c, 0.5) for c in draw(st.lists(clauses(text), max_size=25))]
    covered = draw(st.booleans()) and bool(cites)
    verdicts = [
        AgencyVerdict(
            c.clause.agency_id,
            c.clause.agency,
            draw(st.sampled_from(list(Verdict))),
            draw(_long_text),
            [c.id],
        )
        for c in cites[: draw(st.integers(0, 5))]
    ]
    return Answer(
        question=draw(_long_text),
        covered=covered,
        answer=draw(_long_text),
        verdicts=verdicts if covered else [],
        citations=cites if covered else [],
        notice=draw(_any_text),
    )


@st.composite
def check_results(draw: st.DrawFn) -> CheckResult:
    draft = draw(_long_text) or "x"
    findings = []
    for _ in range(draw(st.integers(0, 30))):
        start = draw(st.integers(0, len(draft) - 1))
        end = draw(st.integers(start, len(draft)))
        findings.append(
            Finding(
                draw(st.sampled_from(["youth_identity", "location", "client_contact"])),
                draw(st.sampled_from(list(Severity))),
                Evidence(start, end, draft[start:end]),
                draw(_any_text),
                draw(_any_text),
                [Citation(c, 0.5) for c in draw(st.lists(clauses(), max_size=3))],
            )
        )
    return CheckResult(draw(st.sampled_from(list(CheckVerdict))), findings, draw(_any_text))


def _shown(payload: dict[str, Any]) -> str:
    """What Slack renders: button values are opaque data, never shown or parsed for mentions."""

    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k != "value"}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    return json.dumps(strip(payload), ensure_ascii=False)


# --- Slack ------------------------------------------------------------------------------


@PROPS
@given(answers())
def test_slack_answer_fits_block_kit_and_pings_nobody(answer: Answer) -> None:
    message = blocks.render_answer(answer)
    payload = message.kwargs()
    assert block_kit_problems(payload) == []
    assert not SLACK_PING.search(_shown(payload))
    if not answer.covered:
        assert "silent" in (payload.get("text") or "")


@PROPS
@given(check_results())
def test_slack_check_fits_messages_and_modals(result: CheckResult) -> None:
    payload = blocks.render_check(result).kwargs()
    assert block_kit_problems(payload) == []
    assert not SLACK_PING.search(_shown(payload))
    in_modal = blocks.render_check(result, max_blocks=blocks.MAX_VIEW_BLOCKS)
    assert block_kit_problems(blocks.result_view(in_modal), surface="modal") == []


@PROPS
@given(answers(_plain_sentence.filter(lambda s: len(s) < 2000)))
def test_slack_quotes_are_verbatim(answer: Answer) -> None:
    dumped = json.dumps(blocks.render_answer(answer).kwargs(), ensure_ascii=False)
    shown = [c for c in answer.citations if c.clause.text in dumped]
    # Every quote shown is whole; at least the first one is always shown.
    if answer.covered:
        assert answer.citations[0].clause.text in dumped
    assert all(c.clause.text in dumped for c in shown)


# --- Teams ------------------------------------------------------------------------------


@PROPS
@given(answers())
def test_teams_answer_card_fits_and_mentions_nobody(answer: Answer) -> None:
    rendered = cards.answer_card(answer)
    assert cards.payload_bytes(rendered) <= cards.MAX_PAYLOAD_BYTES
    assert rendered.card["type"] == "AdaptiveCard"
    assert not [n for n in walk(rendered.card) if n.get("type") == "mention"]
    # No mention payloads: an "entities" key anywhere. (The word itself may be user text:
    # hypothesis found a notice reading "entities", which the old substring check refused.)
    assert not [n for n in walk(rendered.card) if "entities" in n]


@PROPS
@given(check_results())
def test_teams_check_card_fits(result: CheckResult) -> None:
    rendered = cards.check_card(result, explicit=True)
    assert cards.payload_bytes(rendered) <= cards.MAX_PAYLOAD_BYTES


@PROPS
@given(answers(_plain_sentence.filter(lambda s: len(s) < 2000)))
def test_teams_quotes_are_verbatim_clause_texts(answer: Answer) -> None:
    rendered = cards.answer_card(answer)
    texts = {c.clause.text for c in answer.citations}
    quotes = [
        n["text"][1:-1]
        for n in walk(rendered.card)
        if n.get("type") == "TextRun" and n.get("italic") and str(n.get("text", "")).startswith("“")
    ]
    assert all(q in texts for q in quotes)
    if answer.covered:
        assert quotes


# --- terminal ---------------------------------------------------------------------------


def _terminal(renderable: Any) -> str:
    out = io.StringIO()
    Console(file=out, width=100, color_system=None).print(renderable)
    return out.getvalue()


_BOX = re.compile(r"[╭╮╰╯│─]")


@PROPS
@given(answers())
def test_terminal_renders_any_answer(answer: Answer) -> None:
    out = _terminal(terminal_answer(answer))
    assert out.strip()
    if not answer.covered:
        assert "silent" in out.lower()


@PROPS
@given(check_results())
def test_terminal_renders_any_check(result: CheckResult) -> None:
    assert _terminal(terminal_check(result)).strip()


@PROPS
@given(answers(_plain_sentence.filter(lambda s: len(s) < 500)))
def test_terminal_quotes_are_verbatim(answer: Answer) -> None:
    # Panel borders are drawn between wrapped lines: drop them, then compare words.
    flat = " ".join(_BOX.sub(" ", _terminal(terminal_answer(answer))).split())
    for citation in answer.citations:
        assert citation.clause.text in flat
