"""The container's guarantees, read from the Dockerfile and compose file.

No Docker engine runs in CI, so these tests parse the files and check what an
operator relies on: CPU torch pinned before the project, offline model, a
non-root service account that cannot rewrite the code, no baked-in secrets.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import stat
import subprocess
from pathlib import Path

import pytest
import yaml
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
SECRET_NAME = re.compile(r"TOKEN(?!IZERS)|SECRET|PASSWORD|API_KEY|PRIVATE", re.IGNORECASE)


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    out: list[tuple[str, str]] = []
    pending = ""
    for raw in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        full = pending + line
        pending = ""
        word, _, rest = full.partition(" ")
        out.append((word.upper(), rest.strip()))
    return out


def _env() -> dict[str, str]:
    env: dict[str, str] = {}
    for word, rest in instructions():
        if word == "ENV":
            for token in shlex.split(rest):
                key, _, value = token.partition("=")
                env[key] = value
    return env


def _args() -> dict[str, str]:
    return dict(rest.partition("=")[::2] for word, rest in instructions() if word == "ARG")


def _index(predicate: object) -> int:
    assert callable(predicate)
    return next(i for i, ins in enumerate(instructions()) if predicate(*ins))


def test_base_image_is_python_311_slim() -> None:
    assert instructions()[0] == ("FROM", "python:3.11-slim")


def test_cpu_torch_is_pinned_and_installed_before_the_project() -> None:
    args = _args()
    assert args["TORCH_VERSION"] == "2.13.0"
    assert args["TORCH_INDEX"] == "https://download.pytorch.org/whl/cpu"
    torch_step = _index(lambda w, r: w == "RUN" and "torch==${TORCH_VERSION}" in r)
    assert "--index-url" in instructions()[torch_step][1]
    project_step = _index(lambda w, r: w == "RUN" and re.search(r"pip install \.(\s|$)", r))
    assert torch_step < project_step


def test_runtime_is_offline_and_points_at_data_and_knowledge() -> None:
    env = _env()
    assert env["HF_HUB_OFFLINE"] == "1"
    assert env["TRANSFORMERS_OFFLINE"] == "1"
    assert env["POLICYBOT_DATA_DIR"] == "/data"
    assert env["POLICYBOT_KNOWLEDGE_DIR"] == "/app/knowledge"
    volumes = [json.loads(r) for w, r in instructions() if w == "VOLUME"]
    assert ["/data"] in volumes


def test_runs_as_a_non_root_user() -> None:
    users = [(i, r) for i, (w, r) in enumerate(instructions()) if w == "USER"]
    cmd = _index(lambda w, r: w == "CMD")
    assert users and users[-1][0] < cmd
    name = users[-1][1].split(":")[0]
    assert name not in ("root", "0")
    assert re.search(rf"useradd\b.*\b{name}\b", " ".join(r for w, r in instructions()))


def test_code_is_not_writable_by_the_service_account() -> None:
    steps = instructions()
    for word, rest in steps:
        if word in ("COPY", "ADD"):
            assert "--chown" not in rest and "--chmod" not in rest, rest
        if word == "RUN":
            for owned in re.findall(r"chown\s+(?:-\w+\s+)*\S+\s+(\S+)", rest):
                assert owned == "/data", f"only /data may belong to the app user: {rest}"
    assert any(w == "RUN" and "chmod -R a-w" in r and "/app" in r for w, r in steps)


def test_no_secrets_are_baked_in() -> None:
    for word, rest in instructions():
        if word in ("ENV", "ARG"):
            for token in shlex.split(rest):
                assert not SECRET_NAME.search(token.partition("=")[0]), token
        if word in ("COPY", "ADD"):
            assert ".env" not in rest
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    for pattern in (".env", ".git", ".venv", "data"):
        assert pattern in ignored


def test_serves_on_3000_with_a_healthcheck_and_ingests_first() -> None:
    steps = instructions()
    cmd = json.loads(next(r for w, r in steps if w == "CMD"))
    assert cmd == ["policybot", "serve", "--host", "0.0.0.0", "--port", "3000"]
    health = next(r for w, r in steps if w == "HEALTHCHECK")
    assert "/healthz" in health and ":3000" in health
    entry = json.loads(next(r for w, r in steps if w == "ENTRYPOINT"))
    assert entry == ["policybot-entrypoint"]
    script = ROOT / "docker" / "entrypoint.sh"
    assert os.stat(script).st_mode & stat.S_IXUSR
    text = script.read_text(encoding="utf-8")
    assert "policybot ingest" in text
    assert text.rstrip().endswith('exec "$@"')


def _entrypoint_calls(tmp_path: Path, env: dict[str, str], *command: str) -> list[str]:
    """The `policybot` commands the entrypoint runs, with a recorder in its place."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    log = tmp_path / "calls"
    log.write_text("", encoding="utf-8")
    recorder = bin_dir / "policybot"
    # Like the real ingest, the recorder exits 1 when a document could not be read.
    recorder.write_text(
        f'#!/bin/sh\necho "$*" >> {log}\n[ "$1" = ingest ] && exit "${{INGEST_EXIT:-0}}"\nexit 0\n',
        encoding="utf-8",
    )
    recorder.chmod(0o755)
    subprocess.run(
        ["sh", str(ROOT / "docker" / "entrypoint.sh"), *command],
        env={"PATH": f"{bin_dir}:/usr/bin:/bin", "POLICYBOT_DATA_DIR": str(tmp_path), **env},
        check=True,
        capture_output=True,
    )
    return log.read_text(encoding="utf-8").splitlines()


