//! `/api/v1/certificates`: public verification by number and holder name (masked facts only,
//! rate-limited), and the certificate PDF for token holders.

pub mod pdf;
pub mod verify;
