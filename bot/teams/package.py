"""Builds the Teams app package: manifest.json (with this bot's id) plus the two icons, zipped.

Upload the zip in Teams (Apps > Manage your apps > Upload an app) or the
Teams Developer Portal; see docs/teams.md.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

from bot.settings import Settings

TEMPLATE_DIR = Path(__file__).resolve().parent / "app_package"
ICONS = ("color.png", "outline.png")
PLACEHOLDER = "{{MICROSOFT_APP_ID}}"
DEFAULT_NAME = "policybot-teams.zip"
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


class PackageError(ValueError):
    """The package cannot be built as configured; the message says what to set."""


def render_manifest(app_id: str, template_dir: Path = TEMPLATE_DIR) -> dict[str, Any]:
    """The manifest with the bot's Microsoft App ID filled in (as app id and bot id)."""
    if not _GUID.match(app_id):
        raise PackageError(
            f"MICROSOFT_APP_ID {app_id!r} is not a GUID; use the Application (client) ID of "
            "the bot's Azure app registration."
        )
    text = (template_dir / "manifest.json").read_text(encoding="utf-8")
    manifest: dict[str, Any] = json.loads(text.replace(PLACEHOLDER, app_id.lower()))
    return manifest


def build_package(out_path: Path, settings: Settings) -> Path:
    """Write the app package zip to ``out_path`` (a file, or a directory to put it in)."""
    app_id = (settings.microsoft_app_id or "").strip()
    if not app_id:
        raise PackageError(
            "Set MICROSOFT_APP_ID (the Azure bot's Application ID) to build the Teams package."
        )
    manifest = render_manifest(app_id)
    target = out_path / DEFAULT_NAME if out_path.is_dir() else out_path
    target.parent.mkdir(parents=True, exist_ok=True)
    # Teams wants the three files at the root of the zip, no folders.
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        for icon in ICONS:
            zf.write(TEMPLATE_DIR / icon, arcname=icon)
    return target
