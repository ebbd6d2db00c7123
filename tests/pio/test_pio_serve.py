"""`policybot serve` starts the reminder and weekly-summary loops and stops them on shutdown."""

from __future__ import annotations

import asyncio
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bot.core.assistant import Assistant
from bot.core.models import AgencyInfo, Answer, CheckResult, CheckVerdict
from bot.server import NOTIFIERS_KEY, build_web_app
from tests.conftest import make_settings


class Core:
    def answer(self, question: str, agency_id: str | None = None) -> Answer:
        return Answer(question=question, covered=False, answer="")

    def check(self, draft: str, agency_id: str | None = None) -> CheckResult:
        return CheckResult(CheckVerdict.OK)


def loops() -> list[asyncio.Task[object]]:
    return [t for t in asyncio.all_tasks() if t.get_coro().__name__ == "every"]  # type: ignore[union-attr]


async def test_serve_runs_reminders_and_summary_until_shutdown(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path,
        slack_bot_token=SecretStr("xoxb-test"),
        slack_signing_secret=SecretStr("secret"),
        pio_slack_channel="CPIO",
    )
    assistant = Assistant(Core(), Core(), [AgencyInfo("ma-dys", "MA DYS", "DYS", [])], lambda: None)
    app = build_web_app(settings, assistant, periodic=True)
    assert set(app[NOTIFIERS_KEY]) == {"slack"}
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    running = loops()
    assert len(running) == 2 and not any(t.done() for t in running)
    await client.close()
    assert all(t.done() for t in running)
