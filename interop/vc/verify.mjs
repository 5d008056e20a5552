#!/usr/bin/env node
// Verifies credentials with Digital Bazaar's libraries, offline.
//   node verify.mjs CREDENTIAL.json… [--status-list LIST.json]… [--did-web DIDDOC.json]…
// Prints one JSON line per file; exits 1 if any credential fails or is revoked.
import {readFileSync} from 'node:fs';
import {makeLoader, verifyOne} from './lib/referee.js';

const files = [];
const documents = new Map();
const args = process.argv.slice(2);
for(let i = 0; i < args.length; i++) {
  if(args[i] === '--status-list' || args[i] === '--did-web') {
    const doc = JSON.parse(readFileSync(args[++i], 'utf8'));
    documents.set(doc.id, doc);
  } else {
    files.push(args[i]);
  }
}
if(files.length === 0) {
  console.error('usage: verify.mjs CREDENTIAL.json… [--status-list LIST.json] [--did-web DIDDOC.json]');
  process.exit(2);
}
const documentLoader = makeLoader(documents);
let failed = false;
for(const file of files) {
  const credential = JSON.parse(readFileSync(file, 'utf8'));
  const result = await verifyOne(credential, {documentLoader});
  failed ||= !result.valid;
  console.log(JSON.stringify({file, ...result}));
}
process.exit(failed ? 1 : 0);
