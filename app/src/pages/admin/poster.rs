//! A location's lobby poster: today's check-in link as a big QR code, printable on
//! A4. The code changes every day at the location's midnight, so the poster says
//! the day it is for; the kiosk's welcome screen shows the same code and follows by itself.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::AdminNav;
use crate::components::qr::QrImage;
use crate::error::{FormError, PageError};
use crate::server_fns::arrival::{arrival_poster, RotateArrivalCode};
use crate::types::Poster;

#[component]
pub fn AdminPoster() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || {
        let id = params.read().get("id");
        id.and_then(|v| v.parse::<i32>().ok()).unwrap_or(0)
    };
    let rotated = move || query.read().get("rotated").is_some();
    let poster = Resource::new(id, arrival_poster);
    let rotate = ServerAction::<RotateArrivalCode>::new();
    view! {
        <Title text="Lobby poster"/>
        <div class="no-print">
            <h1>"Lobby poster"</h1>
            <AdminNav/>
            <Show when=rotated>
                <p class="alert alert-ok" role="status" data-testid="code-rotated">
                    "New code made: the old poster and its link stopped working. Print this one."
                </p>
            </Show>
            {move || rotate.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
        </div>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <PageError errors/> }>
                {move || Suspend::new(async move {
                    poster.await.map(|poster| view! { <PosterView poster rotate/> })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn PosterView(poster: Poster, rotate: ServerAction<RotateArrivalCode>) -> impl IntoView {
    let short = poster
        .url
        .split_once("://")
        .map_or(poster.url.clone(), |(_, rest)| rest.to_string());
    view! {
        <div class="no-print">
            <p>
                {format!("Guests scan it to check in on their own phone at {}. Its code works on {}: print a new poster each morning, or let the kiosk's welcome screen show it (it follows by itself).", poster.location_name, poster.valid_on)}
            </p>
            <p class="muted">"Print with your browser (Ctrl+P or ⌘P): the page prints as the poster alone, on A4."</p>
            <ActionForm action=rotate attr:class="inline-form" attr:data-testid="rotate-code">
                <input type="hidden" name="location_id" value=poster.location_id/>
                <button type="submit" class="button button-quiet">"Make a new code now (stops today's)"</button>
            </ActionForm>
        </div>
        <article class="poster" data-testid="poster">
            <p class="poster-kicker">"Welcome to"</p>
            <h2 class="poster-title">{poster.location_name}</h2>
            <p class="poster-lead">"Check in on your phone: scan this with the camera."</p>
            <QrImage qr=poster.qr class="poster-qr" label="QR code of the check-in link"/>
            <p class="poster-url" data-testid="poster-url">{short}</p>
            <p class="poster-code">"Code: "<strong data-testid="poster-code">{poster.code}</strong></p>
            <p class="poster-foot">{format!("Valid on {} · {}", poster.valid_on, poster.address)}</p>
        </article>
    }
}
