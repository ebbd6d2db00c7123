"""Onboarding through the real Slack app: signed slash commands and button clicks in,
Block Kit out to the local fake Slack (response_url), progress in a real SQLite state DB."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_runtime
from bot.cli.main import main as cli_main
from bot.core.assistant import Assistant
from bot.core.models import Clause
from bot.core.onboarding.tour import Tour, load_tours
from bot.core.ports import Embedder
from bot.slack.blocks import escape
from bot.stores.memory_store import MemoryClauseStore
from tests.conftest import KNOWLEDGE, Runtime, make_settings
from tests.fakes.slack_api import Call
from tests.slack import slack_payloads as p
from tests.slack.conftest import SlackHarness

AGENCY_IDS = ("la-dcfs", "lccs", "la-cio", "ct-dcf", "ma-dys")


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    return tmp_path / "state"


@pytest.fixture
def assistant(runtime: Runtime, embedder: Embedder, state_dir: Path) -> Assistant:
    """The real assistant over the shared index, with its own empty state database."""
    settings = make_settings(state_dir)
    return build_runtime(settings, embedder=embedder, store=runtime.store).assistant


@pytest.fixture(scope="module")
def ct() -> Tour:
    return load_tours(KNOWLEDGE / "onboarding", AGENCY_IDS)["ct-dcf"]


class Tourist:
    """Drives one user's tour: each reply is the newest response_url call."""

    def __init__(self, slack: SlackHarness) -> None:
        self.slack = slack
        self.seen = 0

    async def _next_reply(self) -> Call:
        want = self.seen + 1
        calls = await self.slack.fake.wait_for(
            lambda c: len([x for x in c if x.method == "response_url"]) >= want
        )
        replies = [c for c in calls if c.method == "response_url"]
        self.seen = len(replies)
        reply = replies[-1]
        assert reply.problems == [], reply.problems
        return reply

    async def command(self, text: str = "onboard") -> Call:
        resp = await self.slack.command(text, name=f"cmd{self.seen}")
        assert resp.status == 200
        return await self._next_reply()

    async def click(self, button: dict[str, Any]) -> Call:
        action = {"action_id": button["action_id"], "value": button["value"]}
        payload = p.block_action(action, self.slack.fake.response_url(f"click{self.seen}"))
        resp = await self.slack.interact(payload)
        assert resp.status == 200
        return await self._next_reply()


def buttons(call: Call) -> list[dict[str, Any]]:
    return [e for b in call.body["blocks"] if b["type"] == "actions" for e in b["elements"]]


def button(call: Call, label: str) -> dict[str, Any]:
    found = [b for b in buttons(call) if b["text"]["text"] == label]
    assert found, f"no {label!r} button in {[b['text']['text'] for b in buttons(call)]}"
    return found[0]


def text_of(call: Call) -> str:
    parts: list[str] = []
    for b in call.body["blocks"]:
        if b["type"] in ("section", "header"):
            parts.append(b["text"]["text"])
        elif b["type"] == "context":
            parts += [e.get("text", "") for e in b["elements"]]
    return "\n".join(parts)


def stored_clause(runtime: Runtime, agency: str, quote: str) -> Clause:
    [clause] = [c for c in runtime.store.clauses() if c.agency_id == agency and quote in c.text]
    return clause


def assert_quotes(call: Call, clause: Clause) -> None:
    """The stored clause, verbatim, as a Slack quote, with agency / policy / section."""
    text = text_of(call)
    assert "> " + escape(clause.text) in text
    assert escape(clause.agency) in text and escape(clause.section) in text


async def test_full_tour_resume_quiz_and_completion(
    slack: SlackHarness, runtime: Runtime, ct: Tour, assistant: Assistant
) -> None:
    me = Tourist(slack)
    # No agency configured: the user picks one.
    choice = await me.command("onboard")
    assert choice.body["response_type"] == "ephemeral"
    assert "Which agency do you work for?" in text_of(choice)
    assert {b["text"]["text"] for b in buttons(choice)} >= {"Connecticut DCF", "Massachusetts DYS"}

    rule = await me.click(button(choice, "Connecticut DCF"))
    assert rule.body["replace_original"] is True
    assert f"Rule 1 of {len(ct.rules)}" in text_of(rule)
    assert ct.rules[0].plain in text_of(rule).replace("&#x27;", "'")
    assert_quotes(rule, stored_clause(runtime, "ct-dcf", ct.rules[0].quote))
    first_next = button(rule, "Next rule")

    for n in range(2, 5):
        rule = await me.click(button(rule, "Next rule"))
        assert f"Rule {n} of {len(ct.rules)}" in text_of(rule)
        assert_quotes(rule, stored_clause(runtime, "ct-dcf", ct.rules[n - 1].quote))

    # Stop half-way; running onboard again continues at rule 4.
    resumed = await me.command("onboard")
    assert "Welcome back" in text_of(resumed)
    assert f"Rule 4 of {len(ct.rules)}" in text_of(resumed)
    # An old "Next" from rule 1 does not skip ahead.
    stale = await me.click(first_next)
    assert f"Rule 4 of {len(ct.rules)}" in text_of(stale) and "earlier step" in text_of(stale)

    step = stale
    while "Next rule" in [b["text"]["text"] for b in buttons(step)]:
        step = await me.click(button(step, "Next rule"))
    question = await me.click(button(step, "Start the quiz"))
    q1, q2 = ct.quiz[0], ct.quiz[1]
    assert f"Question 1 of {len(ct.quiz)}" in text_of(question)
    assert {b["text"]["text"] for b in buttons(question)} == set(q1.choices)

    right = await me.click(button(question, q1.answer))
    assert "Correct" in text_of(right) and "The answer:" not in text_of(right)
    assert_quotes(right, stored_clause(runtime, "ct-dcf", q1.quote))

    question = await me.click(button(right, "Next question"))
    wrong_choice = next(c for c in q2.choices if c != q2.answer)
    wrong = await me.click(button(question, wrong_choice))
    assert "Not quite" in text_of(wrong)
    assert f"You answered: *{escape(wrong_choice)}*" in text_of(wrong)
    assert f"The answer: *{escape(q2.answer)}*" in text_of(wrong)
    assert_quotes(wrong, stored_clause(runtime, "ct-dcf", q2.quote))
    # Clicking an answer of the same question again changes nothing.
    again = await me.click(button(question, q2.answer))
    assert "Not quite" in text_of(again) and "first answer" in text_of(again)

    step = await me.click(button(wrong, "Next question"))
    for item in ct.quiz[2:]:
        answered = await me.click(button(step, item.answer))
        label = "See my score" if item is ct.quiz[-1] else "Next question"
        step = await me.click(button(answered, label))
    total = len(ct.quiz)
    assert "Onboarding tour complete" in text_of(step)
    assert f"Quiz score: *{total - 1} of {total}*" in text_of(step)

    # Onboard after completion: the score and a restart.
    done = await me.command("onboard")
    assert f"{total - 1} of {total}" in text_of(done)
    restarted = await me.click(button(done, "Restart the tour"))
    assert f"Rule 1 of {len(ct.rules)}" in text_of(restarted)

    assert assistant.onboarding is not None
    [row] = assistant.onboarding.report("ct-dcf")
    assert (row.user_label, row.platform, row.score) == ("author", "slack", total - 1)


