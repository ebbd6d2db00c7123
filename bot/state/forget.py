"""`policybot forget USER`: remove everything kept about one user."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete

from bot.core.feedback import hash_user
from bot.state.db import Database
from bot.state.tables import EscalationRow, FeedbackRow, OnboardingRow, QuestionEventRow

PLATFORMS = ("slack", "teams")


class ForgetError(ValueError):
    pass


@dataclass(frozen=True)
class Forgotten:
    questions: int
    feedback: int
    escalations: int
    onboarding: int

    @property
    def total(self) -> int:
        return self.questions + self.feedback + self.escalations + self.onboarding


def platform_user(user: str) -> str:
    """Validate ``slack:U123`` / ``teams:<aad id>``."""
    platform, _, uid = user.strip().partition(":")
    if platform.lower() not in PLATFORMS or not uid.strip():
        raise ForgetError(
            f"Give the user as platform:id, e.g. slack:U0123ABCD or teams:<AAD object id> "
            f"(got {user!r})."
        )
    return f"{platform.lower()}:{uid.strip()}"


def forget_user(db: Database, user: str, key: bytes) -> Forgotten:
    who = platform_user(user)
    h = hash_user(who, key)
    with db.session() as s:

        def rows(stmt: object) -> int:
            return int(getattr(s.execute(stmt), "rowcount", 0) or 0)  # type: ignore[call-overload]

        return Forgotten(
            questions=rows(delete(QuestionEventRow).where(QuestionEventRow.user_hash == h)),
            feedback=rows(delete(FeedbackRow).where(FeedbackRow.user_hash == h)),
            escalations=rows(delete(EscalationRow).where(EscalationRow.asker_hash == h)),
            onboarding=rows(delete(OnboardingRow).where(OnboardingRow.user_hash == h)),
        )
