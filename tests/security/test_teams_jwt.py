"""Teams JWT validation, the accepted path included: tokens signed by a local test key,
published through a local OpenID metadata + JWKS endpoint, validated by botbuilder's
own JwtTokenExtractor (pointed there with TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL,
the SDK's setting for a non-default channel authority)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from bot.core.assistant import Assistant
from bot.core.feedback import MemoryFeedback
from bot.teams.bot import PolicyTeamsBot
from bot.teams.http import BotAuthConfig, TeamsEndpoint, build_adapter
from bot.teams.retry import RetryPolicy
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams import activities as A

APP_ID = "6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b"
ISSUER = "https://api.botframework.test"
KID = "local-test-key"


@dataclass(frozen=True)
class LocalAuthConfig(BotAuthConfig):
    TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL: str | None = None
    TO_BOT_FROM_CHANNEL_TOKEN_ISSUER: str | None = None


class KeyServer:
    """OpenID metadata and JWKS on 127.0.0.1 (in a thread: the SDK fetches them with
    blocking ``requests`` calls from inside the event loop)."""

    def __init__(self, jwk: dict[str, Any]) -> None:
        keys = {"keys": [jwk]}
        server_ref: dict[str, Any] = {}

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                base = f"http://127.0.0.1:{server_ref['port']}"
                if self.path == "/.well-known/openidconfiguration":
                    body = {"issuer": ISSUER, "jwks_uri": f"{base}/keys"}
                elif self.path == "/keys":
                    body = keys
                else:
                    self.send_response(404)
                    self.end_headers()
                    return
                raw = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args: Any) -> None:
                return None

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server_ref["port"] = self.httpd.server_address[1]
        self.metadata_url = f"http://127.0.0.1:{server_ref['port']}/.well-known/openidconfiguration"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _rsa() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


SIGNING_KEY = _rsa()
OTHER_KEY = _rsa()


@pytest.fixture
def key_server() -> Iterator[KeyServer]:
    jwk = json.loads(RSAAlgorithm.to_jwk(SIGNING_KEY.public_key()))
    jwk.update({"kid": KID, "use": "sig", "alg": "RS256", "endorsements": ["msteams"]})
    server = KeyServer(jwk)
    yield server
    server.close()


@pytest.fixture
async def client(
    key_server: KeyServer, assistant: Assistant, tmp_path: Path
) -> AsyncIterator[TestClient]:
    config = LocalAuthConfig(
        APP_ID,
        "s3cret-value",
        "MultiTenant",
        None,
        None,
        TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL=key_server.metadata_url,
        TO_BOT_FROM_CHANNEL_TOKEN_ISSUER=ISSUER,
    )
    adapter = build_adapter(config, RetryPolicy(attempts=1))
    bot = PolicyTeamsBot(assistant, MemoryFeedback(), b"k" * 32, APP_ID)
    app = web.Application()
    app.router.add_post("/api/messages", TeamsEndpoint(adapter, bot).handle)
    async with TestClient(TestServer(app, host="127.0.0.1")) as c:
        yield c


def token(service_url: str, key: Any = SIGNING_KEY, **claims: Any) -> str:
    now = int(time.time())
    payload = {
        "iss": ISSUER,
        "aud": APP_ID,
        "serviceurl": service_url,
        "nbf": now - 10,
        "exp": now + 3600,
        **claims,
    }
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": KID})


async def _post(client: TestClient, activity: dict[str, Any], bearer: str | None) -> Any:
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    return await client.post("/api/messages", json=activity, headers=headers)


async def test_token_signed_by_the_published_key_is_accepted(
    client: TestClient, connector: FakeBotConnector
) -> None:
    activity = A.personal_message(
        "Can I friend a parent on Facebook?", connector.url, expect_replies=True
    )
    resp = await _post(client, activity, token(connector.url))
    assert resp.status == 200, await resp.text()
    replies = [a for a in (await resp.json())["activities"] if a["type"] == "message"]
    assert replies and replies[0].get("attachments")


@pytest.mark.parametrize(
    ("case", "make"),
    [
        ("other-key", lambda url: token(url, key=OTHER_KEY)),
        ("wrong-audience", lambda url: token(url, aud="someone-elses-bot")),
        ("wrong-issuer", lambda url: token(url, iss="https://evil.example")),
        ("other-service-url", lambda url: token("https://evil.example/")),
        ("expired", lambda url: token(url, exp=int(time.time()) - 3600)),
        ("missing", lambda url: None),
    ],
)
async def test_forged_or_missing_tokens_get_401(
    client: TestClient, connector: FakeBotConnector, case: str, make: Any
) -> None:
    activity = A.personal_message(
        "Can I friend a parent on Facebook?", connector.url, expect_replies=True
    )
    resp = await _post(client, activity, make(connector.url))
    assert resp.status == 401, case
    assert connector.calls == []


async def test_key_not_endorsed_for_the_channel_is_refused(
    client: TestClient, connector: FakeBotConnector
) -> None:
    activity = A.personal_message("Can I friend a parent?", connector.url, expect_replies=True)
    activity["channelId"] = "webchat"  # the key is endorsed for msteams only
    resp = await _post(client, activity, token(connector.url))
    assert resp.status == 401