async def test_onboard_with_an_agency_and_help_text(slack: SlackHarness, runtime: Runtime) -> None:
    me = Tourist(slack)
    view = await me.command("onboard ma-dys")
    assert "Massachusetts DYS onboarding · Rule 1 of" in text_of(view)
    unknown = await me.command("onboard ny-acs")
    assert "Unknown agency 'ny-acs'" in text_of(unknown)
    resp = await slack.command("help", name="help")
    assert "/policy onboard" in json.dumps(await resp.json())


async def test_tampered_button_value_gets_a_message(slack: SlackHarness) -> None:
    me = Tourist(slack)
    payload = p.block_action(
        {"action_id": "onboard_next", "value": "{not json"}, slack.fake.response_url("bad")
    )
    assert (await slack.interact(payload)).status == 200
    reply = await me._next_reply()
    assert "could not read that button" in text_of(reply)


async def test_completion_report_cli_table_and_csv(
    slack: SlackHarness,
    ct: Tour,
    state_dir: Path,
    embedder: Embedder,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    me = Tourist(slack)
    step = await me.command("onboard ct-dcf")
    for _ in ct.rules:
        label = "Next rule" if "Next rule" in str(step.body) else "Start the quiz"
        step = await me.click(button(step, label))
    for item in ct.quiz:
        answered = await me.click(button(step, item.answer))
        label = "See my score" if item is ct.quiz[-1] else "Next question"
        step = await me.click(button(answered, label))
    assert f"{len(ct.quiz)} of {len(ct.quiz)}" in text_of(step)
    # A second user stops after two rules (in progress, in the MA DYS tour).
    other = Tourist(slack)
    other.seen = me.seen
    monkeypatch.setattr(p, "USER", "UOTHER002")
    started = await other.command("onboard ma-dys")
    await other.click(button(started, "Next rule"))

    monkeypatch.setenv("POLICYBOT_DATA_DIR", str(state_dir))
    monkeypatch.setenv("POLICYBOT_KNOWLEDGE_DIR", str(KNOWLEDGE))
    monkeypatch.delenv("POLICYBOT_AGENCY", raising=False)
    monkeypatch.setattr("bot.app.build_embedder", lambda settings: embedder)
    monkeypatch.setattr("bot.app.build_store", lambda settings: MemoryClauseStore())

    assert cli_main(["onboarding", "report", "--csv"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "user,platform,agency,status,score,questions,completed,step,steps"
    rows = [line.split(",") for line in lines[1:]]
    done = [r for r in rows if r[2] == "ct-dcf"]
    assert len(done) == 1 and done[0][:6] == [
        "author",
        "slack",
        "ct-dcf",
        "completed",
        str(len(ct.quiz)),
        str(len(ct.quiz)),
    ]
    assert len(done[0][6]) == 10  # YYYY-MM-DD
    progress = [r for r in rows if r[2] == "ma-dys"]
    assert len(progress) == 1 and progress[0][3] == "in progress" and progress[0][4] == ""
    assert progress[0][7] == "1"

    assert cli_main(["onboarding", "report", "--agency", "ma-dys", "--csv"]) == 0
    only = capsys.readouterr().out.strip().splitlines()
    assert len(only) == 2 and ",ma-dys," in only[1]

    assert cli_main(["onboarding", "report"]) == 0
    table = capsys.readouterr().out
    assert "completed" in table and "in progress" in table and "ct-dcf" in table

    assert cli_main(["onboarding", "report", "--agency", "nowhere"]) == 2
    assert "Unknown agency 'nowhere'" in capsys.readouterr().err


async def test_onboard_in_a_dm_starts_the_tour_in_the_dm(slack: SlackHarness) -> None:
    resp = await slack.event(p.dm("onboard"))
    assert resp.status == 200
    calls = await slack.fake.wait_for(lambda c: any(x.method == "chat.postMessage" for x in c))
    [post] = [c for c in calls if c.method == "chat.postMessage"]
    assert post.body["channel"] == p.DM_CHANNEL and post.problems == []
    assert "Which agency do you work for?" in text_of(post)
    assert "Connecticut DCF" in [b["text"]["text"] for b in buttons(post)]
