use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }

    view! {
        <Title text="Page not found"/>
        <section class="empty-state">
            <p class="empty-code" aria-hidden="true">"404"</p>
            <h1>"We could not find that page"</h1>
            <p>"The address may be mistyped, or the page has moved."</p>
            <a class="button" href="/">"Back to the start"</a>
        </section>
    }
}
