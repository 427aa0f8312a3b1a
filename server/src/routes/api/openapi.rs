use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{export, hosts, locations, visits};

#[derive(OpenApi)]
#[openapi(
    info(title = "Frontdesk API", version = "1", description = "Visitor management: locations, hosts and visits."),
    paths(
        locations::list, locations::create, locations::update,
        hosts::list, hosts::create, hosts::get, hosts::update,
        visits::check_in, visits::check_out, visits::list, visits::get,
        export::visits_csv,
    ),
    // Schemas used only in query parameters are not collected from the paths.
    components(schemas(visits::StatusFilter)),
    modifiers(&BearerAuth),
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

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
