use serde_json::Value;

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_openapi_document_describes_routes_that_exist() {
    let app = spawn_app().await;

    let response = app.get("/api/v1/openapi.json").await;

    assert_eq!(response.status(), 200);
    let doc: Value = response.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for expected in [
        "/api/v1/locations",
        "/api/v1/hosts",
        "/api/v1/hosts/{id}",
        "/api/v1/visits",
        "/api/v1/visits/{id}",
        "/api/v1/visits/{id}/checkout",
    ] {
        assert!(paths.contains_key(expected), "{expected} is not documented");
    }
    // Every documented operation is routed: without a token it is refused (401), not 404.
    let mut checked = 0;
    for (path, operations) in paths {
        for method in operations.as_object().unwrap().keys() {
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let url = format!("{}{}", app.address, path.replace("{id}", "1"));
            let status = app
                .client
                .request(method.clone(), &url)
                .send()
                .await
                .unwrap()
                .status();
            assert_eq!(status, 401, "{method} {path}");
            checked += 1;
        }
    }
    assert!(checked >= 11, "only {checked} operations documented");
    // Every referenced schema is defined.
    let text = doc.to_string();
    for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap();
        assert!(
            doc["components"]["schemas"].get(name).is_some(),
            "schema {name} is referenced but not defined"
        );
    }
}
