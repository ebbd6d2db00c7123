"""What a Teams message asks for: an answer to a question, or a check of a draft post.

Pure text heuristics, no I/O. A wrong guess costs little because the reply says
which reading was used and how to ask for the other one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class Intent(StrEnum):
    ASK = "ask"
    CHECK = "check"


@dataclass(frozen=True)
class Request:
    intent: Intent
    text: str
    # True when the user said "check" themselves; False when the text was guessed to be a post.
    explicit: bool = False


_QUESTION_WORDS = frozenset(
    {
        *("can", "could", "may", "might", "is", "are", "am", "was", "were"),
        *("do", "does", "did", "should", "shall", "must", "will", "would"),
        *("who", "what", "when", "where", "why", "how", "which", "whose", "whom"),
    }
)
# "check", "check:", "check this:", "check my post -", "Check draft\n..."
_CHECK_PREFIX = re.compile(
    r"^\s*check(?:\s+(?:this|my|the)?\s*(?:draft|post)?)?\s*(?:[:\-–—]|\n|$)\s*",
    re.IGNORECASE,
)
_HASHTAG = re.compile(r"(?:^|\s)#[^\s#]{2,}")
_HANDLE = re.compile(r"(?:^|\s)@\w{2,}")
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|we|we're|we've|our|us|my|me)\b", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"[.!?]+\s+\S")


def _has_emoji(text: str) -> bool:
    # Symbol-other characters cover pictographs; U+1F000+ catches the rest of the emoji planes.
    return any(unicodedata.category(ch) == "So" or ord(ch) >= 0x1F000 for ch in text)


def looks_like_question(text: str) -> bool:
    stripped = text.strip()
    if not stripped:
        return False
    if stripped.endswith("?"):
        return True
    first = re.split(r"[\s,]+", stripped, maxsplit=1)[0].lower().strip("\"'“”(")
    return first in _QUESTION_WORDS


def looks_like_draft(text: str) -> bool:
    """True when ``text`` reads like a social-media post rather than a question.

    Questions (ending in "?" or starting with can/may/is/do/should/who/what...)
    are never drafts. Otherwise post-like signals are counted: hashtags, emoji,
    exclamation, links, @handles, first-person narrative over several sentences.
    """
    stripped = text.strip()
    if not stripped or looks_like_question(stripped):
        return False
    score = 0
    if _HASHTAG.search(stripped):
        score += 2
    if _has_emoji(stripped):
        score += 2
    if "!" in stripped:
        score += 1
    if _URL.search(stripped):
        score += 1
    if _HANDLE.search(stripped):
        score += 1
    first_person = bool(_FIRST_PERSON.search(stripped))
    sentences = len(_SENTENCE_BREAK.findall(stripped)) + 1
    if first_person:
        score += 1
    if sentences >= 2 and len(stripped) >= 80:
        score += 1
    return score >= 2


def parse_request(text: str) -> Request:
    """Read a message (mention already removed) as a question or a draft to check."""
    match = _CHECK_PREFIX.match(text)
    if match:
        return Request(Intent.CHECK, text[match.end() :].strip(), explicit=True)
    stripped = text.strip()
    if looks_like_draft(stripped):
        return Request(Intent.CHECK, stripped, explicit=False)
    return Request(Intent.ASK, stripped)
