//! RFC 8785 JSON Canonicalization Scheme, the transformation of `eddsa-jcs-2022`.

use serde_json::Value;

pub(crate) fn canonicalize(value: &Value) -> Result<String, String> {
    serde_json_canonicalizer::to_string(value).map_err(|e| e.to_string())
}