def test_the_embedded_index_is_brought_up_to_date_on_every_start(tmp_path: Path) -> None:
    # An existing index counts too: after an image upgrade it was built by the old
    # version, and serve refuses it until ingest has re-embedded it.
    (tmp_path / "chroma").mkdir()
    assert _entrypoint_calls(tmp_path, {}, "policybot", "serve") == ["ingest", "serve"]
    # With a Chroma server, the compose file's one-shot ingest service does it.
    server = {"POLICYBOT_CHROMA_URL": "http://chroma:8000"}
    assert _entrypoint_calls(tmp_path, server, "policybot", "serve") == ["serve"]
    assert _entrypoint_calls(
        tmp_path, {**server, "POLICYBOT_INGEST_ON_START": "1"}, "policybot", "serve"
    ) == ["ingest", "serve"]
    # A document ingest could not read keeps its old clauses; the bot still serves the rest.
    assert _entrypoint_calls(tmp_path, {"INGEST_EXIT": "1"}, "policybot", "serve") == [
        "ingest",
        "serve",
    ]
    # On an empty volume a failed ingest stops the container: an empty index would
    # tell everyone "the policies are silent".
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _entrypoint_calls(empty, {}, "policybot", "serve") == ["ingest", "serve"]
    with pytest.raises(subprocess.CalledProcessError):
        _entrypoint_calls(empty, {"INGEST_EXIT": "1"}, "policybot", "serve")
    assert (empty / "calls").read_text(encoding="utf-8").split() == ["ingest"]
    # Other commands run as given.
    assert _entrypoint_calls(tmp_path, {}, "policybot", "ask", "hi") == ["ask hi"]


@pytest.fixture(scope="module")
def compose() -> dict[str, object]:
    data = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_compose_services_share_chroma_and_scale(compose: dict[str, object]) -> None:
    services = compose["services"]
    assert isinstance(services, dict)
    assert {"bot", "chroma", "postgres"} <= set(services)
    assert services["chroma"]["image"].startswith("chromadb/chroma")
    assert any(str(p).endswith(":8000") for p in services["chroma"]["ports"])
    bot = services["bot"]
    assert bot["environment"]["POLICYBOT_CHROMA_URL"] == "http://chroma:8000"
    db_url = bot["environment"]["POLICYBOT_DATABASE_URL"]
    # psycopg 3 is the installed driver; a bare postgresql:// would ask for psycopg2.
    assert db_url.startswith("postgresql+psycopg://")
    assert make_url(
        db_url.replace("${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}", "x")
    ).get_dialect()
    assert "postgres" in {
        k for k, v in bot["depends_on"].items() if v["condition"] == "service_healthy"
    }
    assert bot["deploy"]["replicas"] == 2
    # Two replicas cannot both bind one fixed host port, nor share a container name.
    assert "container_name" not in bot
    assert all(not re.fullmatch(r"\d+:\d+", str(p)) for p in bot.get("ports", []))


def test_compose_holds_no_secret_values(compose: dict[str, object]) -> None:
    services = compose["services"]
    assert isinstance(services, dict)
    for name, service in services.items():
        for key, value in (service.get("environment") or {}).items():
            if SECRET_NAME.search(key):
                assert str(value).startswith("${"), f"{name}.{key} must come from the environment"
    assert "${POSTGRES_PASSWORD" in services["bot"]["environment"]["POLICYBOT_DATABASE_URL"]
