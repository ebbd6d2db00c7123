"""Staff's words -> the policies' words, for lexical matching.

People ask "can I add a kid's mom on Insta?"; the policies say "friending ...
the parent or guardian of a client". Each entry maps a stem users say to stems
the policies use. The dense model bridges much of this; the lexicon makes the
lexical half meet it. It names concepts, never clauses or answers.
"""

from __future__ import annotations

from bot.core.text import tokens

_GROUPS: list[tuple[str, str]] = [
    # (what users say, what the policies say)
    ("friend connect add follow request accept befriend", "friend contact"),
    (
        "mom mother dad father grandmother grandma grandfather grandpa grandparent aunt uncle "
        "sibling brother sister cousin stepmom stepdad guardian parent",
        "parent guardian family relative",
    ),
    (
        "kid kids child children youth teen teenager minor boy girl son daughter juvenile "
        "resident student",
        "youth child client",
    ),
    ("caseload case family families client", "client family"),
    ("detention detained lockup locked juvie custody facility", "detained youth residential"),
    ("foster", "foster famil"),
    ("post share upload tweet publish put blog write", "post disclose"),
    ("photo picture pic pics selfie image video footage", "photograph image video"),
    ("logo seal emblem badge insignia branding letterhead", "logo seal insignia symbol"),
    ("boss manager supervisor management director", "supervisor management"),
    ("laptop computer desktop phone cellphone tablet device equipment pc", "equipment state"),
    ("password login credential account username", "password username account"),
    ("news press reporter journalist article media release", "media spokesperson"),
    (
        "complain vent rant gripe grievance trash bash criticize disagree",
        "workplace issue disagreement comment operation",
    ),
    ("coworker colleague staff employee peer", "employee staff"),
    ("cop cops police officer sheriff deputy", "law enforcement"),
    (
        "diagnosis medical health sick illness medication hospital seizure therapy",
        "medical diagnosis",
    ),
    ("arrest criminal record offense conviction rap", "criminal offender record"),
    ("investigation investigator investigate", "investigation"),
    ("campaign candidate election politics political vote", "political candidate"),
    ("fundraiser charity sell business product promote advertise", "promote product service"),
    ("swear curse cuss profanity", "profanity"),
    ("drink drinking beer wine alcohol drunk weed marijuana drug party", "alcohol drug"),
    ("weekend night evening personal home", "personal"),
    ("break lunch workday shift", "work hour"),
    ("fake alias pseudonym anonymous", "pseudonym false name identity"),
    ("spokesperson represent behalf official", "represent spokesperson department"),
    ("libel defame slander lie", "libelous defamatory"),
    ("building office van car vehicle unit", "building facility vehicle"),
    ("address school name age birthday", "personal information identifiable"),
    ("insta instagram facebook fb twitter tiktok snapchat linkedin youtube", "social media"),
    ("chat message dm text", "communicate chat contact"),
    ("monitor watch spy keep tabs check", "supervision monitor"),
    ("email e-mail", "email"),
    ("link hyperlink url", "link"),
    ("spam ad ads junk", "spam advertising"),
    ("fired discipline punish punishment trouble", "disciplinary termination"),
    ("talk discuss mention speak say gossip", "discuss comment"),
    ("manage manages run runs charge oversee administer own handle", "responsible manage"),
    (
        "permission permit allowed approval approve authorize sign",
        "authorization approval permission",
    ),
    ("covered count counts apply applies include", "include example"),
    ("harass bully threaten intimidate", "harass intimidat hostile"),
    ("payback revenge retaliate retaliation backlash", "negative action retaliat"),
    ("critique criticism review feedback", "negative constructive comment"),
]


def _build() -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for said, written in _GROUPS:
        targets = tokens(written)
        for stem in tokens(said):
            table.setdefault(stem, [])
            table[stem] += [t for t in targets if t != stem and t not in table[stem]]
    return table


class Lexicon:
    def __init__(self) -> None:
        self._table = _build()

    def expand(self, query_tokens: list[str]) -> list[str]:
        """Policy-register stems for the user's stems (not including the originals)."""
        seen = set(query_tokens)
        out: list[str] = []
        for t in query_tokens:
            for x in self._table.get(t, []):
                if x not in seen:
                    seen.add(x)
                    out.append(x)
        return out
