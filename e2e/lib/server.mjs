// Starts the gongjiang binary on a loopback port over a fresh SQLite database holding a small
// demo city (with its demo evaluation sessions and certificates), and creates one user per role.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '..');
export const work = join(root, 'work');
export const screenshots = join(root, 'screenshots');
export const PASSWORD = 'E2e-Strong-pass-2026';

/** The binary cargo test built (GONGJIANG_BIN overrides). */
export function binary() {
  const bin = process.env.GONGJIANG_BIN || resolve(root, '..', 'target', 'debug', 'gongjiang');
  if (!existsSync(bin)) {
    throw new Error(`${bin} is missing: build it first (cargo build -p gongjiang, or cargo test)`);
  }
  return bin;
}

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.unref();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/** Runs the CLI; throws with its output when it fails. */
function cli(globals, args, input) {
  const r = spawnSync(binary(), [...globals, ...args], { input, encoding: 'utf8', cwd: work });
  if (r.status !== 0) {
    throw new Error(`gongjiang ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

/** Rows of a CSV the CLI wrote (UTF-8 with BOM, no quoted commas in these exports). */
function csv(path) {
  const lines = readFileSync(path, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter(Boolean);
  const head = lines.shift().split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [head[i], v])));
}

/** The demo's evaluation institution numbers its certificates from this prefix. */
export const DEMO_CERT_PREFIX = 'S000012000888';

export async function start({ persons = 1500 } = {}) {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  mkdirSync(screenshots, { recursive: true });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const globals = ['--db', `sqlite://${join(work, 'e2e.db')}`, '--public-url', base];
  cli(globals, ['demo', '--persons', String(persons), '--seed', '7']);

  // Who holds a certificate of the demo sessions, and where they work.
  cli(globals, ['export', 'levels', join(work, 'levels.csv'), '--headers', 'en']);
  cli(globals, ['export', 'persons', join(work, 'persons.csv'), '--headers', 'en']);
  cli(globals, ['export', 'orgs', join(work, 'orgs.csv'), '--headers', 'en']);
  const levels = csv(join(work, 'levels.csv'));
  const people = new Map(csv(join(work, 'persons.csv')).map((p) => [p.id_number, p]));
  const certified = levels.filter((l) => (l.certificate_no || '').startsWith(DEMO_CERT_PREFIX));
  const holderRow = certified.find((l) => people.get(l.id_number)?.employer_uscc && people.get(l.id_number)?.district);
  if (!holderRow) throw new Error('the demo issued no certificate to a registered employee');
  const holder = { ...people.get(holderRow.id_number), certificate_no: holderRow.certificate_no, issuer: holderRow.issuer_uscc };
  const stranger = [...people.values()].find((p) => p.employer_uscc && p.employer_uscc !== holder.employer_uscc
    && p.district && p.district !== holder.district);

  const users = {
    admin: { role: 'city-admin' },
    district: { role: `district-admin:${holder.district}` },
    hr: { role: `enterprise-hr:${holder.employer_uscc}` },
    institution: { role: `evaluation-institution:${holder.issuer}` },
    worker: { role: `worker:${holder.id_number}` },
  };
  for (const [name, u] of Object.entries(users)) {
    const by = name === 'admin' ? [] : ['--by', 'admin'];
    cli(globals, ['user', 'add', name, '--display-name', name, '--role', u.role, ...by, '--password-stdin'], `${PASSWORD}\n`);
  }

  const log = [];
  const child = spawn(binary(), [...globals, 'serve', '--addr', `127.0.0.1:${port}`], {
    cwd: work,
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG || 'warn' },
  });
  child.stdout.on('data', (d) => log.push(String(d)));
  child.stderr.on('data', (d) => log.push(String(d)));
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`${base}/api/v1/health`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (child.exitCode !== null) throw new Error(`the server exited:\n${log.join('')}`);
    await new Promise((ok) => setTimeout(ok, 200));
  }
  return {
    base,
    /** Runs the CLI on the server's database (stdout, or throws with the output). */
    run: (args, input) => cli(globals, args, input),
    holder,
    stranger,
    users,
    log,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((ok) => (child.exitCode !== null ? ok() : child.once('exit', ok)));
    },
  };
}
