"""An index whose vectors another model or PolicyBot version made is never searched.

Its clauses would be ranked by vectors the question's vector cannot be compared
with: answers that look right and are wrong. The CLI says so and names the fix.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ingest.pipeline
from bot.cli.main import main
from tests.conftest import KNOWLEDGE

QUESTION = "May I friend a foster parent on Facebook?"


@pytest.fixture
def outdated_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A data dir whose index an older segmenter built, as after upgrading PolicyBot."""
    monkeypatch.setenv("POLICYBOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("POLICYBOT_KNOWLEDGE_DIR", str(KNOWLEDGE))
    with monkeypatch.context() as old:
        old.setattr(ingest.pipeline, "SEGMENTER_VERSION", "0")
        assert main(["ingest"]) == 0
    capsys.readouterr()


@pytest.mark.usefixtures("outdated_index")
def test_an_outdated_index_is_refused_until_it_is_rebuilt(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for command in (["ask", QUESTION, "--json"], ["check", "Great day at the park!"]):
        assert main(command) == 1
        out, err = capsys.readouterr()
        assert out == ""
        assert "built with another embedding model or PolicyBot version" in err
        assert "run `policybot ingest`" in err

    assert main(["ingest"]) == 0
    capsys.readouterr()
    assert main(["ask", QUESTION, "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["covered"] and answer["citations"]


@pytest.mark.usefixtures("outdated_index")
def test_the_servers_refuse_an_outdated_index_before_they_start(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import bot.server
    import bot.slack.socket_mode

    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1-test")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    started: list[str] = []
    # Stand-ins for the parts that would open a port or dial Slack; the check runs before them.
    monkeypatch.setattr(bot.server, "run_server", lambda *a, **k: started.append("serve"))
    monkeypatch.setattr(
        bot.slack.socket_mode, "run_socket_mode", lambda *a, **k: started.append("slack-socket")
    )
    for command in (["serve", "--port", "0"], ["slack-socket"]):
        assert main(command) == 1
        assert "run `policybot ingest`" in capsys.readouterr().err
    assert started == []

    assert main(["ingest"]) == 0
    assert main(["serve", "--port", "0"]) == 0
    assert main(["slack-socket"]) == 0
    assert started == ["serve", "slack-socket"]


def test_an_empty_index_is_no_answer_until_policies_are_ingested(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # As when `policybot ask` runs from another folder than the one holding data/:
    # "the policies are silent" would be a wrong answer.
    data = tmp_path / "elsewhere" / "data"
    monkeypatch.setenv("POLICYBOT_DATA_DIR", str(data))
    monkeypatch.setenv("POLICYBOT_KNOWLEDGE_DIR", str(KNOWLEDGE))
    for command in (["ask", QUESTION, "--json"], ["check", "Great day at the park!"]):
        assert main(command) == 1
        out, err = capsys.readouterr()
        assert out == ""
        assert "holds no policies yet" in err and "run `policybot ingest`" in err
        assert str(data) in err
    assert not data.exists()  # nothing left behind in the folder it was run from

    # An index directory with no document in it (a failed first ingest) says the same.
    (data / "chroma").mkdir(parents=True)
    assert main(["ask", QUESTION]) == 1
    assert "holds no policies yet" in capsys.readouterr().err

    assert main(["ingest"]) == 0
    capsys.readouterr()
    assert main(["ask", QUESTION, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["covered"]
