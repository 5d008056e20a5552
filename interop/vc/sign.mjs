#!/usr/bin/env node
// Signs a sample Open Badges 3.0 credential with Digital Bazaar's libraries, so that
// gongjiang's Rust verifier can be tested against credentials it did not make.
//   node sign.mjs --suite jcs|rdfc --out DIR
// Writes DIR/node-<suite>.json, DIR/node-<suite>-tampered.json (level changed after signing)
// and DIR/node-<suite>-key.json (the public key and its did:key).
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {Ed25519Multikey, makeLoader, signer, vc} from './lib/referee.js';

const args = process.argv.slice(2);
const option = name => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const suiteName = option('--suite');
const out = option('--out');
if(!['jcs', 'rdfc'].includes(suiteName) || !out) {
  console.error('usage: sign.mjs --suite jcs|rdfc --out DIR');
  process.exit(2);
}
mkdirSync(out, {recursive: true});

const keyPair = await Ed25519Multikey.generate();
const did = `did:key:${keyPair.publicKeyMultibase}`;
keyPair.controller = did;
keyPair.id = `${did}#${keyPair.publicKeyMultibase}`;

function sampleCredential(issuer) {
  return {
    '@context': [
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'
    ],
    id: 'urn:uuid:0190f000-0000-7000-8000-00000000beef',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: '职业技能等级证书',
    issuer: {id: issuer, type: ['Profile'], name: '参照签发机构 (referee)'},
    validFrom: '2026-05-20T00:00:00Z',
    credentialSubject: {
      type: ['AchievementSubject'],
      licenseNumber: 'S000012000100263000099',
      identifier: [{type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: '李四'}],
      achievement: {
        id: 'urn:gongjiang:achievement:6-31-01-03:--:three',
        type: ['Achievement'],
        achievementType: 'Certificate',
        name: '电工（三级/高级工）',
        criteria: {narrative: '通过职业技能等级认定'},
        tag: ['职业技能等级证书', '三级/高级工']
      }
    }
  };
}

const signed = await vc.issue({
  credential: sampleCredential(did),
  suite: await signer(suiteName, keyPair),
  documentLoader: makeLoader()
});
const tampered = structuredClone(signed);
tampered.credentialSubject.achievement.tag[1] = '二级/技师';
const write = (name, value) => writeFileSync(join(out, name), JSON.stringify(value, null, 2) + '\n');
write(`node-${suiteName}.json`, signed);
write(`node-${suiteName}-tampered.json`, tampered);
write(`node-${suiteName}-key.json`, {
  did, verificationMethod: keyPair.id, publicKeyMultibase: keyPair.publicKeyMultibase
});
console.log(JSON.stringify({suite: suiteName, did, out}));
