#!/usr/bin/env python3
"""The xAPI statement store at scale (docs/BENCHMARKS.md): disk size and query-by-learner time
with N statements in SQLite.

    scripts/bench_xapi_store.py DIR N [--bin target/release/gongjiang] [--per-learner 100]

DIR is a database made by `scripts/bench_xapi.py --keep DIR` (the schema, a provider, its
enrolments and statements stored through the LRS). The statements the LRS stored there are the
template: N − (already stored) more rows are bulk-loaded straight into `xapi_statements` with
Python's sqlite3 (the LRS's own write path is measured by bench_xapi.py; this measures the store),
each with a fresh random (v4) id, its learner (PER_LEARNER statements each), its stored time, and
the row's received/body texts as the LRS writes them. Then `gongjiang serve` (release) answers
`GET /xapi/statements?agent=…` (a learner's platform account, the default page of 100) for 200
random learners with a city administrator's token; the times are client-side, over loopback.
"""

import argparse
import http.client
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
import uuid

HOME = "https://learn.bench.example.cn"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("n", type=int)
    ap.add_argument("--bin", default="target/release/gongjiang")
    ap.add_argument("--per-learner", type=int, default=100)
    ap.add_argument("--port", type=int, default=18796)
    ap.add_argument("--queries", type=int, default=200)
    a = ap.parse_args()
    path = os.path.join(a.dir, "bench.db")
    con = sqlite3.connect(path)
    have = con.execute("SELECT count(*) FROM xapi_statements").fetchone()[0]
    row = con.execute(
        "SELECT statement_id, provider_id, actor_key, verb_id, activity_id, received, body "
        "FROM xapi_statements ORDER BY id LIMIT 1").fetchone()
    sid, provider, actor_key, verb, activity, received, body = row
    name = json.loads(received)["actor"]["account"]["name"]
    learners = max(1, a.n // a.per_learner)
    todo = a.n - have
    print(f"{have} statements already stored; loading {todo} more for {learners} learners", file=sys.stderr)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    t0 = time.perf_counter()
    base = time.time() - 86400 * 30
    chunk = 50_000
    done = 0
    while done < todo:
        rows = []
        for k in range(done, min(todo, done + chunk)):
            new_id = str(uuid.uuid4())
            who = f"stu{k % learners:06d}"
            stored = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(base + k * 0.1)) + f".{k % 1000:03d}Z"
            rec = received.replace(sid, new_id).replace(f'"{name}"', f'"{who}"')
            b = json.loads(body.replace(sid, new_id).replace(f'"{name}"', f'"{who}"'))
            b["stored"] = stored
            rows.append((new_id, provider, actor_key.replace(name, who), verb, activity, stored, rec, json.dumps(b,
                         separators=(",", ":"), ensure_ascii=False)))
        con.executemany(
            "INSERT INTO xapi_statements (statement_id, provider_id, actor_key, verb_id, activity_id, voided, stored, "
            "received, body) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)", rows)
        con.commit()
        done += len(rows)
        if done % 1_000_000 < chunk:
            print(f"  {done + have} rows, {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    load = time.perf_counter() - t0
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    total = con.execute("SELECT count(*) FROM xapi_statements").fetchone()[0]
    con.close()
    size = sum(os.path.getsize(os.path.join(a.dir, f)) for f in os.listdir(a.dir) if f.startswith("bench.db"))

    binary = os.path.abspath(a.bin)
    db = f"sqlite://{path}"
    env = dict(os.environ, GONGJIANG_LOG="error")
    token = subprocess.run([binary, "--db", db, "token", "create", "--user", "admin", "--name", "store-bench", "--role",
                            "city-admin", "--days", "1"], capture_output=True, text=True, env=env,
                           check=True).stdout.strip().split("\n")[-1]
    server = subprocess.Popen([binary, "--db", db, "serve", "--addr", f"127.0.0.1:{a.port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    times = []
    try:
        for _ in range(300):
            try:
                c = http.client.HTTPConnection("127.0.0.1", a.port, timeout=2)
                c.request("GET", "/xapi/about")
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        c = http.client.HTTPConnection("127.0.0.1", a.port, timeout=60)
        headers = {"X-Experience-API-Version": "1.0.3", "Authorization": f"Bearer {token}"}
        rnd = random.Random(7)
        counts = []
        for _ in range(a.queries):
            who = f"stu{rnd.randrange(learners):06d}"
            agent = json.dumps({"account": {"homePage": HOME, "name": who}})
            q = "/xapi/statements?" + urllib.parse.urlencode({"agent": agent})
            t = time.perf_counter()
            c.request("GET", q, headers=headers)
            r = c.getresponse()
            data = r.read()
            times.append((time.perf_counter() - t) * 1000)
            if r.status != 200:
                sys.exit(f"bench_xapi_store: {r.status} {data[:300]!r}")
            counts.append(len(json.loads(data)["statements"]))
    finally:
        server.terminate()
        server.wait()
    times.sort()
    print(json.dumps({
        "statements": total,
        "learners": learners,
        "bulk_load_seconds": round(load),
        "db_bytes": size,
        "bytes_per_statement": round(size / total),
        "query_by_learner_ms": {
            "queries": len(times),
            "statements_per_answer": statistics.median(counts),
            "p50": round(statistics.median(times), 2),
            "p95": round(times[int(len(times) * 0.95) - 1], 2),
            "max": round(times[-1], 2),
        },
    }, indent=2))


if __name__ == "__main__":
    main()
