"""Periodic PIO work started by `policybot serve`: reminders for open escalations
and the weekly insights summary. Each step is a plain function the tests call
directly (with a fake clock on the desk); the loops only repeat them."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot.core.escalation import EscalationDesk
from bot.core.insights import render_text
from bot.core.records import Escalation
from bot.services import Services

log = logging.getLogger(__name__)

REMINDER_CHECK_SECONDS = 15 * 60


class PioNotifier(Protocol):
    """One platform's PIO channel."""

    async def remind(self, escalation: Escalation) -> bool: ...

    async def post_summary(self, text: str) -> bool: ...


async def send_reminders(desk: EscalationDesk, notifiers: Mapping[str, PioNotifier]) -> int:
    """Re-post every open escalation that has waited too long; returns how many were sent."""
    due = await asyncio.to_thread(desk.due_reminders)
    sent = 0
    for escalation in due:
        notifier = notifiers.get(escalation.platform)
        if notifier is None:
            continue
        if await notifier.remind(escalation):
            await asyncio.to_thread(desk.reminded, escalation.id)
            sent += 1
    return sent


async def post_weekly_summary(
    services: Services,
    notifiers: Mapping[str, PioNotifier],
    now: datetime,
    days: float = 7.0,
) -> int:
    """Post the last ``days`` of insights to each configured PIO channel."""
    if not notifiers:
        return 0
    since = now - timedelta(days=days)
    report = await asyncio.to_thread(services.report, since, None, now)
    text = render_text(report)
    posted = 0
    for notifier in notifiers.values():
        if await notifier.post_summary(text):
            posted += 1
    return posted


async def every(seconds: float, step: Callable[[], Awaitable[object]], name: str) -> None:
    """Run ``step`` every ``seconds`` until cancelled; a failing step is logged, not fatal."""
    while True:
        await asyncio.sleep(seconds)
        try:
            await step()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("periodic task %s failed", name)


def start_periodic(
    services: Services, notifiers: Mapping[str, PioNotifier]
) -> list[asyncio.Task[None]]:
    settings = services.settings
    tasks = [
        asyncio.create_task(
            every(
                REMINDER_CHECK_SECONDS,
                lambda: send_reminders(services.desk, notifiers),
                "escalation reminders",
            )
        )
    ]
    if settings.summary_interval_days > 0:
        seconds = settings.summary_interval_days * 86400
        tasks.append(
            asyncio.create_task(
                every(
                    seconds,
                    lambda: post_weekly_summary(
                        services, notifiers, datetime.now(UTC), settings.summary_interval_days
                    ),
                    "weekly summary",
                )
            )
        )
    return tasks
