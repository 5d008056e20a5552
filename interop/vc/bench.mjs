#!/usr/bin/env node
// Verifications per second by the referee, one Node thread, of the credentials that
// `cargo run --release -p gongjiang-credentials --example bench -- SECONDS DIR` wrote:
//   node bench.mjs DIR [SECONDS]
// Status is not checked here (the Rust figure does not include it either).
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {makeLoader, verifySuites, vc} from './lib/referee.js';

const dir = process.argv[2];
const seconds = Number(process.argv[3] ?? 3);
const documentLoader = makeLoader();
const suite = verifySuites();
for(const tag of ['jcs', 'rdfc']) {
  const signed = JSON.parse(readFileSync(join(dir, `bench-${tag}.json`), 'utf8'));
  const check = async () => {
    const result = await vc.verifyCredential({
      credential: signed, suite, documentLoader, checkStatus: async () => ({verified: true})
    });
    if(!result.verified) {
      throw new Error(`referee did not verify bench-${tag}.json`);
    }
  };
  await check();
  const start = process.hrtime.bigint();
  let count = 0;
  while(Number(process.hrtime.bigint() - start) / 1e9 < seconds) {
    await check();
    count++;
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`| eddsa-${tag}-2022 (referee, Node ${process.version}, 1 thread) | — | ${Math.round(count / elapsed)} |`);
}
