"""One run through Slack, Teams and the CLI with every log captured at DEBUG: no token,
secret or draft text reaches a log line, and no draft reaches the data dir (files or
SQLite). The tokens are unique strings so any leak, in any form, is found."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from jwt.algorithms import RSAAlgorithm
from pydantic import SecretStr

from bot.core.assistant import Assistant
from bot.core.feedback import JsonlFeedbackLog
from bot.server import build_web_app
from bot.teams.bot import PolicyTeamsBot
from bot.teams.http import TeamsEndpoint, build_adapter
from bot.teams.retry import RetryPolicy
from tests.conftest import KNOWLEDGE, ROOT, make_settings
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.slack_api import FakeSlackApi
from tests.security.test_teams_jwt import (
    APP_ID,
    ISSUER,
    KID,
    SIGNING_KEY,
    KeyServer,
    LocalAuthConfig,
    token,
)
from tests.slack import slack_payloads as p
from tests.slack.conftest import SlackHarness
from tests.teams import activities as A

BOT_TOKEN = "xoxb-111-222-Tok3nNeverLogged"
SIGNING_SECRET = "s1gn1ng5ecretNeverLogged0000000"
APP_PASSWORD = "AppPassw0rdNeverLogged"
MARKER = "Qzwxdraftmarker"
DRAFT = f"So proud of {MARKER} Rivera, 15, at Lincoln High today! #fostercare"


def _assert_clean(texts: list[str], secrets: list[str], where: str) -> None:
    for text in texts:
        for secret in secrets:
            assert secret not in text, f"{secret[:6]}… appears in {where}: {text[:200]}"


def _records_text(caplog: pytest.LogCaptureFixture) -> list[str]:
    out = []
    for r in caplog.records:
        out += [r.getMessage(), str(r.args), r.exc_text or "", str(getattr(r, "__dict__", ""))]
    return out


def _scan_dir(data_dir: Path, needles: list[str]) -> None:
    for path in data_dir.rglob("*"):
        if path.is_file():  # includes any SQLite database and its -wal/-journal
            raw = path.read_bytes()
            for needle in needles:
                assert needle.encode() not in raw, f"{needle[:6]}… stored in {path.name}"


async def test_slack_and_teams_log_no_tokens_and_no_drafts(
    tmp_path: Path,
    fake_slack: FakeSlackApi,
    connector: FakeBotConnector,
    assistant: Assistant,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    data_dir = tmp_path / "data"
    settings = make_settings(
        data_dir,
        slack_bot_token=SecretStr(BOT_TOKEN),
        slack_signing_secret=SecretStr(SIGNING_SECRET),
        slack_api_url=fake_slack.url,
        teams_dev_no_auth=True,
    )
    async with TestClient(TestServer(build_web_app(settings, assistant), host="127.0.0.1")) as c:
        # Slack: every way a draft arrives, a question, and a forged request.
        slack = SlackHarness(c, fake_slack, settings)
        # Signed here with this run's secret (the harness signs with its own).
        for payload in (p.dm(f"check: {DRAFT}"), p.app_mention(f"check: {DRAFT}")):
            body = json.dumps(payload)
            headers = p.signed(SIGNING_SECRET, body, "application/json")
            assert (await c.post("/slack/events", data=body, headers=headers)).status == 200
        form = p.slash_command(f"check {DRAFT}", fake_slack.response_url("cmd"))
        headers = p.signed(SIGNING_SECRET, form, "application/x-www-form-urlencoded")
        assert (await c.post("/slack/events", data=form, headers=headers)).status == 200
        modal = p.interactive(p.view_submission(DRAFT))
        headers = p.signed(SIGNING_SECRET, modal, "application/x-www-form-urlencoded")
        assert (await c.post("/slack/events", data=modal, headers=headers)).status == 200
        forged = await slack.event(p.dm(f"check: {DRAFT}"))  # signed with the wrong secret
        assert forged.status == 401
        await fake_slack.wait_for(
            lambda calls: (
                len([x for x in calls if x.method == "chat.postMessage"]) >= 1
                and any(x.method == "chat.postEphemeral" for x in calls)
                and any(x.method == "views.update" for x in calls)
                and any(x.method == "response_url" for x in calls)
            )
        )
        # Teams without auth (dev): a draft from a channel goes to the 1:1.
        activity = A.channel_mention(f"check: {DRAFT}", connector.url)
        resp = await c.post("/api/messages", json=activity)
        assert resp.status == 202
        await connector.wait_for(lambda f: len(f.messages()) >= 2)
    # Teams with real credentials, tokens validated against a local key server.
    jwk = json.loads(RSAAlgorithm.to_jwk(SIGNING_KEY.public_key()))
    jwk.update({"kid": KID, "endorsements": ["msteams"]})
    keys = KeyServer(jwk)
    try:
        config = LocalAuthConfig(
            APP_ID,
            APP_PASSWORD,
            "MultiTenant",
            None,
            None,
            TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL=keys.metadata_url,
            TO_BOT_FROM_CHANNEL_TOKEN_ISSUER=ISSUER,
        )
        bot = PolicyTeamsBot(
            assistant, JsonlFeedbackLog(data_dir / "feedback.jsonl"), b"k" * 32, APP_ID
        )
        app = web.Application()
        app.router.add_post(
            "/api/messages", TeamsEndpoint(build_adapter(config, RetryPolicy()), bot).handle
        )
        bearer = token(connector.url)
        async with TestClient(TestServer(app, host="127.0.0.1")) as c:
            for text in (f"check: {DRAFT}", "Can I friend a parent on Facebook?"):
                activity = A.personal_message(text, connector.url, expect_replies=True)
                resp = await c.post(
                    "/api/messages", json=activity, headers={"Authorization": f"Bearer {bearer}"}
                )
                assert resp.status == 200
            bad = A.personal_message(f"check: {DRAFT}", connector.url, expect_replies=True)
            forged_bearer = "Bearer " + bearer[:-4] + "AAAA"
            resp = await c.post("/api/messages", json=bad, headers={"Authorization": forged_bearer})
            assert resp.status == 401
    finally:
        keys.close()

    logged = _records_text(caplog)
    assert logged, "nothing was logged: the capture is not working"
    _assert_clean(logged, [BOT_TOKEN, SIGNING_SECRET, APP_PASSWORD, bearer, MARKER], "logs")
    _scan_dir(data_dir, [MARKER, BOT_TOKEN, SIGNING_SECRET, APP_PASSWORD])


def test_cli_logs_no_tokens_and_no_drafts(indexed_data_dir: Path, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "POLICYBOT_DATA_DIR": str(indexed_data_dir),
        "POLICYBOT_KNOWLEDGE_DIR": str(KNOWLEDGE),
        "POLICYBOT_LOG_LEVEL": "DEBUG",
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "MICROSOFT_APP_PASSWORD": APP_PASSWORD,
        "HF_HUB_OFFLINE": "1",
    }
    before = {p: p.stat().st_mtime_ns for p in indexed_data_dir.rglob("*") if p.is_file()}
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli", "check", "--json"],
        input=DRAFT.encode(),
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    err = proc.stderr.decode("utf-8", errors="replace")
    assert "DEBUG" in err  # debug logging really was on
    assert "Loading weights" not in err  # log records, not the model loader's progress bar
    _assert_clean([err], [BOT_TOKEN, SIGNING_SECRET, APP_PASSWORD, MARKER], "CLI stderr")
    # The result goes to its author (stdout) and nowhere else.
    assert MARKER in proc.stdout.decode("utf-8") or "findings" in proc.stdout.decode("utf-8")
    _scan_dir(indexed_data_dir, [MARKER])
    new_files = [p for p in indexed_data_dir.rglob("*") if p.is_file() and p not in before]
    for path in new_files:
        assert MARKER.encode() not in path.read_bytes()
