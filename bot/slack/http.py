"""Slack routes for `policybot serve` (owned by the Slack adapter work)."""

from __future__ import annotations

from aiohttp import web

from bot.core.assistant import Assistant
from bot.settings import Settings


def mount(app: web.Application, settings: Settings, assistant: Assistant) -> None:
    raise NotImplementedError("Slack adapter not built yet")
