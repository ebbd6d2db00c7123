"""A cheap "is this English?" test, so the checker can say when it could only
run its language-neutral checks. No model: function-word counts are enough to
tell a post in English from one in Spanish, French, Portuguese or German."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+")
_ENGLISH = frozenset(
    """the a an and or but of to in on at for with from by is are was were be been am i you he
    she it we they my our your his her their this that these those not no so just what who
    how when where why will would can could should have has had do does did me us them him
    its there here all some any more very too up out about if then than as into over after
    before today tonight get got going im i'm it's don't can't love""".split()
)
_OTHER = frozenset(
    """el la los las que y en con por para una un es del al lo mi mis su sus pero muy como
    más está estoy hoy niño niña niños familia le les des et est une dans pour avec sur pas
    ce qui je nous vous ils mais très aujourd'hui und der die das ist nicht ich mit ein eine
    zu auf für heute não uma com por isso muito hoje eu você ele ela""".split()
)


def looks_english(text: str) -> bool:
    """True unless the text clearly reads as another language or script.

    Short or wordless drafts ("Beautiful sunset tonight", emoji) count as
    English: there is nothing to tell otherwise and every check can run."""
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return True
    letters = "".join(words)
    non_latin = sum(1 for ch in letters if ord(ch) > 0x24F)
    if non_latin / len(letters) > 0.3:
        return False
    english = sum(w in _ENGLISH for w in words)
    other = sum(w in _OTHER for w in words)
    return not (other >= 2 and other > english)
