"""What a question's wording says besides its topic, and what it changes.

"on my state laptop" says the asker works for a state agency, so a state's rule
beats a county's rule on the same thing; "do I need my supervisor's permission"
asks for the clause that names the approval, not its neighbour on the same
topic. tests/golden/holdout_cues.jsonl (written before either cue was built,
never trained on) measures both on the real index. A name only one or two
clauses say ("CORI") asks about them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import Runtime, build_runtime, ingest
from bot.core.assistant import Assistant
from bot.core.cues import (
    asks_permission,
    employer_agencies,
    names_asked,
    names_permission,
    rare_names,
)
from bot.core.models import AgencyInfo
from bot.core.ports import Embedder
from bot.core.retrieval import HybridRetriever
from bot.evaluation import read_jsonl, score_questions
from bot.stores.memory_store import MemoryClauseStore
from tests.conftest import make_settings
from tests.fakes.clauses import make_clause

STATE = {"ct-dcf", "ma-dys"}
COUNTY = {"la-dcfs", "la-cio", "lccs"}
AGENCIES = [
    AgencyInfo("ct-dcf", "Connecticut DCF", "CT DCF", [], jurisdiction=["state"]),
    AgencyInfo("ma-dys", "Massachusetts DYS", "DYS", [], jurisdiction=["state", "commonwealth"]),
    AgencyInfo("la-dcfs", "LA County DCFS", "DCFS", [], jurisdiction=["county"]),
    AgencyInfo("lccs", "Lucas County Children Services", "LCCS", [], jurisdiction=["county"]),
]
CUES = Path(__file__).resolve().parent / "golden" / "holdout_cues.jsonl"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Can I check Facebook on my state laptop at lunch?", STATE),
        ("Is my state-issued phone ok for Instagram?", STATE),
        ("May I use a Commonwealth computer for LinkedIn?", {"ma-dys"}),
        ("I signed up for Pinterest with my county email address.", {"la-dcfs", "lccs"}),
        ("Can I post from the County's network on my break?", {"la-dcfs", "lccs"}),
    ],
)
def test_the_owner_of_the_equipment_names_the_askers_employer(
    question: str, expected: set[str]
) -> None:
    assert set(employer_agencies(question, AGENCIES)) == expected & {a.id for a in AGENCIES}


@pytest.mark.parametrize(
    "question",
    [
        "My cousin is a state trooper; can I tag him?",
        "Does state law let me post my own court records?",
        "Mom moved out of state; can I look at her public page?",
        "What does the policy state about friending clients?",
        # Both governments named: no cue either way.
        "Is a state laptop treated differently from a county laptop?",
    ],
)
def test_other_uses_of_state_and_county_name_no_employer(question: str) -> None:
    assert employer_agencies(question, AGENCIES) == []


@pytest.mark.parametrize(
    "question",
    [
        "Do I need my supervisor's permission to follow a youth on Instagram?",
        "Does a new page have to be approved before we launch it?",
        "Whose OK do I need to post a coworker's photo?",
        "Who has to sign off on our new Twitter account?",
        "Do I need authorization to share department news?",
        "Is approval required before I open a page?",
    ],
)
def test_questions_asking_whether_an_approval_is_needed(question: str) -> None:
    assert asks_permission(question)


@pytest.mark.parametrize(
    "question",
    [
        "Can I label my blog 'approved by the department'?",
        "My supervisor approved my post. Can I tag the families?",
        "Can I post a photo of the youth I work with?",
    ],
)
def test_questions_that_only_mention_an_approval(question: str) -> None:
    assert not asks_permission(question)


def test_clauses_that_make_something_depend_on_an_approval() -> None:
    assert names_permission("they shall obtain authorization in writing from their supervisor")
    assert names_permission("without the written permission of a DCF manager")
    assert names_permission("shall be approved in advance by DCF Information Services")
    assert not names_permission("There is no requirement that employees use social media")


# Two agencies with the same equipment rule word for word, one run by a state and
# one by a county, and an item that says both "no requirement" and "authorization".
_MANIFEST = """
agencies:
  - {id: lake-dcs, name: Lake State Department of Children's Services, short_name: Lake DCS,
     jurisdiction: [state]}
  - {id: river-cys, name: River County Youth Services, short_name: River CYS,
     jurisdiction: [county]}
