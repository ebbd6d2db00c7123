"""The Teams app package an admin uploads: manifest with this bot's id, plus icons."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from bot.teams.package import PackageError, build_package
from tests.teams.conftest import teams_settings

APP_ID = "6F1A2B3C-4D5E-4F60-8A7B-9C0D1E2F3A4B"


def test_package_holds_manifest_with_bot_id_and_icons(tmp_path: Path) -> None:
    settings = teams_settings(tmp_path, teams_dev_no_auth=False, microsoft_app_id=APP_ID)
    path = build_package(tmp_path / "out", settings)
    assert path == tmp_path / "out" and path.is_file()
    with zipfile.ZipFile(path) as zf:
        assert sorted(zf.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(zf.read("manifest.json"))
        color = Image.open(io.BytesIO(zf.read("color.png")))
        outline = Image.open(io.BytesIO(zf.read("outline.png"))).convert("RGBA")

    assert manifest["id"] == APP_ID.lower()
    [bot] = manifest["bots"]
    assert bot["botId"] == APP_ID.lower()
    assert "{{" not in json.dumps(manifest)
    major, minor = (int(p) for p in manifest["manifestVersion"].split("."))
    assert (major, minor) >= (1, 16)
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    for command_list in bot["commandLists"]:
        assert 0 < len(command_list["commands"]) <= 10
        for command in command_list["commands"]:
            assert 0 < len(command["title"]) <= 32
            assert 0 < len(command["description"]) <= 128
    assert len(manifest["name"]["short"]) <= 30
    assert len(manifest["description"]["short"]) <= 80
    assert all(
        manifest["developer"][k].startswith("https://")
        for k in ("websiteUrl", "privacyUrl", "termsOfUseUrl")
    )

    assert color.size == (192, 192)
    assert outline.size == (32, 32)
    # Outline icon: white or fully transparent pixels only, some of each.
    pixels = list(outline.getdata())
    assert all(a == 0 or (r, g, b, a) == (255, 255, 255, 255) for r, g, b, a in pixels)
    assert any(a == 0 for *_, a in pixels) and any(a == 255 for *_, a in pixels)


def test_package_into_a_directory_and_to_a_file(tmp_path: Path) -> None:
    settings = teams_settings(tmp_path, teams_dev_no_auth=False, microsoft_app_id=APP_ID)
    out_dir = tmp_path / "dist"
    out_dir.mkdir()
    assert build_package(out_dir, settings) == out_dir / "policybot-teams.zip"
    target = tmp_path / "custom.zip"
    assert build_package(target, settings) == target and target.exists()


@pytest.mark.parametrize(
    ("app_id", "message"), [(None, "Set MICROSOFT_APP_ID"), ("my-bot", "not a GUID")]
)
def test_package_needs_a_real_app_id(tmp_path: Path, app_id: str | None, message: str) -> None:
    settings = teams_settings(tmp_path, microsoft_app_id=app_id)
    with pytest.raises(PackageError, match=message):
        build_package(tmp_path / "p.zip", settings)
