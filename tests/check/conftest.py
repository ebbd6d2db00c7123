from __future__ import annotations

import pytest

from bot.core.check import RuleDraftChecker, build_checker
from bot.core.check.ports import ClauseSearch
from bot.core.retrieval import HybridRetriever
from tests.check.lexical import LexicalSearch
from tests.conftest import KNOWLEDGE


@pytest.fixture(scope="session")
def lexical_checker() -> RuleDraftChecker:
    """Fast checker over a word-overlap search: for offsets, verdicts and input handling."""
    return build_checker(LexicalSearch(KNOWLEDGE / "policies"))


@pytest.fixture(scope="session")
def real_search(retriever: HybridRetriever) -> ClauseSearch:
    """The session's real hybrid retriever (real MiniLM, real Chroma)."""
    return retriever


@pytest.fixture(scope="session")
def real_checker(real_search: ClauseSearch) -> RuleDraftChecker:
    return build_checker(real_search)
