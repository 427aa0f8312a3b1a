use leptos::prelude::*;
use leptos_meta::Title;

use super::AdminNav;
use crate::components::form::FieldMessage;
use crate::error::{ErrorTemplate, FormError};
use crate::server_fns::admin::locations::{
    admin_countries, admin_locations, AdminAddLocation, AdminEditLocation,
};
use crate::types::LocationRow;

/// (code, name) of every country, for the pickers.
type Countries = Vec<(String, String)>;

#[component]
pub fn AdminLocations() -> impl IntoView {
    let add = ServerAction::<AdminAddLocation>::new();
    let edit = ServerAction::<AdminEditLocation>::new();
    let list = Resource::new(|| (), |_| admin_locations());
    let countries = Resource::new(|| (), |_| admin_countries());
    view! {
        <Title text="Locations"/>
        <h1>"Locations"</h1>
        <AdminNav/>
        {move || edit.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorTemplate errors/> }>
                {move || Suspend::new(async move {
                    let rows = list.await?;
                    let countries = countries.await?;
                    Ok::<_, crate::error::AppError>(view! {
                        <ul class="card-list" data-testid="locations">
                            {rows.into_iter().map(|row| view! { <LocationCard row edit countries=countries.clone()/> }).collect_view()}
                        </ul>
                        <h2 id="add-location">"Add a location"</h2>
                        {move || add.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
                        <ActionForm action=add attr:class="form" attr:data-testid="add-location">
                            <label for="new-name">"Name"</label>
                            <input id="new-name" name="name" required aria-describedby="name-error"/>
                            <FieldMessage value=add.value() field="name"/>
                            <label for="new-address">"Address (goes into guests' summary e-mails)"</label>
                            <input id="new-address" name="address" required aria-describedby="address-error"/>
                            <FieldMessage value=add.value() field="address"/>
                            <label for="new-tz">"Time zone (IANA name, like Europe/London)"</label>
                            <input id="new-tz" name="time_zone" required value="UTC" aria-describedby="time_zone-error"/>
                            <FieldMessage value=add.value() field="time_zone"/>
                            <CountryPicker id="new-country".into() chosen=None countries/>
                            <FieldMessage value=add.value() field="country"/>
                            <button type="submit" class="button">"Add location"</button>
                        </ActionForm>
                    })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

/// The country a location is in: phone numbers typed there without a country
/// code are read as its numbers.
#[component]
fn CountryPicker(id: String, chosen: Option<String>, countries: Countries) -> impl IntoView {
    view! {
        <label for=id.clone()>"Country (local phone numbers typed there need no + code)"</label>
        <select id=id name="country" required aria-describedby="country-error">
            <option value="" selected=chosen.is_none()>"Choose a country"</option>
            {countries.into_iter().map(|(code, name)| {
                let selected = chosen.as_deref() == Some(code.as_str());
                view! { <option value=code selected=selected>{name}</option> }
            }).collect_view()}
        </select>
    }
}

#[component]
fn LocationCard(
    row: LocationRow,
    edit: ServerAction<AdminEditLocation>,
    countries: Countries,
) -> impl IntoView {
    let id = row.id;
    view! {
        <li class="card">
            <ActionForm action=edit attr:class="form form-grid">
                <input type="hidden" name="id" value=id/>
                <label for=format!("name-{id}")>"Name"</label>
                <input id=format!("name-{id}") name="name" required value=row.name/>
                <label for=format!("address-{id}")>"Address"</label>
                <input id=format!("address-{id}") name="address" required value=row.address/>
                <label for=format!("tz-{id}")>"Time zone"</label>
                <input id=format!("tz-{id}") name="time_zone" required value=row.time_zone/>
                <CountryPicker id=format!("country-{id}") chosen=row.country countries/>
                <label class="check">
                    <input type="checkbox" name="active" value="on" checked=row.active/>
                    " Active (hosts here can be visited)"
                </label>
                <button type="submit" class="button">"Save"</button>
            </ActionForm>
            <p><a href=format!("/admin/locations/{id}/poster") data-testid="poster-link">"Lobby poster: check in on one's phone"</a></p>
        </li>
    }
}
