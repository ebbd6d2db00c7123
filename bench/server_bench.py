"""`policybot serve` as a real subprocess, N concurrent signed Slack events, fake Slack.

Ack latency is the HTTP round trip of the event POST; time to answer runs from
sending the event until the fake Slack records the bot's chat.postMessage in
that event's DM channel. Every event must be answered exactly once.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

import aiohttp

from bench.cold import checkout_env, policybot_cmd
from bench.stats import ms
from tests.chroma_server import free_port
from tests.fakes.slack_api import Call, FakeSlackApi, sign
from tests.slack import slack_payloads as p

SECRET = "bench-signing-secret-0123456789ab"
QUESTIONS = [
    "A youth's mother sent me a friend request. Can I accept?",
    "May I friend a foster parent on Facebook?",
    "Can I post pictures of clients on my personal Facebook?",
    "is it ok to put my work email on my LinkedIn?",
    "Can I use my personal phone to text a youth on my caseload?",
]


class TimedFakeSlack(FakeSlackApi):
    """The test fake, recording when each call arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived: list[tuple[float, Call]] = []

    def _record(self, call: Call) -> None:
        self.arrived.append((time.perf_counter(), call))
        super()._record(call)


def server_env(data_dir: Path, slack_api_url: str, chroma_url: str | None) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "MICROSOFT_", "POLICYBOT_"))
    }
    env |= {
        "POLICYBOT_DATA_DIR": str(data_dir),
        "SLACK_BOT_TOKEN": "xoxb-bench-token",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack_api_url,
    }
    if chroma_url:
        env["POLICYBOT_CHROMA_URL"] = chroma_url
    return env


async def _wait_healthy(base: str, proc: subprocess.Popen[bytes], timeout: float) -> float:
    t0 = time.perf_counter()
    async with aiohttp.ClientSession() as http:
        while time.perf_counter() - t0 < timeout:
            if proc.poll() is not None:
                raise RuntimeError(f"policybot serve exited with {proc.returncode}")
            try:
                async with http.get(f"{base}/healthz") as r:
                    if r.status == 200:
                        return time.perf_counter() - t0
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError("policybot serve never became healthy")


async def _burst(base: str, fake: TimedFakeSlack, n: int, tag: str) -> dict[str, Any]:
    channels = [f"D{tag}{i:04d}" for i in range(n)]
    sent: dict[str, float] = {}
    acks: list[float] = []
    statuses: list[int] = []

    async def one(http: aiohttp.ClientSession, i: int) -> None:
        payload = p.dm(QUESTIONS[i % len(QUESTIONS)], ts=f"{time.time():.6f}", channel=channels[i])
        body = json.dumps(payload)
        headers = {"Content-Type": "application/json", **sign(SECRET, body)}
        t0 = time.perf_counter()
        sent[channels[i]] = t0
        async with http.post(f"{base}/slack/events", data=body.encode(), headers=headers) as r:
            await r.read()
            acks.append(time.perf_counter() - t0)
            statuses.append(r.status)

    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as http:
        await asyncio.gather(*(one(http, i) for i in range(n)))

    def answered() -> dict[str, list[float]]:
        out: dict[str, list[float]] = {}
        for at, call in fake.arrived:
            ch = call.body.get("channel")
            if call.method == "chat.postMessage" and ch in sent:
                out.setdefault(ch, []).append(at)
        return out

    deadline = time.perf_counter() + 60 + 3 * n
    while len(answered()) < n and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    await asyncio.sleep(2.0)  # a late duplicate would arrive here
    got = answered()
    to_answer = [min(ts) - sent[ch] for ch, ts in got.items()]
    return {
        "events": n,
        "acked_200": sum(s == 200 for s in statuses),
        "answered": len(got),
        "answered_exactly_once": sum(len(v) == 1 for v in got.values()) == n,
        "ack_ms": ms(acks),
        "answer_ms": ms(to_answer),
    }


async def _run(data_dir: Path, sizes: list[int], chroma_url: str | None) -> dict[str, Any]:
    fake = TimedFakeSlack()
    await fake.start()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (data_dir / f"serve-{port}.log").open("wb")
    proc = subprocess.Popen(
        [*policybot_cmd(), "serve", "--port", str(port)],
        env=checkout_env(server_env(data_dir, fake.url, chroma_url)),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        startup = await _wait_healthy(base, proc, 180)
        await _burst(base, fake, 3, "warm")  # warm-up: model, lexical index, bolt
        bursts = {str(n): await _burst(base, fake, n, f"n{n}x") for n in sizes}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        await fake.close()
    return {"startup_to_healthy_s": round(startup, 2), "bursts": bursts}


def serve_bench(
    data_dir: Path, sizes: list[int] | None = None, chroma_url: str | None = None
) -> dict[str, Any]:
    return asyncio.run(_run(data_dir, sizes or [1, 10, 50], chroma_url))
