#!/usr/bin/env bash
# Certificate verifications per second over HTTP on loopback (wrk), beside the Node referee
# verifying the very same credentials in the same run. Needs: a release build
# (cargo build --release -p gongjiang), wrk and sqlite3 (apt-get install wrk sqlite3), npm ci
# in interop/vc. Usage: bench/verify-http.sh [SECONDS]
set -euo pipefail
secs=${1:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
g=$root/target/release/gongjiang
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
port=18940
for suite in jcs rdfc; do
  db=$work/$suite.db
  "$g" --db "sqlite://$db" demo --persons 200 > /dev/null 2>&1
  sqlite3 "$db" "INSERT INTO evaluation_institutions (public_id, category, body_code, province_code, site_serial, name, created_at)
    VALUES (X'0190a6b47c1e7a3b9f003f5c2d1e4b01','S','0000','12','000321','天津市某职业技能等级认定中心','2026-04-22T00:00:00Z');
    INSERT INTO certificates (public_id, number, institution_id, person_id, year, level_code, serial, title, holder_name,
      id_type, occupation_code, occupation_name, trade, level, level_text, institution_name, issue_date,
      status_index, status, created_at)
    VALUES (X'0190a6b47c1e7a3b9f003f5c2d1e4b02','S000012000321263000001',1,1,2026,3,1,'职业技能等级证书','欧阳春锋',
      '居民身份证','6-18-01-01','车工','--',4,'三级/高级工','天津市某职业技能等级认定中心',
      '2026-04-22',0,'valid','2026-04-22T00:00:00Z');"
  port=$((port + 1))
  url=http://127.0.0.1:$port
  "$g" --db "sqlite://$db" --credential-suite "$suite" --public-url "$url" cert sign > /dev/null 2>&1
  sqlite3 "$db" "SELECT credential FROM certificates" > "$work/bench-$suite.json"
  python3 -c "import json,sys; print(json.dumps({'verifiableCredential': json.load(open(sys.argv[1]))}))" \
    "$work/bench-$suite.json" > "$work/body-$suite.json"
  GONGJIANG_LOG=error "$g" --db "sqlite://$db" --public-url "$url" serve --addr "127.0.0.1:$port" \
    --public-rate 100000000 --public-burst 100000000 > "$work/serve-$suite.log" 2>&1 &
  pids+=($!)
  sleep 2
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data @"$work/body-$suite.json" "$url/credentials/verify")
  [ "$code" = 200 ] || { echo "$suite: /credentials/verify answered $code"; exit 1; }
  echo "== POST /credentials/verify, $suite (wrk -t1 -c4 -d${secs}s)"
  BODY=$work/body-$suite.json wrk -t1 -c4 -d"${secs}s" -s "$root/bench/verify-post.lua" "$url/credentials/verify" | grep -E 'Requests/sec|Latency|Non-2xx' || true
  if [ "$suite" = jcs ]; then
    echo "== GET /api/v1/certificates/verify (by number and name)"
    wrk -t1 -c4 -d"${secs}s" "$url/api/v1/certificates/verify?number=S000012000321263000001&name=%E6%AC%A7%E9%98%B3%E6%98%A5%E9%94%8B" | grep -E 'Requests/sec|Latency|Non-2xx' || true
  fi
done
echo "== Node referee (@digitalbazaar/vc verifyCredential, one thread, status check stubbed), same credentials"
(cd "$root/interop/vc" && node bench.mjs "$work" "$secs")
