#!/usr/bin/env bash
# Import A/B: the same demo files imported by two gongjiang binaries, one after the other, each
# into a fresh SQLite file, ROUNDS times interleaved — for a change to a hot path, beside the
# binary before it, in the same run on the same machine.
#   bench/import-ab.sh BEFORE_BIN AFTER_BIN DATA_DIR [ROUNDS]
# DATA_DIR holds orgs.csv, persons.csv, levels.csv (`gongjiang demo --persons N --seed 7 --csv DIR`).
# Prints one line per step and binary: seconds, rows/s, and the peak resident memory (KiB).
set -euo pipefail
A="$1"; B="$2"; DATA="$3"; ROUNDS="${4:-2}"
OUT="$(mktemp -d)"
rows() { echo $(( $(wc -l < "$1") - 1 )); }
step() { # label bin db args…
    local label="$1" bin="$2" db="$3"; shift 3
    local t0 t1 rss
    t0=$(date +%s.%N)
    rss=$( { /usr/bin/time -f '%M' "$bin" --db "sqlite://$db" "$@" --format json >/dev/null; } 2>&1 | tail -1 )
    t1=$(date +%s.%N)
    echo "$label $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') $rss"
}
NP=$(rows "$DATA/persons.csv"); NL=$(rows "$DATA/levels.csv")
printf '| round | binary | step | rows | seconds | rows/s | peak RSS MiB |\n|---|---|---|---:|---:|---:|---:|\n'
for r in $(seq 1 "$ROUNDS"); do
    for which in before after; do
        bin="$A"; [ "$which" = after ] && bin="$B"
        db="$OUT/$which-$r.db"; rm -f "$db"*
        step orgs "$bin" "$db" import orgs "$DATA/orgs.csv" >/dev/null
        for s in persons levels persons-again; do
            case $s in
                persons|persons-again) file=persons.csv; n=$NP; kind=persons ;;
                levels) file=levels.csv; n=$NL; kind=levels ;;
            esac
            read -r _ secs rss < <(step "$s" "$bin" "$db" import "$kind" "$DATA/$file")
            printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$r" "$which" "$s" "$n" "$secs" \
                "$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')" "$(( rss / 1024 ))"
        done
    done
done
rm -rf "$OUT"
