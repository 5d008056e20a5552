//! One integration-test binary for the credentials crate.

mod arbitrary_input;
mod dropped;
mod interop;
mod issuer_keys;
mod sample;
mod sign_verify;
mod status_list;
mod vectors;
