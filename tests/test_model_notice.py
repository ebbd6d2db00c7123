"""A server left on the packaged model says so when it starts, and names the fix.

Its answers look like any other (quoted clauses, verdicts) while the governing clause
comes first for about half of the questions, so the start-up log is where an operator
learns it. The tuned side is checked in tests/test_tuning.py, on a real tuned model.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

import bot.server
from bot.cli.main import main
from tests.conftest import KNOWLEDGE


def test_a_server_on_the_packaged_model_warns_when_it_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("POLICYBOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("POLICYBOT_KNOWLEDGE_DIR", str(KNOWLEDGE))
    assert main(["ingest"]) == 0
    started: list[str] = []
    # Stands in for the port opening; the notice comes before it.
    monkeypatch.setattr(bot.server, "run_server", lambda *a, **k: started.append("serve"))
    with caplog.at_level(logging.INFO, logger="policybot"):
        assert main(["serve", "--port", "0"]) == 0
    assert started == ["serve"]
    notices = [r for r in caplog.records if r.name == "policybot"]
    assert [r.levelno for r in notices] == [logging.WARNING]
    text = notices[0].getMessage()
    assert "packaged model" in text
    assert "policybot tune" in text and "POLICYBOT_EMBEDDING_MODEL_PATH" in text
