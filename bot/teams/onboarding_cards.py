"""Pure Adaptive Card renderers for the onboarding tour, and the reading of its actions.

Action.Submit data carries what the click needs (agency, step or question,
choice); it comes back from the client, so ``parse_action`` treats it as
untrusted and the core decides whether the click is still current.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.core.models import Clause
from bot.core.onboarding.service import (
    AgencyChoiceView,
    AnswerView,
    CompletionView,
    QuestionView,
    RuleView,
    View,
)
from bot.teams.cards import ACTION_KEY, ACTION_ONBOARD, Rendered, _card, _plain, _text


@dataclass(frozen=True)
class OnboardAction:
    do: str  # "start", "agency", "next", "continue", "restart", "answer"
    agency_id: str | None
    step: int = -1
    item_id: str = ""
    choice: int = -1


def _submit(title: str, do: str, style: str | None = None, **fields: Any) -> dict[str, Any]:
    action: dict[str, Any] = {
        "type": "Action.Submit",
        "title": title,
        "data": {ACTION_KEY: ACTION_ONBOARD, "do": do, **fields},
    }
    if style:
        action["style"] = style
    return action


def parse_action(value: dict[str, Any]) -> OnboardAction | None:
    do = value.get("do")
    agency = value.get("agency")
    if do == "start":
        return OnboardAction("start", agency[:64] if isinstance(agency, str) and agency else None)
    if not isinstance(agency, str) or not agency or not isinstance(do, str):
        return None
    agency = agency[:64]
    if do in ("agency", "continue", "restart"):
        return OnboardAction(do, agency)
    step = value.get("step")
    if do == "next" and isinstance(step, int) and not isinstance(step, bool):
        return OnboardAction("next", agency, step=step)
    item, choice = value.get("item"), value.get("choice")
    if (
        do == "answer"
        and isinstance(item, str)
        and isinstance(choice, int)
        and not isinstance(choice, bool)
    ):
        return OnboardAction("answer", agency, item_id=item[:64], choice=choice)
    return None


def _source(clause: Clause) -> str:
    section = f", section {clause.section}" if clause.section else ""
    return f"{clause.agency} — {clause.policy}{section}"


def _clause_items(clause: Clause) -> list[dict[str, Any]]:
    # Stored clause text in TextRuns (never read as Markdown), with its citation.
    items: list[dict[str, Any]] = [_text("The policy says:", size="Small", subtle=True)]
    if clause.context:
        items.append(_plain(f"({clause.context})", subtle=True))
    items.append(_plain(f"“{clause.text}”", italic=True))
    items.append(_text(_source(clause), size="Small", subtle=True, spacing="None"))
    return items


def _clause_line(clause: Clause) -> str:
    context = f"({clause.context}) " if clause.context else ""
    return f"{context}“{clause.text}” — {_source(clause)}"


def _notice(text: str) -> list[dict[str, Any]]:
    return [_text(text, size="Small", color="Accent")] if text else []


def rule_card(view: RuleView) -> Rendered:
    body: list[dict[str, Any]] = [
        _text(
            f"{view.agency_name} onboarding · Rule {view.number} of {view.total}",
            weight="Bolder",
            size="Medium",
        ),
        *_notice(view.notice),
    ]
    if view.intro:
        body += [_text(view.title, weight="Bolder"), _text(view.intro)]
    body.append(_text(f"**In plain words:** {view.plain}"))
    body.append({"type": "Container", "separator": True, "items": _clause_items(view.clause)})
    title = "Start the quiz" if view.number == view.total else "Next rule"
    actions = [_submit(title, "next", "positive", agency=view.agency_id, step=view.step)]
    fallback = (
        f"Rule {view.number} of {view.total}: {view.plain}\nThe policy says: "
        f"{_clause_line(view.clause)}"
    )
    return Rendered(_card(body, actions), fallback)


def question_card(view: QuestionView) -> Rendered:
    body: list[dict[str, Any]] = [
        _text(
            f"{view.agency_name} quiz · Question {view.number} of {view.total}",
            weight="Bolder",
            size="Medium",
        ),
        *_notice(view.notice),
        _text(view.question, weight="Bolder"),
    ]
    actions = [
        _submit(choice, "answer", agency=view.agency_id, item=view.item_id, choice=n)
        for n, choice in enumerate(view.choices)
    ]
    fallback = f"Question {view.number}: {view.question} ({' / '.join(view.choices)})"
    return Rendered(_card(body, actions), fallback)


def answer_card(view: AnswerView) -> Rendered:
    verdict = "Correct" if view.correct else "Not quite"
    body: list[dict[str, Any]] = [
        _text(
            verdict, weight="Bolder", size="Medium", color="Good" if view.correct else "Attention"
        ),
        *_notice(view.notice),
        _text(view.question, subtle=True),
        _text(f"You answered: **{view.chosen}**"),
    ]
    if not view.correct:
        body.append(_text(f"The answer: **{view.correct_answer}**"))
    body.append(_text(view.explanation))
    body.append({"type": "Container", "separator": True, "items": _clause_items(view.clause)})
    title = "See my score" if view.is_last else "Next question"
    actions = [_submit(title, "continue", "positive", agency=view.agency_id)]
    fallback = (
        f"{verdict}. The answer: {view.correct_answer}. {view.explanation}\n"
        f"The policy says: {_clause_line(view.clause)}"
    )
    return Rendered(_card(body, actions), fallback)


def completion_card(view: CompletionView) -> Rendered:
    when = view.completed_at.strftime("%Y-%m-%d")
    body: list[dict[str, Any]] = [
        _text("Onboarding tour complete", weight="Bolder", size="Medium", color="Good"),
        *_notice(view.notice),
        _text(f"You completed the {view.agency_name} onboarding tour on {when}."),
        _text(f"Quiz score: **{view.score} of {view.total}**", weight="Bolder"),
        _text("Ask me any policy question at any time.", subtle=True),
    ]
    actions = [_submit("Restart the tour", "restart", agency=view.agency_id)]
    fallback = f"Onboarding complete ({when}): quiz score {view.score} of {view.total}."
    return Rendered(_card(body, actions), fallback)


def agency_choice_card(view: AgencyChoiceView) -> Rendered:
    body: list[dict[str, Any]] = [
        _text("New-hire onboarding", weight="Bolder", size="Medium"),
        *_notice(view.notice),
        _text(
            "A short tour of the social-media rules that matter most in your first weeks, "
            "then a quiz."
        ),
        _text("Which agency do you work for?", weight="Bolder"),
    ]
    actions = [_submit(a.short_name, "agency", agency=a.id) for a in view.agencies]
    fallback = "New-hire onboarding: which agency do you work for? " + ", ".join(
        a.short_name for a in view.agencies
    )
    return Rendered(_card(body, actions), fallback)


def onboarding_card(view: View) -> Rendered:
    if isinstance(view, RuleView):
        return rule_card(view)
    if isinstance(view, QuestionView):
        return question_card(view)
    if isinstance(view, AnswerView):
        return answer_card(view)
    if isinstance(view, CompletionView):
        return completion_card(view)
    return agency_choice_card(view)
