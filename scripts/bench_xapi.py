#!/usr/bin/env python3
"""xAPI benchmark (docs/BENCHMARKS.md): statements accepted per second by /xapi over HTTP on
loopback, in batches of 1 and of 100, beside the same learning written by the import path
(`gongjiang import enrolments` with the hours column, one row per learner).

    scripts/bench_xapi.py [--bin target/release/gongjiang] [--learners 10000]
                          [--single 5000] [--batched 100000] [--connections 1]

A fresh SQLite file: one training provider, LEARNERS persons enrolled in one online programme
with their platform accounts, the provider's API token. Every statement is an `attended` with
`result.duration` PT30M about that programme by one of the learners, so each one is checked,
matched to its enrolment and credits 30 minutes (the LRS's whole write path). Then the import
path: a file giving each learner's hours, timed from process start to exit.
"""

import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid

PROVIDER = "52120000MJ0000001A"
HOME = "https://learn.bench.example.cn"
PROGRAMME = "XB-BENCH"
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def id_number(i):
    """A valid identity number (GB 11643 check character) for learner i."""
    day = 1 + i % 28
    month = 1 + (i // 28) % 12
    year = 1970 + (i // 336) % 30
    seq = (i // 10080) % 1000
    body = f"120101{year:04d}{month:02d}{day:02d}{seq:03d}"
    return body + CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def learner(i):
    return f"stu{i:06d}"


def statement(i):
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "account": {"homePage": HOME, "name": learner(i)}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-US": "attended"}},
        "object": {"objectType": "Activity", "id": f"https://gongjiang.example/programmes/{PROGRAMME}"},
        "result": {"duration": "PT30M"},
        "timestamp": "2026-06-20T10:00:00+08:00",
    }


def post_all(port, token, bodies, connections):
    """POSTs the bodies (each a JSON text) over `connections` keep-alive connections; returns
    the seconds taken. Any answer but 200 stops the run."""
    chunks = [bodies[k::connections] for k in range(connections)]
    errors = []

    def run(chunk):
        c = http.client.HTTPConnection("127.0.0.1", port)
        headers = {
            "Content-Type": "application/json",
            "X-Experience-API-Version": "1.0.3",
            "Authorization": f"Bearer {token}",
        }
        for b in chunk:
            c.request("POST", "/xapi/statements", body=b, headers=headers)
            r = c.getresponse()
            data = r.read()
            if r.status != 200:
                errors.append(f"{r.status} {data[:300]!r}")
                return
        c.close()

    threads = [threading.Thread(target=run, args=(ch,)) for ch in chunks]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - t0
    if errors:
        sys.exit(f"bench_xapi: {errors[0]}")
    return took


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/gongjiang")
    ap.add_argument("--learners", type=int, default=10000)
    ap.add_argument("--single", type=int, default=5000, help="statements sent one per request")
    ap.add_argument("--batched", type=int, default=100000, help="statements sent 100 per request")
    ap.add_argument("--connections", type=int, default=1)
    ap.add_argument("--port", type=int, default=18795)
    ap.add_argument("--keep", help="keep the database in this folder")
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    work = a.keep or tempfile.mkdtemp(prefix="bench-xapi-")
    os.makedirs(work, exist_ok=True)
    db = f"sqlite://{work}/bench.db"
    env = dict(os.environ, GONGJIANG_LOG="error")

    def gj(*args, stdin=None):
        return subprocess.run([binary, "--db", db, *args], input=stdin, capture_output=True, text=True, env=env,
                              check=True).stdout

    def csv(name, text):
        p = os.path.join(work, name)
        with open(p, "w", encoding="utf-8") as f:
            f.write(text)
        return p

    n = a.learners
    gj("import", "orgs", csv("orgs.csv", f"uscc,name,kind,district\n{PROVIDER},基准培训学校,培训机构,河西区\n"))
    gj("import", "persons", csv("persons.csv", "id_number,name,district\n" +
                                "".join(f"{id_number(i)},学员{i},和平区\n" for i in range(n))))
    gj("import", "programmes", csv("programmes.csv",
       "code,provider_uscc,name,occupation,level,mode,hours,starts_on,ends_on,capacity,platform_url\n"
       f"{PROGRAMME},{PROVIDER},数控车工线上班,6-18-01-01,高级工,online,72,2026-01-01,2030-12-31,{n},{HOME}\n"))
    gj("import", "enrolments", csv("enrolments.csv", "programme_code,id_number,learner_id,enrolled_on\n" +
                                   "".join(f"{PROGRAMME},{id_number(i)},{learner(i)},2026-01-05\n" for i in range(n))))
    pw = "a-long-Passw0rd-for-bench\n"
    gj("user", "add", "admin", "--display-name", "管理员", "--role", "city-admin", "--password-stdin", stdin=pw)
    role = f"training-provider:{PROVIDER}"
    gj("user", "add", "lms", "--display-name", "学习平台", "--role", role, "--by", "admin", "--password-stdin", stdin=pw)
    token = gj("token", "create", "--user", "lms", "--name", "bench", "--role", role, "--by", "admin").strip().split("\n")[-1]

    server = subprocess.Popen([binary, "--db", db, "serve", "--addr", f"127.0.0.1:{a.port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        for _ in range(100):
            try:
                c = http.client.HTTPConnection("127.0.0.1", a.port, timeout=2)
                c.request("GET", "/xapi/about")
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        results = {}
        single = [json.dumps(statement(i % n)) for i in range(a.single)]
        took = post_all(a.port, token, single, a.connections)
        results["batch_1"] = {"statements": a.single, "seconds": round(took, 3), "per_second": round(a.single / took)}
        batches = [json.dumps([statement((k * 100 + j) % n) for j in range(100)]) for k in range(a.batched // 100)]
        took = post_all(a.port, token, batches, a.connections)
        count = len(batches) * 100
        results["batch_100"] = {"statements": count, "seconds": round(took, 3), "per_second": round(count / took)}
    finally:
        server.terminate()
        server.wait()

    # The import path: every learner's hours in one file (each row updates an enrolment).
    hours = csv("hours.csv", "programme_code,id_number,learner_id,enrolled_on,hours\n" +
                "".join(f"{PROGRAMME},{id_number(i)},{learner(i)},2026-01-05,12.5\n" for i in range(n)))
    t0 = time.perf_counter()
    gj("import", "enrolments", hours)
    took = time.perf_counter() - t0
    results["import_rows"] = {"rows": n, "seconds": round(took, 3), "per_second": round(n / took)}
    results["db_bytes"] = sum(os.path.getsize(os.path.join(work, f)) for f in os.listdir(work) if f.startswith("bench.db"))
    results["connections"] = a.connections
    print(json.dumps(results, indent=2))
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
