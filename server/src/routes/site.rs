//! The built site (wasm, JS, CSS, icons) that `cargo leptos build` writes to
//! target/site: embedded in the binary, so `frontdesk` alone serves a working app.
//! `FRONTDESK_SITE_ROOT` reads a folder instead (development).
//!
//! Leptos asks for `/pkg/{output_name}.{js,wasm}`; the output name we give it carries
//! the bundle's version (`frontdesk.<hash>`), so those URLs change with every build
//! and are cached for good (`immutable`). Other files get an ETag and are revalidated.
//! Names are not hashed on disk because Leptos would then read its hash file from
//! beside the executable at run time, and the binary would no longer stand alone.

use std::collections::HashMap;
use std::path::Path;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;
use sha2::{Digest, Sha256};

/// The site as it was when this binary was built; `cargo leptos build --precompress`
/// writes the `.br` and `.gz` variants before it builds the server.
#[derive(rust_embed::Embed)]
#[folder = "$CARGO_MANIFEST_DIR/../target/site"]
#[allow_missing = true]
struct Embedded;

/// Every file of the site in memory, with its compressed variants.
#[derive(Debug, Default)]
pub struct Site {
    files: HashMap<String, Asset>,
    /// Short hash of the pkg files: part of their URLs.
    version: String,
    output_name: String,
}

#[derive(Debug)]
struct Asset {
    body: Bytes,
    brotli: Option<Bytes>,
    gzip: Option<Bytes>,
    content_type: HeaderValue,
    etag: HeaderValue,
}

#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error("cannot read the site at FRONTDESK_SITE_ROOT={root}: {source}")]
    Read {
        root: String,
        source: std::io::Error,
    },
    #[error(
        "the site has no pkg/{0}.wasm (built without `cargo leptos build`?): set \
         FRONTDESK_SITE_ROOT to a built site, or rebuild"
    )]
    Incomplete(String),
}

impl Site {
    /// The embedded site, or the folder `root` when given.
    pub fn load(root: Option<&str>, output_name: &str) -> Result<Self, SiteError> {
        let raw = match root {
            None => Embedded::iter()
                .filter_map(|name| {
                    let file = Embedded::get(&name)?;
                    Some((name.into_owned(), bytes_of(file.data)))
                })
                .collect(),
            Some(root) => read_dir(Path::new(root)).map_err(|source| SiteError::Read {
                root: root.to_string(),
                source,
            })?,
        };
        let site = Self::from_files(raw, output_name);
        if !site.files.contains_key(&format!("pkg/{output_name}.wasm")) {
            return Err(SiteError::Incomplete(output_name.to_string()));
        }
        Ok(site)
    }

    fn from_files(mut raw: HashMap<String, Bytes>, output_name: &str) -> Self {
        let mut names: Vec<String> = raw
            .keys()
            .filter(|name| !name.ends_with(".br") && !name.ends_with(".gz"))
            // wasm-bindgen's TypeScript declarations: for tools, not for browsers.
            .filter(|name| !name.ends_with(".d.ts"))
            .cloned()
            .collect();
        names.sort();
        let mut bundle = Sha256::new();
        let mut files = HashMap::new();
        for name in names {
            let Some(body) = raw.remove(&name) else {
                continue;
            };
            let digest = Sha256::digest(&body);
            if name.starts_with("pkg/") {
                bundle.update(name.as_bytes());
                bundle.update(digest);
            }
            let asset = Asset {
                brotli: raw.remove(&format!("{name}.br")),
                gzip: raw.remove(&format!("{name}.gz")),
                content_type: content_type(&name),
                etag: HeaderValue::from_str(&format!("\"{}\"", hex::encode(&digest[..16])))
                    .unwrap_or(HeaderValue::from_static("\"0\"")),
                body,
            };
            files.insert(name, asset);
        }
        let version = hex::encode(&bundle.finalize()[..6]);
        Self {
            files,
            version,
            output_name: output_name.to_string(),
        }
    }

    /// The name Leptos puts into `/pkg/{name}.js` and `.wasm`: versioned.
    pub fn versioned_output_name(&self) -> String {
        format!("{}.{}", self.output_name, self.version)
    }

    /// The response for `path` (without its leading `/`), if it names a file.
    pub fn respond(&self, method: &Method, path: &str, headers: &HeaderMap) -> Option<Response> {
        if method != Method::GET && method != Method::HEAD {
            return None;
        }
        let (asset, immutable) = self.find(path)?;
        Some(asset.response(method, headers, immutable))
    }

    fn find(&self, path: &str) -> Option<(&Asset, bool)> {
        // `pkg/frontdesk.<version>.js` is `pkg/frontdesk.js` of this version only: an
        // old version's URL answers 404 rather than today's file under yesterday's name.
        let versioned = format!("pkg/{}.", self.versioned_output_name());
        if let Some(extension) = path.strip_prefix(&versioned) {
            let name = format!("pkg/{}.{extension}", self.output_name);
            return self.files.get(&name).map(|asset| (asset, true));
        }
        self.files.get(path).map(|asset| (asset, false))
    }
}

