"""The hostile-input table (tests/security/hostile.py) through the core, the CLI,
the real Slack app (signed events, fake Slack Web API) and the real Teams adapter.

Every row gets an answer, "the policies are silent", or a one-line message:
never a traceback, never silence, never a ping, and nothing is stored.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bot.core.assistant import NOT_ENGLISH_NOTICE, Assistant
from bot.core.models import Answer, CheckResult, InputError
from bot.server import build_web_app
from ingest.manifest import load_manifest
from ingest.pipeline import segment_file
from tests.cards import walk
from tests.conftest import KNOWLEDGE, ROOT, make_settings
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.slack_api import FakeSlackApi
from tests.security.hostile import TABLE, Expect, Hostile
from tests.slack import slack_payloads as p
from tests.slack.conftest import SECRET, SlackHarness
from tests.teams import activities as A

IDS = [h.id for h in TABLE]
SLACK_PING = re.compile(r"<!(?:channel|here|everyone|subteam)|<@[UW][A-Z0-9]+>")
CRASH_WORDS = ("Traceback", "Something went wrong", "something went wrong")
# Distinctive pieces of the inputs: none may end up in any file the bot writes.
STORED_PROBES = ("DROP TABLE", "developer mode", "jndi:ldap", "Approved by policy", "jóvenes")


def test_the_table_is_big_enough() -> None:
    assert len(TABLE) >= 30 and len(set(IDS)) == len(IDS)


# --- core ------------------------------------------------------------------------------


def _one_line(err: InputError) -> None:
    message = str(err)
    assert message and "\n" not in message and len(message) < 300


def _ask_kind(assistant: Assistant, text: str) -> tuple[Expect, Answer | None]:
    try:
        return Expect.ANSWER, assistant.ask(text)
    except InputError as err:
        _one_line(err)
        return Expect.MESSAGE, None


def _check_kind(assistant: Assistant, text: str) -> tuple[Expect, CheckResult | None]:
    try:
        return Expect.ANSWER, assistant.check(text)
    except InputError as err:
        _one_line(err)
        return Expect.MESSAGE, None


@pytest.mark.parametrize("row", TABLE, ids=IDS)
def test_core_ask(assistant: Assistant, row: Hostile) -> None:
    kind, answer = _ask_kind(assistant, row.text)
    assert row.ask in (kind, Expect.EITHER)
    if answer is None:
        return
    if answer.covered:
        assert answer.citations and answer.verdicts
        for citation in answer.citations:
            # Quotes are stored clause text, never built from the question.
            assert citation.clause.text in _policy_text(citation.clause.policy_id)
    else:
        assert answer.citations == [] and "silent" in answer.answer
    # Nothing from the input is presented as a policy quote or verdict.
    shown = {k: v for k, v in answer.to_json().items() if k != "question"}
    assert "Approved by policy" not in json.dumps(shown)


@pytest.mark.parametrize("row", TABLE, ids=IDS)
def test_core_check(assistant: Assistant, row: Hostile) -> None:
    kind, result = _check_kind(assistant, row.text)
    assert row.check in (kind, Expect.EITHER)
    if result is not None:
        for finding in result.findings:
            ev = finding.evidence
            assert row.text[ev.start : ev.end] == ev.text  # evidence indexes the draft as given


@pytest.mark.parametrize("row_id", ["spanish", "chinese", "rtl-arabic"])
def test_non_english_question_is_silent_with_a_note(assistant: Assistant, row_id: str) -> None:
    row = next(h for h in TABLE if h.id == row_id)
    answer = assistant.ask(row.text)
    assert not answer.covered and answer.citations == []
    assert answer.notice == NOT_ENGLISH_NOTICE


def test_non_english_draft_says_which_checks_ran(assistant: Assistant) -> None:
    result = assistant.check("¡Qué orgullosa estoy de los jóvenes del programa hoy en el parque!")
    assert "English" in result.notice


_POLICY_CACHE: dict[str, str] = {}


def _policy_text(policy_id: str) -> str:
    # Quotes are verbatim substrings of the cleaned document (extraction noise and
    # markdown emphasis removed, words untouched), which is what ingest indexes.
    if not _POLICY_CACHE:
        manifest = load_manifest(KNOWLEDGE)
        for meta in manifest.documents():
            _POLICY_CACHE[meta.policy_id] = segment_file(meta)[0].cleaned
    return _POLICY_CACHE[policy_id]


# --- CLI (real subprocesses; one model load per --batch run) ---------------------------


def _cli(
    args: list[str], data_dir: Path, cwd: Path, stdin: bytes = b""
) -> subprocess.CompletedProcess[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "POLICYBOT_DATA_DIR": str(data_dir),
        "POLICYBOT_KNOWLEDGE_DIR": str(KNOWLEDGE),
        "HF_HUB_OFFLINE": "1",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env=env,
        timeout=600,
        check=False,
    )


@pytest.mark.parametrize("command", ["ask", "check"])
def test_cli_batch_answers_every_row(indexed_data_dir: Path, tmp_path: Path, command: str) -> None:
    key = "question" if command == "ask" else "text"
    batch = tmp_path / "hostile.jsonl"
    batch.write_text("\n".join(json.dumps({key: h.text}) for h in TABLE) + "\n", encoding="utf-8")
    proc = _cli([command, "--batch", str(batch)], indexed_data_dir, tmp_path)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    assert b"Traceback" not in proc.stderr
    lines = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert len(lines) == len(TABLE)  # one result per row, none lost
    for row, out in zip(TABLE, lines, strict=True):
        expect = row.ask if command == "ask" else row.check
        got = Expect.MESSAGE if "error" in out else Expect.ANSWER
        assert expect in (got, Expect.EITHER), (row.id, out)
        if "error" in out:
            assert out["error"] and "\n" not in out["error"]


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["ask", ""], b"", "ask needs a QUESTION"),
        (["check"], b"Proud of \xff\xfe our team", "not valid UTF-8"),
        (["check"], b"\x00\x01binary\x00", "looks binary"),
        (["check", "--file", "../../etc/passwd"], b"", "../../etc/passwd: no such file"),
        (["check", "--file", "."], b"", ".: no such file"),
        (["ingest", "../../etc/passwd"], b"", "no such file"),
    ],
    ids=["ask-empty", "stdin-invalid-utf8", "stdin-nul", "path-file", "dir-file", "ingest-path"],
)
def test_cli_bad_input_gets_one_clear_line(
    tmp_path: Path, args: list[str], stdin: bytes, message: str
) -> None:
    # A fresh data dir: these must fail before anything is loaded or written.
    cwd = tmp_path / "a" / "b" / "c"
    cwd.mkdir(parents=True)
    data_dir = tmp_path / "data"
    proc = _cli(args, data_dir, cwd, stdin)
    err = proc.stderr.decode("utf-8", errors="replace")
    assert proc.returncode == 2, err
    assert message in err and "Traceback" not in err
    assert [line for line in err.splitlines() if line.startswith("policybot:")] == [
        err.strip().splitlines()[-1]
    ]
    assert not data_dir.exists() or not any(data_dir.rglob("*.jsonl"))


# --- Slack (real bolt app over HTTP, fake Slack Web API) -------------------------------


def _assert_not_stored(data_dir: Path) -> None:
    for path in data_dir.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            for probe in STORED_PROBES:
                assert probe.encode() not in raw, f"{probe!r} stored in {path.name}"


async def test_slack_every_row_is_answered_once_without_pings(
    tmp_path: Path, fake_slack: FakeSlackApi, assistant: Assistant
) -> None:
    settings = make_settings(
        tmp_path,
        slack_bot_token=SecretStr("xoxb-test-token"),
        slack_signing_secret=SecretStr(SECRET),
        slack_api_url=fake_slack.url,
        rate_limit_per_minute=0,
    )
    app = build_web_app(settings, assistant)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        slack = SlackHarness(client, fake_slack, settings)
        for n, row in enumerate(TABLE):
            for payload in (
                p.app_mention(row.text, ts=f"1700001{n:03d}.000100"),
                p.dm(f"check: {row.text}", ts=f"1700002{n:03d}.000100"),
            ):
                before = len(fake_slack.posts())
                resp = await slack.event(payload)
                assert resp.status == 200, row.id
                await fake_slack.wait_for(lambda _c, b=before: len(fake_slack.posts()) > b)
                reply = fake_slack.posts()[before:]
                assert len(reply) == 1, (row.id, [c.method for c in reply])
                _assert_slack_reply_is_safe(row, reply[0])
        assert (await client.get("/healthz")).status == 200  # the server is still up
    _assert_not_stored(tmp_path)


def _assert_slack_reply_is_safe(row: Hostile, call: Any) -> None:
    dumped = call.dump()
    assert not SLACK_PING.search(dumped), (row.id, dumped[:500])
    assert not any(word in dumped for word in CRASH_WORDS), (row.id, dumped[:500])
    assert call.problems == [], (row.id, call.problems)  # within Block Kit limits
    assert call.body.get("text"), row.id  # never an empty post


# --- Teams (real CloudAdapter, real activities) -----------------------------------------


def _texts(node: Any) -> str:
    return json.dumps(node, ensure_ascii=False)


async def test_teams_every_row_is_answered_without_mentions(
    tmp_path: Path, connector: FakeBotConnector, assistant: Assistant
) -> None:
    settings = make_settings(tmp_path, teams_dev_no_auth=True, rate_limit_per_minute=0)
    app = build_web_app(settings, assistant)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        for row in TABLE:
            for text in (row.text, f"check: {row.text}"):
                activity = A.personal_message(text, connector.url, expect_replies=True)
                resp = await client.post("/api/messages", json=activity)
                assert resp.status == 200, (row.id, await resp.text())
                replies = [a for a in (await resp.json())["activities"] if a["type"] == "message"]
                assert len(replies) == 1, (row.id, replies)
                reply = replies[0]
                dumped = _texts(reply)
                assert reply.get("text") or reply.get("attachments"), row.id
                assert not any(word in dumped for word in CRASH_WORDS), row.id
                # No @mention: no mention entities and no <at> markup in what we send.
                assert not [e for e in reply.get("entities") or [] if e.get("type") == "mention"]
                assert "<at>" not in dumped, row.id
                # The user's Adaptive Card JSON stays text: none of its actions become ours.
                for att in reply.get("attachments") or []:
                    urls = [n.get("url") for n in walk(att.get("content"))]
                    assert "https://evil.example" not in urls, row.id
        assert (await client.get("/healthz")).status == 200
    _assert_not_stored(tmp_path)
