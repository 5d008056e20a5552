//! Static files compiled into the binary and served under `/static/`: the vendored htmx and
//! ECharts (`static/vendor/VENDOR.md`) and our own stylesheet and script. Every URL carries a
//! version (in the file name for vendored files, `?v=` of the content hash for ours), so each is
//! cached for a year and never revalidated.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub struct Asset {
    pub name: &'static str,
    pub content_type: &'static str,
    pub bytes: &'static [u8],
}

pub const HTMX: &str = "vendor/htmx-2.0.11.min.js";
pub const ECHARTS: &str = "vendor/echarts-6.1.0.common.min.js";

pub static ASSETS: &[Asset] = &[
    Asset {
        name: HTMX,
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../static/vendor/htmx-2.0.11.min.js"),
    },
    Asset {
        name: ECHARTS,
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../static/vendor/echarts-6.1.0.common.min.js"),
    },
    Asset { name: "app.css", content_type: "text/css; charset=utf-8", bytes: include_bytes!("../../static/app.css") },
    Asset {
        name: "app.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../static/app.js"),
    },
    Asset { name: "favicon.svg", content_type: "image/svg+xml", bytes: include_bytes!("../../static/favicon.svg") },
];

/// FNV-1a of the file: a version for the URL and the ETag, stable for one build.
fn fingerprint(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:012x}", h & 0xffff_ffff_ffff)
}

static VERSIONS: LazyLock<Vec<(&'static str, String)>> =
    LazyLock::new(|| ASSETS.iter().map(|a| (a.name, fingerprint(a.bytes))).collect());

/// The URL of an asset, with its version.
pub fn url(name: &str) -> String {
    match VERSIONS.iter().find(|(n, _)| *n == name) {
        Some((n, v)) => format!("/static/{n}?v={v}"),
        None => format!("/static/{name}"),
    }
}

/// `GET /static/{*name}`.
pub async fn serve(Path(name): Path<String>, headers: HeaderMap) -> Response {
    let Some((asset, version)) =
        ASSETS.iter().zip(VERSIONS.iter()).find(|(a, _)| a.name == name).map(|(a, (_, v))| (a, v))
    else {
        return (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "not found")
            .into_response();
    };
    let etag = format!("\"{version}\"");
    let cache = [
        (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable")),
        (header::ETAG, HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"0\""))),
    ];
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return (StatusCode::NOT_MODIFIED, cache).into_response();
    }
    (cache, [(header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type))], asset.bytes).into_response()
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    use super::*;

    /// Each vendored file is the one VENDOR.md names, byte for byte.
    #[test]
    fn vendored_files_match_their_recorded_checksums() {
        let table = include_str!("../../static/vendor/VENDOR.md");
        for a in ASSETS.iter().filter(|a| a.name.starts_with("vendor/")) {
            let file = a.name.trim_start_matches("vendor/");
            let line = table
                .lines()
                .find(|l| l.starts_with(&format!("| `{file}`")))
                .unwrap_or_else(|| panic!("{file} is not listed in VENDOR.md"));
            let digest = Sha256::digest(a.bytes);
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            assert!(line.contains(&hex), "{file}: SHA-256 {hex} is not the one VENDOR.md records");
        }
    }

    #[test]
    fn urls_carry_a_version() {
        assert!(url("app.css").starts_with("/static/app.css?v="));
        assert_eq!(url(HTMX).split("?v=").count(), 2);
    }
}
