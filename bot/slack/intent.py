"""Reading what a Slack user meant: Slack markup to plain text, commands, draft-or-question.

Pure functions, no Slack SDK: everything here is unit-testable on strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

# <@U123>, <@U123|name>, <!channel>, <!subteam^S1|@team>, <#C1|general>, <https://x|label>
_SLACK_TOKEN = re.compile(r"<([^<>]*)>")
_CHECK_PREFIX = re.compile(r"^\s*(?:check|draft)\s*[:\-–]\s*", re.IGNORECASE)
_ASK_PREFIX = re.compile(r"^\s*(?:ask|question|q)\s*[:\-–]\s*", re.IGNORECASE)

# Words a question to the bot opens with ("can I…", "should we…", "what…").
_STARTERS = (
    "can may is are am do does did should shall could would will must what when where which "
    "who whom whose why how if was were have has any anyone"
)
_QUESTION_STARTERS = frozenset(_STARTERS.split())
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|i've|we|we're|our|my|me|us)\b", re.IGNORECASE)
_HASHTAG = re.compile(r"(?<!\w)#\w+")
# Emoji shortcodes as Slack sends them (:tada:) and pictographic code points.
_EMOJI = re.compile(r":[a-z0-9_+\-]+:|[\U0001F300-\U0001FAFF\u2600-\u27BF]")


def slack_to_plain(text: str) -> str:
    """Slack's wire markup to what the user saw: mentions become @names, links their label.

    Slack escapes &, <, > in message text; mention tokens are the only raw '<'.
    The result is fit for the core (never for posting back: use blocks.escape).
    """

    def token(m: re.Match[str]) -> str:
        inner = m.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            return "@" + (label or "someone")
        if target.startswith("#"):
            return "#" + (label or "channel")
        if target.startswith("!"):
            if target.startswith("!subteam^"):
                return label or "@group"
            if target.startswith("!date^"):
                return label or ""
            return "@" + target[1:]
        return f"{label} ({target})" if label and label != target else target

    plain = _SLACK_TOKEN.sub(token, text)
    return plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def strip_bot_mention(text: str) -> str:
    """Drop the leading @PolicyBot (and any stray mention of the bot) from a mention's text."""
    return re.sub(r"^\s*(?:<@[A-Z0-9]+(?:\|[^>]*)?>\s*)+", "", text).strip()


class Mode(StrEnum):
    QUESTION = "question"
    DRAFT = "draft"
    HELP = "help"


@dataclass(frozen=True)
class Intent:
    mode: Mode
    text: str
    # True when the user said which mode (prefix); False when we guessed.
    explicit: bool


def explicit_check(text: str) -> str | None:
    """The draft after a "check:" prefix, or None when there is no such prefix."""
    m = _CHECK_PREFIX.match(text)
    return text[m.end() :].strip() if m else None


def read_message(text: str, *, guess_drafts: bool) -> Intent:
    """Decide between question, draft check and help for a plain-text message.

    ``guess_drafts`` is on in DMs only: in channels a draft is checked only when
    the author says "check:", because guessing wrong there would answer in public.
    """
    stripped = text.strip()
    if not stripped or stripped.lower() in {"help", "?", "hi", "hello"}:
        return Intent(Mode.HELP, "", explicit=True)
    draft = explicit_check(stripped)
    if draft is not None:
        return Intent(Mode.DRAFT, draft, explicit=True) if draft else Intent(Mode.HELP, "", True)
    m = _ASK_PREFIX.match(stripped)
    if m:
        question = stripped[m.end() :].strip()
        return Intent(Mode.QUESTION, question, True) if question else Intent(Mode.HELP, "", True)
    if guess_drafts and looks_like_draft(stripped):
        return Intent(Mode.DRAFT, stripped, explicit=False)
    return Intent(Mode.QUESTION, stripped, explicit=False)


def looks_like_draft(text: str) -> bool:
    """Does this read like a post someone is about to publish rather than a question to us?

    Questions: end with "?" or open with an auxiliary / wh-word ("can I…", "should
    we…"). Drafts: "check:" prefix, hashtags, emoji, exclamations, first-person
    narrative ("So proud of our kids at…"). When in doubt it is a question — the
    reply says which way it was read and how to get the other.
    """
    t = text.strip()
    if not t:
        return False
    if explicit_check(t) is not None:
        return True
    first_line = t.splitlines()[0].strip()
    words = re.findall(r"[A-Za-z']+", first_line.lower())
    first = words[0] if words else ""
    if first in _QUESTION_STARTERS and "!" not in t and not _HASHTAG.search(t):
        return False
    if t.rstrip().endswith("?") and len(t) < 400 and not _HASHTAG.search(t):
        return False
    score = 0
    if _HASHTAG.search(t):
        score += 2
    if _EMOJI.search(t):
        score += 2
    if "!" in t:
        score += 1
    if _FIRST_PERSON.search(t):
        score += 1
    if len(t) > 280 or t.count("\n") >= 2:
        score += 1
    if "?" not in t:
        score += 1
    return score >= 2


@dataclass(frozen=True)
class Command:
    name: str  # "help", "check", "ask", "onboard"
    text: str


def parse_command(text: str) -> Command:
    """`/policy <question>`, `/policy check [draft]`, `/policy onboard [agency]`, `/policy help`."""
    stripped = text.strip()
    head, _, rest = stripped.partition(" ")
    key = head.lower().rstrip(":")
    if not stripped or key in {"help", "-h", "--help"}:
        return Command("help", "")
    draft = explicit_check(stripped)
    if draft is not None:
        return Command("check", draft)
    if key == "check":
        return Command("check", rest.strip())
    # "/policy onboard [agency]"; a longer sentence starting with the word is a question.
    if key in {"onboard", "onboarding"} and len(rest.split()) <= 1:
        return Command("onboard", rest.strip())
    if key == "ask":
        return Command("ask", rest.strip()) if rest.strip() else Command("help", "")
    return Command("ask", stripped)
