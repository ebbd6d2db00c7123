"""The one key for hashing user ids, shared by Slack, Teams and the question log."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from bot.settings import Settings

KEY_FILE = "feedback.key"  # the name Teams votes were hashed under before


class UserKeyError(RuntimeError):
    pass


def load_user_key(settings: Settings) -> bytes:
    """POLICYBOT_HASH_KEY, else the file POLICYBOT_HASH_KEY_FILE, else one made once (0600)."""
    if settings.hash_key is not None and settings.hash_key.get_secret_value():
        return settings.hash_key.get_secret_value().encode("utf-8")
    if settings.hash_key_file is not None:
        try:
            key = Path(settings.hash_key_file).read_bytes().strip()
        except OSError as err:
            raise UserKeyError(
                f"POLICYBOT_HASH_KEY_FILE={settings.hash_key_file} cannot be read: {err}"
            ) from err
        if not key:
            raise UserKeyError(f"POLICYBOT_HASH_KEY_FILE={settings.hash_key_file} is empty.")
        return key
    path = Path(settings.data_dir) / KEY_FILE
    if path.exists():
        return path.read_bytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_bytes()
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    return key
