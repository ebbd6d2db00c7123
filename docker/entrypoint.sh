#!/bin/sh
# Container entrypoint: make sure the policy index exists, then run the command.
set -eu

data_dir="${POLICYBOT_DATA_DIR:-/data}"

# With the embedded index (no POLICYBOT_CHROMA_URL), a first start on an empty
# /data volume ingests the bundled policies so the bot answers from the start.
# With a Chroma server, the compose file's one-shot `ingest` service does it once
# for all replicas; set POLICYBOT_INGEST_ON_START=1 to ingest here anyway
# (ingest is idempotent: unchanged documents are skipped).
if [ "${1:-}" = "policybot" ] && [ "${2:-}" = "serve" ]; then
    if [ -z "${POLICYBOT_CHROMA_URL:-}" ] && [ ! -d "${data_dir}/chroma" ]; then
        echo "policybot: empty index in ${data_dir}; ingesting the bundled policies" >&2
        policybot ingest
    elif [ "${POLICYBOT_INGEST_ON_START:-0}" = "1" ]; then
        policybot ingest
    fi
fi

exec "$@"
