use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use super::{export, hosts, locations, visits};
use crate::routes::live;

#[derive(OpenApi)]
#[openapi(
    info(title = "Frontdesk API", version = "1", description = "Visitor management: locations, hosts and visits."),
    paths(
        locations::list, locations::create, locations::update,
        hosts::list, hosts::create, hosts::get, hosts::update,
        visits::check_in, visits::check_out, visits::list, visits::get,
        export::visits_csv,
        live::events,
    ),
    // Schemas used only in query parameters are not collected from the paths.
    components(schemas(visits::StatusFilter, super::error::ErrorBody)),
    modifiers(&BearerAuth, &CommonResponses),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// The answers any operation may give, written once: every refusal has the one
/// error shape (`ErrorBody`).
struct CommonResponses;

fn error(description: &str) -> RefOr<Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                Content::new(Some(Ref::from_schema_name("ErrorBody"))),
            )
            .build(),
    )
}

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.post,
                &mut item.patch,
                &mut item.put,
                &mut item.delete,
            ];
            for operation in operations.into_iter().flatten() {
                let has_body = operation.request_body.is_some();
                let has_input =
                    has_body || operation.parameters.as_ref().is_some_and(|p| !p.is_empty());
                let mut add = |status: &str, description: &str| {
                    operation
                        .responses
                        .responses
                        .entry(status.to_string())
                        .or_insert_with(|| error(description));
                };
                add(
                    "400",
                    "The request is malformed: its query, path or JSON body cannot be read.",
                );
                add(
                    "401",
                    "Not logged in, and no valid API token (`Authorization: Bearer <token>`).",
                );
                add(
                    "403",
                    "Not allowed for this caller, or sent by a page of another site.",
                );
                add("408", "The request did not arrive in time.");
                add("500", "Unexpected error; it has been logged.");
                if has_input {
                    add("422", "A value is not acceptable; `field` names it.");
                }
                if has_body {
                    add("413", "The body is larger than 64 KiB.");
                    add("415", "The body is not sent as `application/json`.");
                }
            }
        }
    }
}

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
