"""Pure Block Kit renderers: core values in, Slack payloads out, no I/O.

Every renderer returns payloads Slack accepts as-is: limits are enforced here
by construction (split or trimmed with a pointer to the rest), never left for
Slack to reject. All text that did not come from us is escaped so that
``<!channel>`` or ``<@U123>`` echoed back pings nobody.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.models import (
    Answer,
    CheckResult,
    CheckVerdict,
    Citation,
    Finding,
    Guidance,
    Severity,
)

Block = dict[str, Any]

# Slack's documented limits (https://docs.slack.dev/reference/block-kit/blocks).
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_CONTEXT_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_VIEW_TITLE = 24
MAX_INPUT_CHARS = 3000
# Our own caps: a readable message, and a notification preview that never holds a draft.
MAX_FALLBACK_TEXT = 3000
MAX_QUOTES_SHOWN = 10
MAX_FINDINGS_SHOWN = 10
MAX_QUESTION_ECHO = 300

FEEDBACK_BLOCK_ID = "feedback"
ACTION_HELPFUL = "feedback_helpful"
ACTION_NOT_HELPFUL = "feedback_not_helpful"
ESCALATE_BLOCK_ID = "escalate"
ACTION_ESCALATE = "escalate_pio"
HOME_ASK_PREFIX = "home_ask_"
CHECK_MODAL_ID = "policy_check_modal"
DRAFT_BLOCK_ID = "draft"
DRAFT_ACTION_ID = "draft_text"

EXAMPLE_QUESTIONS: tuple[str, ...] = (
    "May I friend a foster parent on Facebook?",
    "Can I post photos of youth in care?",
    "A youth's mother sent me a friend request. Can I accept?",
    "Can I use my personal account to talk about my work?",
    "Who approves a new agency social media account?",
)

PIO_HINT = (
    "None of the policies I know covers this, so I am not quoting any clause. "
    "Ask your agency's Public Information Officer (PIO) before you post."
)

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


@dataclass(frozen=True)
class Message:
    """A chat message: blocks plus the plain fallback Slack shows in notifications."""

    text: str
    blocks: list[Block]

    def kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


def escape(text: str) -> str:
    """Slack's three control characters; the only escaping mrkdwn and `text` need."""
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


