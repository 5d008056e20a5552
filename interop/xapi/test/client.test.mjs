// A real xAPI client pushes learning to gongjiang's LRS: @xapi/xapi (from npm) sends statements
// with a training provider's API token (HTTP Basic) to `gongjiang serve` on a loopback port over
// a fresh SQLite database — several durations, a repeated statement id, a voided statement, a
// completion, a statement about an unknown learner and one about another provider's programme —
// and every enrolment's hours and status, read back with `gongjiang training enrolments`, come
// out as derived by hand. Needs target/debug/gongjiang (built by `cargo test`).

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import XAPI from "@xapi/xapi";

const here = dirname(fileURLToPath(import.meta.url));
const bin = process.env.GONGJIANG_BIN ?? join(here, "../../../target/debug/gongjiang");
const dir = mkdtempSync(join(tmpdir(), "gongjiang-xapi-"));
const db = `sqlite://${join(dir, "lrs.db")}`;
const A = "52120000MJ0000001A";
const B = "52120000MJ0000002D";
const HOME_A = "https://learn.a.example.cn";
const HOME_B = "https://learn.b.example.cn";

function gj(args, input) {
  return execFileSync(bin, ["--db", db, ...args], { input, encoding: "utf8", env: { ...process.env, GONGJIANG_LOG: "error" } });
}

function csv(name, text) {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function statement(id, learner, home, verb, programme, result) {
  return {
    id,
    actor: { objectType: "Agent", account: { homePage: home, name: learner } },
    verb: { id: `http://adlnet.gov/expapi/verbs/${verb}`, display: { "en-US": verb } },
    object: { objectType: "Activity", id: `https://gongjiang.example/programmes/${programme}` },
    result,
  };
}

async function waitFor(url) {
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no answer from ${url}`);
}

test("statements pushed by @xapi/xapi credit hours and completion", { skip: !existsSync(bin) && `no ${bin}` }, async () => {
  gj(["import", "orgs", csv("orgs.csv", `uscc,name,kind,district\n${A},甲培训学校,培训机构,河西区\n${B},乙培训学校,培训机构,南开区\n`)]);
  gj(["import", "persons", csv("persons.csv", "id_number,name,district\n12010119900101101X,张一,和平区\n120102199505052022,李二,河东区\n120103199808083033,王三,河西区\n")]);
  gj(["import", "programmes", csv("programmes.csv",
    "code,provider_uscc,name,occupation,level,mode,hours,starts_on,ends_on,capacity,platform_url\n" +
    `XA-001,${A},数控车工线上班,6-18-01-01,高级工,online,72,2025-01-01,2030-12-31,30,${HOME_A}\n` +
    `XB-001,${B},电工线上班,6-31-01-03,中级工,online,40,2025-01-01,2030-12-31,30,${HOME_B}\n`)]);
  gj(["import", "enrolments", csv("enrolments.csv",
    "programme_code,id_number,learner_id,enrolled_on\n" +
    "XA-001,12010119900101101X,stu0001,2025-01-05\nXA-001,120102199505052022,stu0002,2025-01-05\nXB-001,120103199808083033,stu0003,2025-01-05\n")]);
  const pw = "a-long-Passw0rd-for-tests\n";
  gj(["user", "add", "admin", "--display-name", "管理员", "--role", "city-admin", "--password-stdin"], pw);
  gj(["user", "add", "lms", "--display-name", "学习平台", "--role", `training-provider:${A}`, "--by", "admin", "--password-stdin"], pw);
  const token = gj(["token", "create", "--user", "lms", "--name", "lms", "--role", `training-provider:${A}`, "--by", "admin"]).trim().split("\n").pop();

  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = spawn(bin, ["--db", db, "serve", "--addr", `127.0.0.1:${port}`], { stdio: "ignore" });
  try {
    await waitFor(`http://127.0.0.1:${port}/xapi/about`);
    const xapi = new XAPI({ endpoint: `http://127.0.0.1:${port}/xapi/`, auth: XAPI.toBasicAuth("lms", token), version: "1.0.3" });
    const ids = [1, 2, 3, 4, 5, 6].map((n) => `018f0000-0000-7000-8000-00000000000${n}`);
    await xapi.sendStatements({
      statements: [
        statement(ids[0], "stu0001", HOME_A, "attended", "XA-001", { duration: "PT1H" }),
        statement(ids[1], "stu0001", HOME_A, "progressed", "XA-001", { duration: "PT30M" }),
        statement(ids[2], "stu0002", HOME_A, "attended", "XA-001", { duration: "PT2H" }),
        statement(ids[3], "stu9999", HOME_A, "attended", "XA-001", { duration: "PT3H" }),
        statement(ids[4], "stu0003", HOME_B, "attended", "XB-001", { duration: "PT5H" }),
      ],
    });
    // The same statement again changes nothing.
    await xapi.sendStatement({ statement: statement(ids[0], "stu0001", HOME_A, "attended", "XA-001", { duration: "PT1H" }) });
    // The same id with other content is refused (409).
    await assert.rejects(
      xapi.sendStatement({ statement: statement(ids[0], "stu0001", HOME_A, "attended", "XA-001", { duration: "PT9H" }) }),
      (e) => e?.response?.status === 409,
    );
    // Voiding stu0002's statement takes its two hours back; stu0001 completes.
    await xapi.voidStatement({ actor: { objectType: "Agent", account: { homePage: HOME_A, name: "admin" } }, statementId: ids[2] });
    await xapi.sendStatement({ statement: statement(ids[5], "stu0001", HOME_A, "completed", "XA-001", { completion: true }) });
    const back = await xapi.getStatement({ statementId: ids[0] });
    assert.equal(back.data.id, ids[0]);

    const rows = (code) => JSON.parse(gj(["training", "enrolments", "--programme", code, "--format", "json"])).enrolments
      .map((e) => [e.learner_id, e.hours, e.status]);
    assert.deepEqual(rows("XA-001"), [["stu0001", 1.5, "completed"], ["stu0002", 0, "enrolled"]]);
    assert.deepEqual(rows("XB-001"), [["stu0003", 0, "enrolled"]]);
    const unmatched = JSON.parse(gj(["training", "unmatched", "--provider", A, "--format", "json"])).map((u) => u.reason.en);
    assert.deepEqual(unmatched, [
      "programme XB-001 belongs to another provider",
      "programme XA-001 has no enrolment with learner account stu9999",
    ]);
  } finally {
    server.kill();
  }
});