impl Asset {
    fn response(&self, method: &Method, headers: &HeaderMap, immutable: bool) -> Response {
        let cache = if immutable {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        let mut response = Response::builder()
            .header(header::CONTENT_TYPE, self.content_type.clone())
            .header(header::ETAG, self.etag.clone())
            .header(header::CACHE_CONTROL, cache)
            .header(header::VARY, "accept-encoding");
        let fresh = headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|tags| tags.split(',').any(|t| t.trim() == self.etag));
        if fresh {
            return response
                .status(StatusCode::NOT_MODIFIED)
                .body(Body::empty())
                .unwrap_or_default();
        }
        let (body, encoding) = self.encoded_for(headers);
        if let Some(encoding) = encoding {
            response = response.header(header::CONTENT_ENCODING, encoding);
        }
        response = response.header(header::CONTENT_LENGTH, body.len());
        let body = if method == Method::HEAD {
            Body::empty()
        } else {
            Body::from(body)
        };
        response.body(body).unwrap_or_default()
    }

    /// The smallest variant the client accepts.
    fn encoded_for(&self, headers: &HeaderMap) -> (Bytes, Option<&'static str>) {
        let accepted = headers
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let accepts = |coding: &str| {
            accepted.split(',').any(|part| {
                let mut pieces = part.split(';');
                let name = pieces.next().unwrap_or("").trim();
                let refused = pieces.any(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                        == Some(0.0)
                });
                name.eq_ignore_ascii_case(coding) && !refused
            })
        };
        match (&self.brotli, &self.gzip) {
            (Some(br), _) if accepts("br") => (br.clone(), Some("br")),
            (_, Some(gz)) if accepts("gzip") => (gz.clone(), Some("gzip")),
            _ => (self.body.clone(), None),
        }
    }
}

fn bytes_of(data: std::borrow::Cow<'static, [u8]>) -> Bytes {
    match data {
        std::borrow::Cow::Borrowed(slice) => Bytes::from_static(slice),
        std::borrow::Cow::Owned(vec) => Bytes::from(vec),
    }
}

fn content_type(name: &str) -> HeaderValue {
    let mime = mime_guess::from_path(name).first_or_octet_stream();
    let text = if mime.type_() == mime_guess::mime::TEXT
        || mime.subtype() == mime_guess::mime::JAVASCRIPT
    {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    };
    HeaderValue::from_str(&text).unwrap_or(HeaderValue::from_static("application/octet-stream"))
}

/// Every file below `root`, keyed by its path relative to it with `/` separators.
fn read_dir(root: &Path) -> std::io::Result<HashMap<String, Bytes>> {
    let mut files = HashMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(relative) = path.strip_prefix(root) {
                let name = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                files.insert(name, Bytes::from(std::fs::read(&path)?));
            }
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Site {
        let files = [
            ("pkg/frontdesk.wasm", &b"wasm"[..]),
            ("pkg/frontdesk.wasm.br", b"w-br"),
            ("pkg/frontdesk.wasm.gz", b"w-gz"),
            ("pkg/frontdesk.js", b"js"),
            ("favicon.svg", b"<svg/>"),
        ];
        Site::from_files(
            files
                .into_iter()
                .map(|(n, b)| (n.to_string(), Bytes::from_static(b)))
                .collect(),
            "frontdesk",
        )
    }

    fn get(site: &Site, path: &str, headers: &[(&'static str, &'static str)]) -> Option<Response> {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, HeaderValue::from_static(value));
        }
        site.respond(&Method::GET, path, &map)
    }

    #[test]
    fn versioned_pkg_urls_are_immutable_and_an_old_version_is_not_found() {
        let site = site();
        let name = site.versioned_output_name();
        let response = get(&site, &format!("pkg/{name}.wasm"), &[]).expect("served");
        assert_eq!(
            response.headers()[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/wasm");
        assert!(get(&site, "pkg/frontdesk.000000000000.wasm", &[]).is_none());
        let plain = get(&site, "favicon.svg", &[]).expect("served");
        assert_eq!(plain.headers()[header::CACHE_CONTROL], "no-cache");
        assert_eq!(plain.headers()[header::CONTENT_TYPE], "image/svg+xml");
    }

    #[test]
    fn brotli_is_preferred_then_gzip_and_a_refused_coding_is_not_sent() {
        let site = site();
        let path = format!("pkg/{}.wasm", site.versioned_output_name());
        let encoding = |headers| {
            get(&site, &path, headers)
                .and_then(|r| r.headers().get(header::CONTENT_ENCODING).cloned())
        };
        assert_eq!(
            encoding(&[("accept-encoding", "gzip, deflate, br")]).unwrap(),
            "br"
        );
        assert_eq!(
            encoding(&[("accept-encoding", "gzip, br;q=0")]).unwrap(),
            "gzip"
        );
        assert_eq!(encoding(&[]), None);
    }

    #[test]
    fn a_matching_etag_answers_not_modified() {
        let site = site();
        let etag = get(&site, "favicon.svg", &[]).unwrap().headers()[header::ETAG].clone();
        let mut headers = HeaderMap::new();
        headers.insert(header::IF_NONE_MATCH, etag);
        let response = site.respond(&Method::GET, "favicon.svg", &headers).unwrap();
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    }

    #[test]
    fn the_version_changes_with_the_bundle_and_not_with_other_files() {
        let a = site();
        let mut files: HashMap<String, Bytes> =
            [("pkg/frontdesk.wasm", "other"), ("favicon.svg", "x")]
                .into_iter()
                .map(|(n, b)| (n.to_string(), Bytes::from_static(b.as_bytes())))
                .collect();
        let b = Site::from_files(files.clone(), "frontdesk");
        assert_ne!(a.versioned_output_name(), b.versioned_output_name());
        files.insert("favicon.svg".into(), Bytes::from_static(b"y"));
        let c = Site::from_files(files, "frontdesk");
        assert_eq!(b.versioned_output_name(), c.versioned_output_name());
    }
}