def clamp(text: str, limit: int) -> str:
    """Trim to ``limit`` characters with an ellipsis (for raw text, before escaping)."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + "…"


def clamp_escaped(raw: str, limit: int) -> str:
    """Escape ``raw`` and trim it so the escaped form fits ``limit`` (entities stay whole)."""
    pieces = split_escaped(raw, limit - 1)
    if len(pieces) <= 1:
        return pieces[0] if pieces else ""
    return pieces[0].rstrip() + "…"


def split_escaped(raw: str, limit: int) -> list[str]:
    """Escape ``raw`` and cut it into pieces of at most ``limit`` characters.

    Cuts fall on whitespace when there is any, and never inside an entity such as
    ``&amp;``: splitting verbatim quotes must not change a single word.
    """
    out: list[str] = []
    buf: list[str] = []
    size = 0
    last_space = -1
    for ch in raw:
        esc = _ESCAPES.get(ch, ch)
        if size + len(esc) > limit and buf:
            cut = last_space + 1 if last_space >= 0 else len(buf)
            out.append("".join(buf[:cut]))
            buf = buf[cut:]
            size = sum(len(x) for x in buf)
            last_space = max((i for i, x in enumerate(buf) if x.isspace()), default=-1)
        buf.append(esc)
        size += len(esc)
        if ch.isspace():
            last_space = len(buf) - 1
    if buf:
        out.append("".join(buf))
    return [p.strip("\n") for p in out if p.strip()]


def section(mrkdwn: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn[:MAX_SECTION_TEXT]}}


def context(*mrkdwn: str) -> Block:
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": m[:MAX_CONTEXT_TEXT]} for m in mrkdwn[:10]],
    }


def header(text: str) -> Block:
    return {
        "type": "header",
        "text": {"type": "plain_text", "text": clamp(text, MAX_HEADER_TEXT), "emoji": True},
    }


def button(text: str, action_id: str, value: str, style: str | None = None) -> Block:
    out: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": clamp(text, MAX_BUTTON_TEXT), "emoji": True},
        "action_id": action_id,
        "value": value[:MAX_BUTTON_VALUE],
    }
    if style:
        out["style"] = style
    return out


def sections(raw: str, *, prefix: str = "") -> list[Block]:
    """Long raw text as as many sections as it needs (each within the 3000 limit)."""
    budget = MAX_SECTION_TEXT - len(prefix)
    return [section(prefix + piece) for piece in split_escaped(raw, budget)]


def quote_sections(quote: str, lead_in: str = "") -> list[Block]:
    """A verbatim clause as mrkdwn quote lines, split across sections if it is long.

    The lead-in (the sentence a list item hangs from) is shown above the quote,
    never inside it.
    """
    lead = f"_{clamp_escaped(lead_in, 500)}_\n" if lead_in.strip() else ""
    blocks: list[Block] = []
    # "> " per line costs characters; leave room for it and for the lead-in.
    for i, piece in enumerate(split_escaped(quote, 2400)):
        quoted = "\n".join("> " + line if line.strip() else ">" for line in piece.split("\n"))
        text = (lead if i == 0 else "") + quoted
        blocks.append(section(text))
    return blocks or [section(lead + "> …")]


def citation_blocks(citation: Citation) -> list[Block]:
    c = citation.clause
    where = " · ".join(
        part for part in (f"*{escape(c.agency)}*", escape(c.policy), escape(c.section)) if part
    )
    return [*quote_sections(c.text, c.context), context(where)]


# --- feedback button values -------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackRef:
    """What a vote needs to be recorded without server-side state."""

    question: str
    citation_ids: list[str]
    agency_id: str | None


def feedback_value(question: str, citation_ids: Sequence[str], agency_id: str | None) -> str:
    """Encode a vote's context into a button value of at most 2000 characters.

    Citation ids are kept whole (they are what the vote is about); the question is
    trimmed if it must be — it is only there to read the vote log by.
    """
    ids = list(citation_ids)

    def encode(q: str, ids: list[str]) -> str:
        return json.dumps(
            {"q": q, "c": ids, "a": agency_id}, ensure_ascii=False, separators=(",", ":")
        )

    value = encode(question, ids)
    while len(value) > MAX_BUTTON_VALUE and len(encode("", ids)) > MAX_BUTTON_VALUE // 2:
        ids = ids[:-1]
        value = encode(question, ids)
    if len(value) > MAX_BUTTON_VALUE:
        room = MAX_BUTTON_VALUE - len(encode("", ids))
        q = question[: max(room, 0)]
        # JSON escaping (quotes, backslashes, control characters) can still overflow.
        while len(encode(q, ids)) > MAX_BUTTON_VALUE:
            q = q[: len(q) - max(1, (len(encode(q, ids)) - MAX_BUTTON_VALUE))]
        value = encode(q, ids)
    return value


def parse_feedback_value(value: str) -> FeedbackRef | None:
    try:
        data = json.loads(value)
        question = str(data["q"])
        ids = [str(i) for i in data.get("c", [])]
        agency = data.get("a")
    except (ValueError, KeyError, TypeError):
        return None
    return FeedbackRef(question, ids, str(agency) if agency else None)


def feedback_actions(answer: Answer, shown_ids: Sequence[str], agency_id: str | None) -> Block:
    value = feedback_value(answer.question, shown_ids, agency_id)
    return {
        "type": "actions",
        "block_id": FEEDBACK_BLOCK_ID,
        "elements": [
            button("Helpful", ACTION_HELPFUL, value),
            button("Not helpful", ACTION_NOT_HELPFUL, value),
        ],
    }


def escalate_actions(answer: Answer, shown_ids: Sequence[str], agency_id: str | None) -> Block:
    """ "Ask the PIO": on every answer, and the main action when the policies are silent."""
    value = feedback_value(answer.question, shown_ids, agency_id)
    return {
        "type": "actions",
        "block_id": ESCALATE_BLOCK_ID,
        "elements": [
            button(
                "Ask the PIO",
                ACTION_ESCALATE,
                value,
                style=None if answer.covered else "primary",
            )
        ],
    }


def guidance_blocks(guidance: Sequence[Guidance]) -> list[Block]:
    """Earlier PIO answers: labelled as guidance, with who and when, never as policy."""
    out: list[Block] = []
    for g in guidance[:3]:
        out.append(
            context(
                f":speech_balloon: *PIO guidance (not policy text)* — "
                f"{clamp_escaped(g.author, 100)}, {escape(g.created)}"
            )
        )
        out.append(section(clamp_escaped(g.text, 2900)))
    return out


def feedback_thanks(blocks: Sequence[Block], helpful: bool) -> list[Block]:
    """The same message with its vote buttons replaced by a visible acknowledgement."""
    label = "Helpful" if helpful else "Not helpful"
    thanks = context(f"Thanks — recorded your vote: *{label}*.")
    out = [thanks if b.get("block_id") == FEEDBACK_BLOCK_ID else b for b in blocks]
    return out if any(b is thanks for b in out) else [*out, thanks]


# --- answers --------------------------------------------------------------------------


def _pointer(hidden: int, noun: str) -> Block:
    plural = noun if hidden == 1 else noun + "s"
    return context(
        f"…{hidden} more {plural} not shown here — ask a narrower question "
        "(e.g. name your agency or the platform), or see the full policy."
    )


def _fit(
    head: list[Block],
    groups: list[list[Block]],
    tail: list[Block],
    max_blocks: int,
    max_groups: int,
    noun: str,
) -> tuple[list[Block], int]:
    """Head, as many whole groups as fit, a pointer to the rest, then the tail."""
    body: list[Block] = []
    shown = 0
    for group in groups:
        if shown >= max_groups:
            break
        # One slot stays free for the pointer in case something is left out.
        if len(head) + len(body) + len(group) + len(tail) + 1 > max_blocks:
            break
        body.extend(group)
        shown += 1
    hidden = len(groups) - shown
    pointer = [_pointer(hidden, noun)] if hidden else []
    blocks = head + body + pointer + tail
    if len(blocks) > max_blocks:  # only a pathological head gets here
        blocks = [*blocks[: max_blocks - len(tail) - 1], _pointer(hidden or 1, noun), *tail]
    return blocks, shown


def verdict_line(agency: str, label: str, summary: str) -> str:
    line = f"*{escape(agency)}* — {escape(label)}"
    return line + (f": {escape(summary)}" if summary else "")


def render_answer(
    answer: Answer,
    *,
    intro: str = "",
    agency_id: str | None = None,
    feedback: bool = True,
    escalate: bool = True,
    max_blocks: int = MAX_MESSAGE_BLOCKS,
) -> Message:
    """An answer: verdict per agency, each quoted clause with where it is from, vote buttons.

    ``intro`` is our own mrkdwn (not escaped). When the policies are silent the
    message says so and carries no citations, whatever the answer holds.
    """
    head: list[Block] = []
    if intro:
        head.append(context(intro))
    if answer.question.strip():
        head.append(context(f"*Question:* {clamp_escaped(answer.question, MAX_QUESTION_ECHO)}"))
    if answer.notice:
        head.append(context(f":information_source: {clamp_escaped(answer.notice, 1000)}"))

    fallback: list[str] = []
    groups: list[list[Block]] = []
    citations = answer.citations if answer.covered else []
    if not answer.covered:
        pieces = split_escaped(answer.answer, MAX_SECTION_TEXT - 100)
        first = f":mag: *The policies are silent on this.* {pieces[0] if pieces else ''}"
        head.append(section(first.rstrip()))
        head.extend(section(p) for p in pieces[1:])
        head.append(context(escape(PIO_HINT)))
        fallback.append("The policies are silent on this. " + PIO_HINT)
    elif answer.verdicts:
        lines = [verdict_line(v.agency, v.label, v.summary) for v in answer.verdicts]
        # Verdict lines are already escaped: pack whole lines into sections.
        for chunk in _pack_lines(lines, MAX_SECTION_TEXT):
            head.append(section(chunk))
        fallback.extend(lines)
    else:
        head.extend(sections(answer.answer or "Here is what the policies say."))
        fallback.append(escape(answer.answer))
    groups = [citation_blocks(c) for c in citations]

    # Under the policy quotes, never among them.
    tail: list[Block] = guidance_blocks(answer.guidance)
    if feedback:
        tail.append(feedback_actions(answer, [], agency_id))  # ids filled in below
    if escalate:
        tail.append(escalate_actions(answer, [], agency_id))
    blocks, shown = _fit(head, groups, tail, max_blocks, MAX_QUOTES_SHOWN, "clause")
    shown_ids = [c.id for c in citations[:shown]]
    for i, b in enumerate(blocks):
        if b.get("block_id") == FEEDBACK_BLOCK_ID:
            blocks[i] = feedback_actions(answer, shown_ids, agency_id)
        elif b.get("block_id") == ESCALATE_BLOCK_ID:
            blocks[i] = escalate_actions(answer, shown_ids, agency_id)
    if answer.guidance:
        fallback.append("(with earlier PIO guidance, not policy text)")
    if citations:
        fallback.append(f"({len(citations)} quoted clause{'s' if len(citations) != 1 else ''})")
    text = clamp("\n".join(x for x in fallback if x), MAX_FALLBACK_TEXT)
    return Message(text=text or "PolicyBot answer", blocks=blocks)


def _pack_lines(lines: Sequence[str], limit: int) -> list[str]:
    chunks: list[str] = []
    cur = ""
    for line in lines:
        line = line[:limit]
        if cur and len(cur) + 1 + len(line) > limit:
            chunks.append(cur)
            cur = line
        else:
            cur = f"{cur}\n{line}" if cur else line
    if cur:
        chunks.append(cur)
    return chunks


# --- draft checks ---------------------------------------------------------------------

_CHECK_HEADLINES = {
    CheckVerdict.OK: ":white_check_mark: *No policy problems found.*",
    CheckVerdict.REVIEW: ":warning: *Review before posting.*",
    CheckVerdict.VIOLATION: ":no_entry: *Do not post this as written.*",
}
_SEVERITY_LABELS = {Severity.VIOLATION: "Violates policy", Severity.REVIEW: "Check this"}


def finding_blocks(finding: Finding, max_citations: int = 2) -> list[Block]:
    category = finding.category.replace("_", " ")
    parts = [f"*{_SEVERITY_LABELS.get(finding.severity, finding.severity)}* · {escape(category)}"]
    if finding.evidence.text.strip():
        parts.append(f"“{clamp_escaped(finding.evidence.text, 300)}”")
    if finding.explanation:
        parts.append(clamp_escaped(finding.explanation, 1000))
    if finding.suggestion:
        parts.append(f"_Suggestion:_ {clamp_escaped(finding.suggestion, 1000)}")
    blocks = [section("\n".join(parts))]
    for citation in finding.citations[:max_citations]:
        blocks.extend(citation_blocks(citation))
    return blocks


def render_check(
    result: CheckResult, *, intro: str = "", max_blocks: int = MAX_MESSAGE_BLOCKS
) -> Message:
    """A draft check for its author only. The fallback text never contains the draft."""
    n = len(result.findings)
    headline = _CHECK_HEADLINES.get(result.verdict, f"*{escape(result.verdict)}*")
    if n:
        headline += f" {n} thing{'s' if n != 1 else ''} to look at below."
    else:
        headline += (
            " I check for what the policies name (children's names, photos, locations, "
            "case details…); you are still responsible for the post."
        )
    head: list[Block] = []
    if intro:
        head.append(context(intro))
    head.append(section(headline))
    if result.notice:
        head.append(context(f":information_source: {clamp_escaped(result.notice, 1000)}"))
    groups = [finding_blocks(f) for f in result.findings]
    blocks, _ = _fit(head, groups, [], max_blocks, MAX_FINDINGS_SHOWN, "finding")
    plain = {
        CheckVerdict.OK: "Draft check: no policy problems found.",
        CheckVerdict.REVIEW: f"Draft check: review before posting ({n} to look at).",
        CheckVerdict.VIOLATION: f"Draft check: do not post this as written ({n} problems).",
    }.get(result.verdict, "Draft check result.")
    return Message(text=plain, blocks=blocks)


# --- small messages -------------------------------------------------------------------


def render_error(text: str, intro: str = "") -> Message:
    """A message the user must see (bad input, index down, our failure); never silent."""
    head = [context(intro)] if intro else []
    return Message(
        text=clamp(escape(text), MAX_FALLBACK_TEXT),
        blocks=[*head, section(f":warning: {clamp_escaped(text, 2900)}")],
    )


def render_notice(mrkdwn: str) -> Message:
    """A short message of ours (already mrkdwn)."""
    return Message(text=mrkdwn, blocks=[section(mrkdwn)])


HELP_TEXT = (
    "*PolicyBot* quotes your agency's social-media policy, word for word, with agency, "
    "policy and section.\n"
    "• *Ask:* `/policy May I friend a foster parent?`, mention me in a channel, or DM me.\n"
    "• *Check a draft post privately:* `/policy check` (opens a form), DM me "
    "`check: <your draft>`, or use the *Check against policy* message shortcut.\n"
    "• In a DM I guess whether you sent a question or a draft; start with `ask:` or "
    "`check:` to say which.\n"
    "• *New here?* `/policy onboard` walks you through the rules that matter most, "
    "then a short quiz.\n"
    "Draft posts are never stored or shown to anyone but you."
)


def render_help() -> Message:
    return Message(
        text="PolicyBot: ask with /policy <question>, check a draft with /policy check.",
        blocks=[section(HELP_TEXT)],
    )


# --- views ----------------------------------------------------------------------------


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": clamp(text, limit), "emoji": True}


def check_modal() -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": CHECK_MODAL_ID,
        "title": _plain("Check a draft post", MAX_VIEW_TITLE),
        "submit": _plain("Check", MAX_VIEW_TITLE),
        "close": _plain("Cancel", MAX_VIEW_TITLE),
        "blocks": [
            section(
                "Paste the post you are about to publish. Only you see the result; "
                "the draft is not stored or logged."
            ),
            {
                "type": "input",
                "block_id": DRAFT_BLOCK_ID,
                "label": _plain("Draft post", 2000),
                "element": {
                    "type": "plain_text_input",
                    "action_id": DRAFT_ACTION_ID,
                    "multiline": True,
                    "max_length": MAX_INPUT_CHARS,
                    "placeholder": _plain("e.g. So proud of our youth at the spring fair!", 150),
                },
                "hint": _plain(
                    "Up to 3,000 characters. For longer drafts, DM me: check: <draft>.", 2000
                ),
            },
        ],
    }


def result_view(message: Message, title: str = "Draft check") -> dict[str, Any]:
    """A modal showing a result in place of the form (no submit: nothing more to send)."""
    return {
        "type": "modal",
        "callback_id": CHECK_MODAL_ID + "_result",
        "title": _plain(title, MAX_VIEW_TITLE),
        "close": _plain("Done", MAX_VIEW_TITLE),
        "blocks": message.blocks[:MAX_VIEW_BLOCKS],
    }


def checking_view() -> dict[str, Any]:
    return result_view(render_notice(":hourglass_flowing_sand: Checking your draft…"))


def home_view(agency_label: str, examples: Sequence[str] = EXAMPLE_QUESTIONS) -> dict[str, Any]:
    buttons = [button(q, f"{HOME_ASK_PREFIX}{i}", q) for i, q in enumerate(examples[:25])]
    blocks: list[Block] = [
        header("PolicyBot"),
        section(
            "I answer questions about your agency's social-media policy with the exact "
            "clauses — quoted word for word with agency, policy and section — and a plain "
            "verdict. I also check draft posts before they go out, privately."
        ),
        section(f"*Your agency:* {escape(agency_label)}"),
        header("Try a question"),
        context("The answer arrives as a direct message from me."),
    ]
    if buttons:
        blocks.append({"type": "actions", "block_id": "home_examples", "elements": buttons})
    blocks += [{"type": "divider"}, section(HELP_TEXT)]
    return {"type": "home", "blocks": blocks[:MAX_VIEW_BLOCKS]}
