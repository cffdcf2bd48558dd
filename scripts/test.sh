#!/usr/bin/env bash
# `npm test`: the type check, then the unit tests and the integration tests on the embedded default
# (PGlite + in-process broker), and, when DATABASE_URL and MQTT_URL are both set, the same integration
# files again against that Postgres server and MQTT broker (jest.config.js has the three projects).
#
# The two integration runs share nothing but the machine: the embedded one needs no server. Where this
# shell may make a network namespace (root, `unshare -n`; CI's machine), the embedded run goes into one
# of its own, with a loopback of its own, and the two run side by side: their simulated cameras bind the
# same fixed 127.0.x.y addresses and ports without meeting, and the external run keeps the shared broker
# to itself (its files run one after another, as each file's processes read every tiergate/v1 topic).
# Elsewhere they run one after the other. Extra arguments go to jest (both runs).
set -uo pipefail
cd "$(dirname "$0")/.."

npm run --silent typecheck || exit 1

jest=(node --max-old-space-size=8192 --experimental-vm-modules node_modules/jest/bin/jest.js --runInBand --logHeapUsage)
external=0
[ -n "${DATABASE_URL:-}" ] && [ -n "${MQTT_URL:-}" ] && external=1

if [ "$external" = 0 ]; then
  exec "${jest[@]}" --selectProjects unit integration "$@"
fi

if ! { [ "${TIERGATE_TEST_SERIAL:-0}" != 1 ] && command -v ip >/dev/null 2>&1 && unshare -n true 2>/dev/null; }; then
  exec "${jest[@]}" "$@"
fi

echo "test: unit + integration (embedded) in a network namespace of their own, beside integration:external"
started=$(date +%s)
(
  env -u DATABASE_URL -u MQTT_URL unshare -n sh -c 'ip link set lo up && exec "$@"' sh \
    "${jest[@]}" --selectProjects unit integration "$@" 2>&1 | sed -u 's/^/[embedded] /'
) &
embedded_pid=$!
(
  "${jest[@]}" --selectProjects integration:external "$@" 2>&1 | sed -u 's/^/[external] /'
) &
external_pid=$!

wait "$embedded_pid"; embedded_rc=$?
wait "$external_pid"; external_rc=$?
echo "test: embedded run exit $embedded_rc, external run exit $external_rc, $(( $(date +%s) - started )) s"
[ "$embedded_rc" = 0 ] && [ "$external_rc" = 0 ]
