"""A question that names an agency is answered from that agency's policies, however
staff write the name in chat: "dys: can i…", "ct dcf worker here", "In CT, …"."""

from pathlib import Path

import pytest

from bot.core.answer import PolicyAnswerer
from bot.core.assistant import Assistant
from bot.core.retrieval import HybridRetriever
from ingest.manifest import ManifestError, load_manifest
from tests.conftest import KNOWLEDGE


@pytest.fixture(scope="module")
def answerer(retriever: HybridRetriever) -> PolicyAnswerer:
    return PolicyAnswerer(retriever, load_manifest(KNOWLEDGE).agencies())


@pytest.mark.parametrize(
    ("question", "agencies"),
    [
        ("dys: ok to share a youth's poem on my page w/o his name?", ["ma-dys"]),
        ("ct dcf here, may i follow a foster mom on insta", ["ct-dcf"]),
        ("In CT, is a text from my manager enough to friend a parent?", ["ct-dcf"]),
        ("la dcfs - can i tweet from the work pc at lunch", ["la-dcfs"]),
        ("does the tech directive say who runs our department's page?", ["la-cio"]),
        (
            "starting a tiktok about life as an LA social worker, do I need a disclaimer?",
            ["la-dcfs", "la-cio"],
        ),
        # A name inside a longer one names only the longer one's agency.
        ("How does LA DCFS define social media?", ["la-dcfs"]),
        ("LA County DCFS here. can i post pics from the office party?", ["la-dcfs"]),
        ("does the LA County CIO's directive cover our page?", ["la-cio"]),
        ("LA County employee here, can I use Facebook at work?", ["la-dcfs", "la-cio"]),
        ("if the state BEST social media policy and our dcf one disagree, which wins?", ["ct-dcf"]),
    ],
)
def test_the_agency_named_in_any_case_is_found(
    answerer: PolicyAnswerer, question: str, agencies: list[str]
) -> None:
    assert sorted(answerer.mentioned_agencies(question)) == sorted(agencies)


@pytest.mark.parametrize(
    "question",
    [
        # "best" and "la" are words before they are names.
        "What's the best way to share a youth's success story on our page?",
        "¿Puedo publicar la foto de un joven en mi Facebook?",
        "Can I post about my cat on my own account?",
    ],
)
def test_ordinary_words_name_no_agency(answerer: PolicyAnswerer, question: str) -> None:
    assert answerer.mentioned_agencies(question) == []


def test_a_lower_case_agency_name_scopes_the_answer(assistant: Assistant) -> None:
    answer = assistant.ask("ct dcf here - may i friend a kid's mom on my own facebook?")
    assert answer.covered
    assert {c.clause.agency_id for c in answer.citations} == {"ct-dcf"}
    assert [v.agency_id for v in answer.verdicts] == ["ct-dcf"]


def test_an_exact_case_entry_must_be_one_of_the_agencys_names(knowledge: Path) -> None:
    manifest = knowledge / "manifest.yaml"
    text = manifest.read_text()
    manifest.write_text(text.replace("exact_case: [BEST]", "exact_case: [BEST, Nutmeg]", 1))
    with pytest.raises(ManifestError, match=r"ct-dcf.*Nutmeg"):
        load_manifest(knowledge)
