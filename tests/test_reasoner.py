"""An LLM may phrase the summary but can never put invented words in quotes."""

from __future__ import annotations

from langchain_core.language_models.fake_chat_models import FakeListChatModel

from bot.app import Runtime
from bot.core.answer import PolicyAnswerer
from bot.llm import ChatReasoner

INVENTED = "Employees may friend any youth after six months of service"


def test_model_cannot_invent_a_quote(runtime: Runtime) -> None:
    liar = FakeListChatModel(
        responses=[
            f'Massachusetts DYS says "{INVENTED}." '
            "Check with your supervisor before accepting any request."
        ]
    )
    answerer = PolicyAnswerer(
        runtime.retriever, runtime.manifest.agencies(), reasoner=ChatReasoner(liar)
    )
    answer = answerer.answer("Can I accept a friend request from a youth's mother?", "ma-dys")
    dumped = str(answer.to_json())
    assert INVENTED not in dumped  # the invented "quote" is screened out
    assert "Check with your supervisor" in answer.answer  # honest phrasing stays
    texts = {c.text for c in runtime.store.clauses("ma-dys-01-05-22")}
    assert answer.citations and all(c.clause.text in texts for c in answer.citations)


def test_model_failure_still_answers(runtime: Runtime) -> None:
    class Broken:
        def invoke(self, prompt: str) -> str:
            raise ConnectionError("model endpoint down")

    answerer = PolicyAnswerer(
        runtime.retriever, runtime.manifest.agencies(), reasoner=ChatReasoner(Broken())
    )
    answer = answerer.answer("Can I post a photo of a youth on Instagram?", "ma-dys")
    assert answer.covered and answer.verdicts
    assert answer.answer.startswith(answer.verdicts[0].agency)
