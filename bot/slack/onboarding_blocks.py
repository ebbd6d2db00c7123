"""Pure Block Kit renderers for the onboarding tour, and the reading of its buttons.

Each button carries what its click needs (agency, step or question, choice) in
its value, so a click is understood without server-side session state; the
core decides whether the click is still current.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.core.models import Citation, Clause
from bot.core.onboarding.service import (
    AgencyChoiceView,
    AnswerView,
    CompletionView,
    QuestionView,
    RuleView,
    View,
)
from bot.slack.blocks import Block, Message, button, citation_blocks, context, escape, header
from bot.slack.blocks import section as _section

ACTION_PATTERN = r"^onboard_(agency|next|continue|restart|answer_\d)$"
ACTION_AGENCY = "onboard_agency"
ACTION_NEXT = "onboard_next"
ACTION_CONTINUE = "onboard_continue"
ACTION_RESTART = "onboard_restart"
ACTION_ANSWER = "onboard_answer_"


@dataclass(frozen=True)
class OnboardClick:
    kind: str  # "agency", "next", "continue", "restart", "answer"
    agency_id: str
    step: int = -1
    item_id: str = ""
    choice: int = -1


def _value(**fields: Any) -> str:
    return json.dumps(fields, separators=(",", ":"))


def parse_click(action_id: str, value: str) -> OnboardClick | None:
    """The click's meaning, or None when the value is not one we wrote."""
    try:
        data = json.loads(value)
    except (json.JSONDecodeError, TypeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("a"), str) or not data["a"]:
        return None
    agency = data["a"][:64]
    if action_id == ACTION_AGENCY:
        return OnboardClick("agency", agency)
    if action_id == ACTION_CONTINUE:
        return OnboardClick("continue", agency)
    if action_id == ACTION_RESTART:
        return OnboardClick("restart", agency)
    if action_id == ACTION_NEXT and isinstance(data.get("s"), int):
        return OnboardClick("next", agency, step=data["s"])
    if (
        action_id.startswith(ACTION_ANSWER)
        and isinstance(data.get("q"), str)
        and isinstance(data.get("c"), int)
    ):
        return OnboardClick("answer", agency, item_id=data["q"][:64], choice=data["c"])
    return None


def _actions(block_id: str, *elements: Block) -> Block:
    return {"type": "actions", "block_id": block_id, "elements": list(elements)}


def _clause_blocks(clause: Clause) -> list[Block]:
    # The stored clause, with agency / policy / section, exactly as answers show quotes.
    return citation_blocks(Citation(clause, 1.0))


def _notice(text: str) -> list[Block]:
    return [context(f"_{escape(text)}_")] if text else []


def render_rule(view: RuleView) -> Message:
    last = view.number == view.total
    blocks: list[Block] = [
        header(f"{view.agency_name} onboarding · Rule {view.number} of {view.total}"),
        *_notice(view.notice),
    ]
    if view.intro:
        blocks.append(_section(f"*{escape(view.title)}*\n{escape(view.intro)}"))
    blocks.append(_section(f"*In plain words:* {escape(view.plain)}"))
    blocks.append(context("The policy says:"))
    blocks += _clause_blocks(view.clause)
    label = "Start the quiz" if last else "Next rule"
    blocks.append(
        _actions(
            "onboard_rule",
            button(label, ACTION_NEXT, _value(a=view.agency_id, s=view.step), "primary"),
        )
    )
    text = f"{view.agency_name} onboarding, rule {view.number} of {view.total}: {view.plain}"
    return Message(text=text, blocks=blocks)


def render_question(view: QuestionView) -> Message:
    buttons = [
        button(choice, f"{ACTION_ANSWER}{n}", _value(a=view.agency_id, q=view.item_id, c=n))
        for n, choice in enumerate(view.choices)
    ]
    blocks: list[Block] = [
        header(f"{view.agency_name} quiz · Question {view.number} of {view.total}"),
        *_notice(view.notice),
        _section(f"*{escape(view.question)}*"),
        _actions(f"onboard_q_{view.item_id}"[:255], *buttons),
    ]
    return Message(text=f"Quiz question {view.number}: {view.question}", blocks=blocks)


def render_answer(view: AnswerView) -> Message:
    verdict = "Correct" if view.correct else "Not quite"
    lines = [f"*{escape(view.question)}*", f"You answered: *{escape(view.chosen)}*"]
    if not view.correct:
        lines.append(f"The answer: *{escape(view.correct_answer)}*")
    blocks: list[Block] = [
        header(f"{'✅' if view.correct else '❌'} {verdict}"),
        *_notice(view.notice),
        _section("\n".join(lines)),
        _section(escape(view.explanation)),
        context("The policy says:"),
        *_clause_blocks(view.clause),
        _actions(
            "onboard_answer",
            button(
                "See my score" if view.is_last else "Next question",
                ACTION_CONTINUE,
                _value(a=view.agency_id),
                "primary",
            ),
        ),
    ]
    text = f"{verdict}. The answer: {view.correct_answer}. {view.explanation}"
    return Message(text=text, blocks=blocks)


def render_completion(view: CompletionView) -> Message:
    when = view.completed_at.strftime("%Y-%m-%d")
    summary = (
        f"You completed the {escape(view.agency_name)} onboarding tour on {when}.\n"
        f"Quiz score: *{view.score} of {view.total}*."
    )
    blocks: list[Block] = [
        header("🎓 Onboarding tour complete"),
        *_notice(view.notice),
        _section(summary),
        context("Ask me any policy question at any time: `/policy <question>`."),
        _actions(
            "onboard_done",
            button("Restart the tour", ACTION_RESTART, _value(a=view.agency_id)),
        ),
    ]
    text = f"Onboarding complete: quiz score {view.score} of {view.total}."
    return Message(text=text, blocks=blocks)


def render_agency_choice(view: AgencyChoiceView) -> Message:
    buttons = [button(a.short_name, ACTION_AGENCY, _value(a=a.id)) for a in view.agencies]
    blocks: list[Block] = [
        header("New-hire onboarding"),
        *_notice(view.notice),
        _section(
            "A short tour of the social-media rules that matter most in your first weeks, "
            "then a quiz. *Which agency do you work for?*"
        ),
        _actions("onboard_agencies", *buttons[:25]),
    ]
    return Message(text="New-hire onboarding: which agency do you work for?", blocks=blocks)


def render_view(view: View) -> Message:
    if isinstance(view, RuleView):
        return render_rule(view)
    if isinstance(view, QuestionView):
        return render_question(view)
    if isinstance(view, AnswerView):
        return render_answer(view)
    if isinstance(view, CompletionView):
        return render_completion(view)
    return render_agency_choice(view)
