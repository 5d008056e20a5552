#!/usr/bin/env bash
# KPI and supply benchmark: N demo persons imported into a fresh SQLite registry, then each KPI
# and supply figure served from the maintained counts beside the same aggregate by a full scan,
# in the same run on the same data (crates/app/examples/kpi_bench.rs), then
# `gongjiang kpi recount --check`.
#   bench/kpi.sh [PERSONS] [DIR]      (default 1000000, bench-data)
# DIR holds the CSV files and the database (several GB at ten million persons): delete it after.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-1000000}"
DIR="${2:-bench-data}"
DATA="$DIR/csv-$N"
DB="$DIR/kpi-$N.db"
mkdir -p "$DIR"
[ -f "$DIR/.gitignore" ] || echo '*' > "$DIR/.gitignore"

cargo build --release --locked -q -p gongjiang
cargo build --release --locked -q -p gongjiang-app --example kpi_bench
BIN=target/release/gongjiang
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ ! -f "$DATA/demand.csv" ]; then
    t=$(now); "$BIN" demo --persons "$N" --seed 7 --csv "$DATA"; echo "demo --csv: $(since "$t") s"
fi
rm -f "$DB" "$DB-wal" "$DB-shm"
for kind in orgs persons levels employment statistics demand; do
    t=$(now)
    "$BIN" --db "sqlite://$DB" import "$kind" "$DATA/$kind.csv" --format json > "$DIR/import-$kind.json"
    echo "import $kind: $(since "$t") s $(head -c 300 "$DIR/import-$kind.json" | tr -d '\n')"
done
ls -l "$DB"
for t in kpi_person_state kpi_counts kpi_count_changes holder_counts holder_count_changes; do
    echo "$t: $(sqlite3 "$DB" "SELECT COUNT(*) FROM $t" 2>/dev/null || echo '?') rows"
done

SCAN_RUNS="${SCAN_RUNS:-3}" target/release/examples/kpi_bench "sqlite://$DB"

t=$(now); "$BIN" --db "sqlite://$DB" kpi recount --check | tail -1; echo "kpi recount --check: $(since "$t") s"
