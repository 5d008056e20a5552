#!/usr/bin/env bash
# Competition judging benchmark (issue 15): one event, ENTRANTS entrants (default 5,000) × 20
# aspects × 3 judges = 300,000 scores through the marking use case into a fresh SQLite
# registry; then sign-off, ranking and standardisation, ledger verification and publishing
# with 以赛代评 (crates/app/examples/competition_bench.rs).
#   bench/competition.sh [ENTRANTS] [DIR]      (default 5000, bench-data/competition)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-5000}"
DIR="${2:-bench-data/competition}"
mkdir -p "$DIR"
[ -f "$(dirname "$DIR")/.gitignore" ] || echo '*' > "$(dirname "$DIR")/.gitignore"
cargo build --release --locked -q -p gongjiang-app --example competition_bench
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
target/release/examples/competition_bench "$N" "$DIR"
