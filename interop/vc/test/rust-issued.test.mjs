// The referee checks credentials issued by gongjiang's Rust crate
// (`cargo run -p gongjiang-credentials --example issue_sample -- OUTDIR`).
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {makeLoader, verifyOne} from '../lib/referee.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
let out;
let documentLoader;
const read = name => JSON.parse(readFileSync(join(out, name), 'utf8'));

before(() => {
  out = mkdtempSync(join(tmpdir(), 'gongjiang-vc-'));
  execFileSync('cargo', [
    'run', '--quiet', '-p', 'gongjiang-credentials', '--example', 'issue_sample', '--', out
  ], {cwd: repo, stdio: ['ignore', 'inherit', 'inherit']});
  const statusList = read('status-list.json');
  documentLoader = makeLoader(new Map([[statusList.id, statusList]]));
});

after(() => rmSync(out, {recursive: true, force: true}));

for(const suite of ['jcs', 'rdfc']) {
  test(`a valid ${suite} certificate verifies and is not revoked`, async () => {
    const result = await verifyOne(read(`ok-${suite}.json`), {documentLoader});
    assert.deepEqual(result.errors, []);
    assert.equal(result.verified, true);
    assert.equal(result.cryptosuite, `eddsa-${suite}-2022`);
    assert.equal(result.statusChecked, true);
    assert.equal(result.revoked, false);
    assert.equal(result.valid, true);
  });

  test(`a revoked ${suite} certificate verifies but shows revoked`, async () => {
    const result = await verifyOne(read(`revoked-${suite}.json`), {documentLoader});
    assert.equal(result.verified, true);
    assert.equal(result.statusChecked, true);
    assert.equal(result.revoked, true);
    assert.equal(result.valid, false);
  });

  test(`a tampered ${suite} certificate fails`, async () => {
    const result = await verifyOne(read(`tampered-${suite}.json`), {documentLoader});
    assert.equal(result.verified, false);
    assert.equal(result.valid, false);
  });
}

test('without its status list the status check fails rather than passing silently', async () => {
  const result = await verifyOne(read('ok-jcs.json'), {documentLoader: makeLoader()});
  assert.equal(result.verified, false);
});

test('verify.mjs exits non-zero when any credential fails', () => {
  const args = ['verify.mjs', join(out, 'ok-rdfc.json'), join(out, 'revoked-jcs.json'),
    '--status-list', join(out, 'status-list.json')];
  let code = 0;
  let stdout = '';
  try {
    stdout = execFileSync('node', args, {cwd: join(repo, 'interop', 'vc'), encoding: 'utf8'});
  } catch(e) {
    code = e.status;
    stdout = e.stdout;
  }
  assert.equal(code, 1);
  const lines = stdout.trim().split('\n').map(l => JSON.parse(l));
  assert.equal(lines[0].valid, true);
  assert.equal(lines[1].revoked, true);
});

test('a certificate issued as did:web verifies against the handed-in DID document', async () => {
  const didDocument = read('did-web.json');
  const loader = makeLoader(new Map([[didDocument.id, didDocument]]));
  const credential = read('didweb-rdfc.json');
  assert.equal(credential.issuer.id, 'did:web:certs.example.tj.cn');
  const result = await verifyOne(credential, {documentLoader: loader});
  assert.deepEqual(result.errors, []);
  assert.equal(result.valid, true);
  const without = await verifyOne(credential, {documentLoader: makeLoader()});
  assert.equal(without.verified, false);
});
