#!/usr/bin/env bash
# ADL's xAPI LRS conformance suite (lrs-conformance-test-suite 2ec25f2, MIT, unmodified) against
# the LRS at /xapi: the vendored tarball is unpacked in a scratch folder, its dependencies come
# from npm (`npm install`: the suite ships no lock file), then the xAPI 1.0.3 tests run against
# `gongjiang serve` on a loopback port, on a fresh SQLite file, with a city administrator's API
# token as the Basic password. Fails if any test fails; prints the suite's counts.
#   scripts/lrs_conformance.sh [BIN]     (default target/debug/gongjiang)
# Environment: LRS_SUITE (the tarball; default ../shared/vendor/ or vendor/), PORT (18793),
# LRS_SUITE_ARGS (extra runner options, e.g. "-g Attachments").
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-target/debug/gongjiang}"
SUITE="${LRS_SUITE:-}"
if [ -z "$SUITE" ]; then
    for f in vendor/lrs-conformance-2ec25f2.tar.gz ../shared/vendor/lrs-conformance-2ec25f2.tar.gz \
        /work/shared/vendor/lrs-conformance-2ec25f2.tar.gz; do
        [ -f "$f" ] && SUITE="$f" && break
    done
fi
[ -n "$SUITE" ] && [ -f "$SUITE" ] || { echo "lrs_conformance: the suite's tarball is not found (set LRS_SUITE)" >&2; exit 1; }
SUITE="$(cd "$(dirname "$SUITE")" && pwd)/$(basename "$SUITE")"
WORK="$(mktemp -d)"
PORT="${PORT:-18793}"
BASE="http://127.0.0.1:$PORT"
G=("$BIN" --db "sqlite://$WORK/lrs.db" --public-url "$BASE")
cleanup() { [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

tar -xzf "$SUITE" -C "$WORK"
(cd "$WORK/lrs-conformance" && npm install --no-audit --no-fund --loglevel=error >"$WORK/npm.log" 2>&1) \
    || { cat "$WORK/npm.log"; exit 1; }

echo "Lrs-conformance-2026" | "${G[@]}" user add lrs-admin --display-name 管理员 --role city-admin --password-stdin >/dev/null 2>&1
TOKEN="$("${G[@]}" token create --user lrs-admin --name lrs-conformance --role city-admin --days 1 2>/dev/null | tail -1)"
"${G[@]}" serve --addr "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 60); do
    python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "$BASE/api/v1/health" \
        2>/dev/null && break
    sleep 0.5
done

cd "$WORK/lrs-conformance"
# shellcheck disable=SC2086
node bin/console_runner.js -x 1.0.3 -e "$BASE/xapi" -a -u x -p "$TOKEN" ${LRS_SUITE_ARGS:-} >"$WORK/run.txt" 2>&1 || true
# The runner prints a running count ({"total":…,"passed":…,"failed":…}) and writes a full log
# with the final summary under logs/.
LOG="$(ls -t logs/*.log 2>/dev/null | head -1 || true)"
python3 - "$WORK/run.txt" "${LOG:-}" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
summary = None
if sys.argv[2]:
    try:
        summary = json.load(open(sys.argv[2], encoding="utf-8")).get("summary")
    except (OSError, ValueError):
        summary = None
if summary is None:
    counts = [l for l in text.splitlines() if l.startswith('{"total"')]
    summary = json.loads(counts[-1]) if counts else {}
total, passed, failed = summary.get("total"), summary.get("passed"), summary.get("failed")
print(f"LRS conformance (xAPI 1.0.3): {passed} of {total} tests passed, {failed} failed")
if failed != 0 or not passed or passed != total:
    print(text[-8000:])
    sys.exit(1)
PY
