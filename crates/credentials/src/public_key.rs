//! The public half of an issuer key, shared by the keyring (`keys`) and the DID documents
//! (`did`).

use ed25519_dalek::VerifyingKey;

use crate::multikey;

/// The public half of an issuer key: enough to verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(pub(crate) VerifyingKey);

impl PublicKey {
    pub fn from_multibase(text: &str) -> Option<PublicKey> {
        multikey::decode_public(text).map(PublicKey)
    }

    /// `z6Mk…`
    pub fn multibase(&self) -> String {
        multikey::encode_public(&self.0)
    }

    /// `did:key:z6Mk…`
    pub fn did_key(&self) -> String {
        format!("did:key:{}", self.multibase())
    }

    /// `did:key:z6Mk…#z6Mk…`
    pub fn verification_method(&self) -> String {
        let id = self.multibase();
        format!("did:key:{id}#{id}")
    }
}
