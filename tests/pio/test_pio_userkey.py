"""One user-hash key per process: from the env, a mounted file, or made once (0600)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.userkey import KEY_FILE, UserKeyError, load_user_key
from tests.conftest import make_settings


def test_key_is_created_once_private_and_stable(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, hash_key=None, hash_key_file=None)
    first = load_user_key(settings)
    path = tmp_path / KEY_FILE
    assert len(first) == 32 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_user_key(settings) == first  # a restart hashes users the same way


def test_env_secret_then_mounted_file_take_precedence(tmp_path: Path) -> None:
    secret = make_settings(tmp_path, hash_key=SecretStr("from-env"), hash_key_file=None)
    assert load_user_key(secret) == b"from-env"
    mounted = tmp_path / "mounted.key"
    mounted.write_text("from-file\n")
    from_file = make_settings(tmp_path, hash_key=None, hash_key_file=mounted)
    assert load_user_key(from_file) == b"from-file"
    assert not (tmp_path / KEY_FILE).exists()
    with pytest.raises(UserKeyError, match="cannot be read"):
        load_user_key(make_settings(tmp_path, hash_key=None, hash_key_file=tmp_path / "nope"))