documents:
  - {file: policies/lake.txt, id: lake-sm, agency: lake-dcs, title: Social Media, governs: staff}
  - {file: policies/river.txt, id: river-sm, agency: river-cys, title: Social Media,
     governs: staff}
"""
_EQUIPMENT = (
    "Equipment\n\nEmployees shall not use social media for personal reasons on equipment "
    "provided by their employer.\n"
)
_SUPERVISION = (
    "Supervision\n\nThere is no requirement that employees use social media for the "
    "supervision of youth. Where caseworkers, apprehension officers, clinical directors, "
    "program directors and district managers seek to use social media to assist with client "
    "supervision, they shall obtain authorization in writing from their supervisor.\n"
)


@pytest.fixture
def two_governments(tmp_path: Path, embedder: Embedder) -> Assistant:
    knowledge = tmp_path / "knowledge"
    (knowledge / "policies").mkdir(parents=True)
    (knowledge / "manifest.yaml").write_text(_MANIFEST, encoding="utf-8")
    (knowledge / "policies" / "lake.txt").write_text(_EQUIPMENT, encoding="utf-8")
    (knowledge / "policies" / "river.txt").write_text(_EQUIPMENT + _SUPERVISION, encoding="utf-8")
    settings = make_settings(tmp_path / "data", knowledge_dir=knowledge)
    rt = build_runtime(settings, embedder=embedder, store=MemoryClauseStore())
    assert ingest(rt).ok
    return rt.assistant


def test_the_askers_own_government_is_quoted_first(two_governments: Assistant) -> None:
    for owner, agency in [("state", "lake-dcs"), ("county", "river-cys")]:
        answer = two_governments.ask(f"Can I go on Instagram from my {owner} laptop at lunch?")
        assert answer.citations[0].clause.agency_id == agency, owner
        # A cue, not a scope: the other government's rule is still quoted.
        assert len({c.clause.agency_id for c in answer.citations}) == 2


def test_a_permission_question_gets_the_clause_naming_the_approval_first(
    two_governments: Assistant,
) -> None:
    answer = two_governments.ask(
        "Does my boss have to sign off before I keep an eye on a teen's Instagram?"
    )
    # Not the sentence before it, which matches the topic as well but names no approval.
    assert "authorization in writing from their supervisor" in answer.citations[0].clause.text


def test_questions_with_these_cues_meet_their_floor(assistant: Assistant) -> None:
    # The packaged model (what the tests index with) puts 17 of 28 first and
    # answers 29 of 31 correctly as covered or not; without the two cues, 14 of 28.
    score = score_questions(assistant, read_jsonl(CUES))
    print(score.to_json())
    assert score.hit1 >= 0.57, score.misses
    assert score.coverage_accuracy >= 0.90, score.misses


def test_a_name_few_clauses_say_points_to_them() -> None:
    names = rare_names(
        [
            make_clause("Disclosing any Criminal Offender Record Information (CORI);", "cori"),
            make_clause("Ask the BEST desk for the form.", "best", "Use best judgment."),
            *[make_clause("DYS staff shall not post it.", f"dys{n}") for n in range(3)],
        ]
    )
    # "BEST" is also a word of the policies, and DYS names the agency of many clauses.
    assert names == {"cori": frozenset({"cori"})}
    assert names_asked("Can I post CORI info?", names) == {"cori"}
    # Only typed as a name: capitals are how a name and a word differ in a question.
    assert names_asked("can i post cori info?", names) == frozenset()
    assert names_asked("What is the BEST way to post?", names) == frozenset()


def test_a_question_naming_what_one_clause_names_quotes_it_first(runtime: Runtime) -> None:
    question = "We pull CORI for every youth. Does that stuff ever end up on our socials?"
    answer = runtime.assistant.ask(question)
    assert "Criminal Offender Record Information (CORI)" in answer.citations[0].clause.text
    # The name decides it: without it the model ranks the rule on friending youth first.
    plain = HybridRetriever(runtime.store, runtime.embedder, cues=False)
    assert "(CORI)" not in plain.retrieve(question, k=1)[0].clause.text
