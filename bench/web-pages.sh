#!/usr/bin/env bash
# Page-load benchmark: server time of the web application's pages over a demo city of N persons
# (release build, SQLite), signed in as the city administrator and as a district administrator.
#   bench/web-pages.sh [PERSONS] [REPEATS]      (default 1000000 and 20; needs curl)
# Each page is fetched once to warm it, then REPEATS times; the time is curl's time to the first
# byte on loopback (the server's work; the transfer of a page is microseconds more). The database
# stays in bench/out/ for a rerun; delete it afterwards (rm -rf bench/out/web-*).
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-1000000}"
R="${2:-20}"
OUT=bench/out
DB="$OUT/web-$N.db"
PORT="${PORT:-18765}"
BASE="http://127.0.0.1:$PORT"
PASS='Bench-pass-2026-web'
mkdir -p "$OUT"

if [ -z "${BIN:-}" ]; then
    cargo build --release --locked -q -p gongjiang
    BIN=target/release/gongjiang
fi
G=("$BIN" --db "sqlite://$DB" --public-url "$BASE")

if [ ! -f "$DB" ]; then
    echo "demo city of $N persons into $DB …"
    t0=$(date +%s.%N)
    "${G[@]}" demo --persons "$N" --seed 7 >/dev/null 2>"$OUT/web-demo.log"
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "  loaded in %.0f s\n", b - a }'
    # One whole identity number for the exact lookup: pages show them masked, the database
    # holds them encrypted; the export has them.
    "${G[@]}" export persons "$OUT/web-persons.csv" >/dev/null 2>&1
    sed -n "$(( N / 2 + 1 ))p" "$OUT/web-persons.csv" | cut -d, -f1 >"$OUT/web-$N.id"
    rm -f "$OUT/web-persons.csv"
    echo "$PASS" | "${G[@]}" user add bench-city --display-name 市 --role city-admin --password-stdin 2>/dev/null
    echo "$PASS" | "${G[@]}" user add bench-district --display-name 区 --role district-admin:120116 \
        --by bench-city --password-stdin 2>/dev/null
fi

"${G[@]}" serve --addr "127.0.0.1:$PORT" >"$OUT/web-serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "$BASE/api/v1/health" >/dev/null 2>&1 && break; sleep 0.2; done

sign_in() { # user cookie-jar
    curl -fs -c "$2" -H 'content-type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"$PASS\"}" "$BASE/api/v1/session" >/dev/null
}
# Median, 95th percentile and maximum of R fetches, in milliseconds.
measure() { # jar label path
    curl -fs -b "$1" -o /dev/null "$BASE$3" || { echo "| $2 | \`$3\` | failed | | |"; return; }
    for _ in $(seq 1 "$R"); do
        curl -fs -b "$1" -o /dev/null -w '%{time_starttransfer}\n' "$BASE$3"
    done | sort -n | awk -v label="$2" -v path="$3" '{ t[NR] = $1 * 1000 } END {
        p95 = t[int(NR * 0.95 + 0.999)]; if (p95 == "") p95 = t[NR];
        printf "| %s | `%s` | %.1f | %.1f | %.1f |\n", label, path, t[int((NR + 1) / 2)], p95, t[NR] }'
}
# The first fetch alone (for what is computed once and then kept).
first() { # jar label path
    curl -fs -b "$1" -o /dev/null -w '%{time_starttransfer}\n' "$BASE$3" |
        awk -v label="$2" -v path="$3" '{ printf "| %s | `%s` | %.1f (first, not kept yet) | | |\n", label, path, $1 * 1000 }'
}

CITY="$OUT/web-city.jar"; DISTRICT="$OUT/web-district.jar"
sign_in bench-city "$CITY"
sign_in bench-district "$DISTRICT"

# Values to search for, taken from the registry itself.
PAGE=$(curl -fs -b "$CITY" "$BASE/persons?district=120116&level=4")
PERSON=$(grep -o 'href="/persons/[0-9a-f-]*"' <<<"$PAGE" | head -1 | cut -d'"' -f2)
NAME=$(grep -o 'href="/persons/[0-9a-f-]*">[^<]*<' <<<"$PAGE" | head -1 | sed 's/.*">//; s/<$//')
NAME_Q=$(printf %s "$NAME" | od -An -tx1 | tr -d ' \n' | sed 's/../%&/g')
# A cursor nine tenths of the way through the registry (a listing's cursor is its tag byte and
# the last id, base64url), read with sqlite3 when it is here; else the second page.
DEEP=$(curl -fs -b "$CITY" "$BASE/persons" | grep -o 'after=[A-Za-z0-9_-]*' | head -1)
ID=$(cat "$OUT/web-$N.id" 2>/dev/null || true)
if command -v sqlite3 >/dev/null; then
    AT=$(sqlite3 "$DB" "SELECT MAX(id) * 9 / 10 FROM persons")
    DEEP="after=$( (printf 'p'; printf '%016x' "$AT" | sed 's/../\\x&/g' | xargs -0 printf) | base64 | tr '+/' '-_' | tr -d '=\n')"
fi

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB; $(date -u +%F); $N persons; $R fetches per page"
echo
echo "| who | page | median ms | p95 ms | max ms |"
echo "|---|---|---:|---:|---:|"
measure "$CITY" city /dashboard
first "$CITY" city "/dashboard/trend?group=total"
measure "$CITY" city "/dashboard/trend?group=total"
measure "$CITY" city "/kpi/persons?measure=skilled"
measure "$CITY" city "/kpi/persons?by=district&group=120116&measure=high_skilled"
measure "$CITY" city /persons
measure "$CITY" city "/persons?$DEEP"
measure "$CITY" city "/persons?name=$NAME_Q"
[ -n "$ID" ] && measure "$CITY" city "/persons?id_number=$ID"
measure "$CITY" city "/persons?district=120116"
measure "$CITY" city "/persons?level=5"
measure "$CITY" city "/persons?district=120116&level=6&occupation=6-18"
measure "$CITY" city "$PERSON"
measure "$CITY" city /organisations
measure "$CITY" city /evaluation
measure "$CITY" city /
measure "$DISTRICT" district /dashboard
measure "$DISTRICT" district /persons
measure "$DISTRICT" district "/persons?name=$NAME_Q"
measure "$OUT/none.jar" public /public/kpi
measure "$OUT/none.jar" public /verify
