//! The built site is inside the binary: served with its type, versioned URLs cached
//! for good, compressed variants when the browser takes them.

use std::io::Read;

use crate::helpers::{spawn_app, SITE_ROOT};

/// The `/pkg/...` URLs a page links, in the order js, wasm, css.
fn bundle_urls(html: &str) -> Vec<String> {
    let mut urls: Vec<String> = html
        .split('"')
        .filter(|part| part.starts_with("/pkg/frontdesk."))
        .map(str::to_string)
        .collect();
    urls.sort();
    urls.dedup();
    urls
}

#[tokio::test]
async fn pages_link_a_versioned_bundle_that_is_served_from_the_binary() {
    let app = spawn_app().await;
    let html = app.get("/").await.text().await.unwrap();
    let urls = bundle_urls(&html);
    let ends: Vec<&str> = urls.iter().map(|u| u.rsplit('.').next().unwrap()).collect();
    assert_eq!(ends, ["css", "js", "wasm"], "{urls:?}");
    for (url, content_type, file) in [
        (&urls[0], "text/css; charset=utf-8", "frontdesk.css"),
        (&urls[1], "text/javascript; charset=utf-8", "frontdesk.js"),
        (&urls[2], "application/wasm", "frontdesk.wasm"),
    ] {
        assert!(
            url.len() > "/pkg/frontdesk..css".len() + 8,
            "versioned: {url}"
        );
        let response = app
            .client
            .get(format!("{}{url}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{url}");
        assert_eq!(response.headers()["content-type"], content_type, "{url}");
        assert_eq!(
            response.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        let body = response.bytes().await.unwrap();
        let built = std::fs::read(SITE_ROOT.join("pkg").join(file)).unwrap();
        assert!(body[..] == built[..], "{url} is the built {file}");
    }
}

#[tokio::test]
async fn the_bundle_comes_brotli_or_gzip_compressed_when_accepted_and_revalidates_by_etag() {
    let app = spawn_app().await;
    let html = app.get("/").await.text().await.unwrap();
    let wasm = bundle_urls(&html).pop().unwrap();
    let built = std::fs::read(SITE_ROOT.join("pkg/frontdesk.wasm")).unwrap();
    let get = |encoding: &'static str| {
        app.client
            .get(format!("{}{wasm}", app.address))
            .header("accept-encoding", encoding)
            .send()
    };

    let br = get("gzip, deflate, br").await.unwrap();
    assert_eq!(br.headers()["content-encoding"], "br");
    assert_eq!(br.headers()["vary"], "accept-encoding");
    let body = br.bytes().await.unwrap();
    assert!(
        body.len() * 2 < built.len(),
        "compressed: {} of {}",
        body.len(),
        built.len()
    );
    let mut decoded = Vec::new();
    brotli::Decompressor::new(&body[..], 4096)
        .read_to_end(&mut decoded)
        .unwrap();
    assert!(decoded == built);

    let gz = get("gzip").await.unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&gz.bytes().await.unwrap()[..])
        .read_to_end(&mut decoded)
        .unwrap();
    assert!(decoded == built);

    let favicon = app.get("/favicon.svg").await;
    assert_eq!(favicon.headers()["content-type"], "image/svg+xml");
    assert_eq!(favicon.headers()["cache-control"], "no-cache");
    let etag = favicon.headers()["etag"].clone();
    let again = app
        .client
        .get(format!("{}/favicon.svg", app.address))
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
}

#[tokio::test]
async fn an_old_bundle_version_is_not_found_rather_than_served_under_its_name() {
    let app = spawn_app().await;
    let response = app.get("/pkg/frontdesk.000000000000.wasm").await;
    assert_eq!(response.status(), 404);
    let unversioned = app.get("/pkg/frontdesk.wasm").await;
    assert_eq!(
        unversioned.status(),
        200,
        "the build's own name still works (tools, curl)"
    );
}
