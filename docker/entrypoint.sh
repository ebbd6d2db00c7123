#!/bin/sh
# Container entrypoint: make sure the policy index exists, then run the command.
set -eu

data_dir="${POLICYBOT_DATA_DIR:-/data}"

# With the embedded index (no POLICYBOT_CHROMA_URL), every start ingests the
# bundled policies: on an empty /data volume so the bot answers from the start,
# and after an image upgrade over an existing volume so an index the previous
# version built is re-embedded (`serve` refuses to answer from it). Ingest is
# idempotent: an up-to-date index costs a model load and a hash per document.
# When an index exists, a document ingest cannot read keeps its previous clauses
# and serve still starts (it refuses an outdated index by name); on an empty
# volume a failed ingest stops the container rather than answer "silent" to all.
# With a Chroma server, the compose file's one-shot `ingest` service does it once
# for all replicas; set POLICYBOT_INGEST_ON_START=1 to ingest here anyway.
if [ "${1:-}" = "policybot" ] && [ "${2:-}" = "serve" ]; then
    if [ -z "${POLICYBOT_CHROMA_URL:-}" ] || [ "${POLICYBOT_INGEST_ON_START:-0}" = "1" ]; then
        echo "policybot: bringing the policy index up to date (policybot ingest)" >&2
        if [ -d "${data_dir}/chroma" ]; then
            policybot ingest || echo "policybot: ingest reported problems (above); serving the index as it is" >&2
        else
            policybot ingest
        fi
    fi
fi

exec "$@"
