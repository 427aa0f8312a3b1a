//! The admin console's pages. Each loads its own data and re-reads it after a change.

mod entries;
mod hosts;
mod kiosks;
mod locations;
mod poster;
mod tokens;

pub use entries::{AdminEntries, AdminOnSite};
pub use hosts::AdminHosts;
pub(crate) use hosts::Decide;
pub use kiosks::AdminKiosks;
pub use locations::AdminLocations;
pub use poster::AdminPoster;
pub use tokens::AdminTokens;

use leptos::prelude::*;
use leptos_router::components::A;

/// The console's sections; the current one is marked by the router (`aria-current`).
#[component]
pub fn AdminNav() -> impl IntoView {
    view! {
        <nav class="subnav" aria-label="Admin console">
            <A href="/admin" exact=true>"Overview"</A>
            <A href="/admin/entries">"Entries"</A>
            <A href="/admin/on-site">"On site now"</A>
            <A href="/admin/hosts">"Hosts"</A>
            <A href="/admin/locations">"Locations"</A>
            <A href="/admin/kiosks">"Kiosks"</A>
            <A href="/admin/tokens">"API tokens"</A>
        </nav>
    }
}

/// `<option>`s for a location picker, the first one "any"/"pick" with an empty value.
pub(crate) fn location_options(
    list: Vec<crate::types::LocationRow>,
    first: &'static str,
    selected: String,
) -> impl IntoView {
    view! {
        <option value="">{first}</option>
        {list.into_iter().map(|l| {
            let is_selected = l.id.to_string() == selected;
            view! { <option value=l.id selected=is_selected>{l.name}</option> }
        }).collect_view()}
    }
}

/// A required location picker for the add forms, loading the list itself.
#[component]
pub(crate) fn LocationSelect(id: &'static str) -> impl IntoView {
    let locations = Resource::new(
        || (),
        |_| crate::server_fns::admin::locations::admin_locations(),
    );
    view! {
        <label for=id>"Location"</label>
        <Suspense fallback=|| view! { <p class="muted">"Loading locations…"</p> }>
            <select id=id name="location_id" required aria-describedby="location_id-error">
                {move || Suspend::new(async move {
                    locations.await.map(|list| location_options(list, "Pick a location", String::new()))
                })}
            </select>
        </Suspense>
    }
}
