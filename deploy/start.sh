#!/bin/sh
# Start-up sequence of a production instance (used by the Dockerfile; the systemd unit runs the same two steps):
#  1. apply pending PostgreSQL migrations (the server itself runs with "migrate": false, so its role may lack DDL
#     rights and several instances never race to migrate);
#  2. replace this shell with the server, so it receives SIGTERM (graceful stop) and SIGHUP (reopen the audit log).
set -eu
: "${DISTILL_INTEL_CONFIG:=/etc/distill-intel/server.json}"
: "${DISTILL_INTEL_DATABASE_URL:?set DISTILL_INTEL_DATABASE_URL to the PostgreSQL URL (postgres://user:password@host:5432/db)}"
export DISTILL_INTEL_CONFIG DISTILL_INTEL_DATABASE_URL
distill-intel migrate --schema "${DISTILL_INTEL_DATABASE_SCHEMA:-public}"
exec distill-intel serve --config "$DISTILL_INTEL_CONFIG"
