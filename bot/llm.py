"""Optional language model that phrases the answer summary (langchain chat models).

Configured by POLICYBOT_LLM_PROVIDER ("openai" for any OpenAI-compatible
endpoint, or "ollama"), POLICYBOT_LLM_BASE_URL, POLICYBOT_LLM_MODEL and
POLICYBOT_LLM_API_KEY. With none set (the default) no model is used.
"""

from __future__ import annotations

from typing import Any

from bot.core.models import AgencyVerdict, Citation
from bot.settings import Settings

_PROMPT = (
    "You help child-welfare staff read their agency's social-media policy. Using ONLY the "
    "numbered policy excerpts below, answer the question in two or three plain sentences, "
    "naming the agency for each point. Do not quote; do not add rules that are not in the "
    "excerpts. If the excerpts do not settle it, say so.\n\nQuestion: {question}\n\n"
    "Verdicts:\n{verdicts}\n\nExcerpts:\n{excerpts}\n"
)


class ChatReasoner:
    """A Reasoner over any langchain chat model (injected, so tests can fake it)."""

    def __init__(self, model: Any) -> None:
        self._model = model

    def phrase(
        self, question: str, verdicts: list[AgencyVerdict], citations: list[Citation]
    ) -> str:
        prompt = _PROMPT.format(
            question=question,
            verdicts="\n".join(f"- {v.agency}: {v.label}: {v.summary}" for v in verdicts),
            excerpts="\n".join(
                f"[{n}] {c.clause.agency}, {c.clause.policy}: {c.clause.text}"
                for n, c in enumerate(citations, 1)
            ),
        )
        reply = self._model.invoke(prompt)
        content = getattr(reply, "content", reply)
        return content if isinstance(content, str) else str(content)


def build_chat_reasoner(settings: Settings) -> ChatReasoner:
    from langchain.chat_models import init_chat_model

    provider = (settings.llm_provider or "").lower()
    if provider not in ("openai", "ollama"):
        raise ValueError("POLICYBOT_LLM_PROVIDER must be 'openai' or 'ollama'")
    if not settings.llm_model:
        raise ValueError("POLICYBOT_LLM_MODEL must name the model to use")
    kwargs: dict[str, Any] = {"temperature": 0}
    if settings.llm_base_url:
        kwargs["base_url"] = settings.llm_base_url
    if settings.llm_api_key is not None:
        kwargs["api_key"] = settings.llm_api_key.get_secret_value()
    try:
        model = init_chat_model(settings.llm_model, model_provider=provider, **kwargs)
    except ImportError as err:
        package = "langchain-openai" if provider == "openai" else "langchain-ollama"
        raise ValueError(f"the {provider} model needs the package {package}") from err
    return ChatReasoner(model)
