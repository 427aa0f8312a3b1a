//! First run: the page behind the one-time link the server prints while no admin
//! exists. It creates the first admin and location; then it is gone (404).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::form::FieldMessage;
use crate::error::{AppError, FormError};
use crate::pages::not_found::NotFound;
use crate::server_fns::setup::{setup_form, CompleteSetup};
use crate::types::SetupChoices;

#[component]
pub fn SetupPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let choices = Resource::new(token, setup_form);
    view! {
        <Title text="Set up Frontdesk"/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match choices.await {
                    Ok(choices) => view! { <SetupForm token=token() choices/> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFound/> }.into_any(),
                    Err(error) => view! {
                        <h1>"Set up Frontdesk"</h1>
                        <FormError error/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SetupForm(token: String, choices: SetupChoices) -> impl IntoView {
    let action = ServerAction::<CompleteSetup>::new();
    let value = action.value();
    view! {
        <h1>"Set up Frontdesk"</h1>
        <p>"Create the first admin account and the first location. You can add hosts, more locations and kiosks afterwards."</p>
        {move || value.get().and_then(Result::err).map(|error| view! { <FormError error/> })}
        <ActionForm action=action attr:class="form" attr:data-testid="setup-form">
            <input type="hidden" name="token" value=token/>
            <fieldset>
                <legend>"You, the first admin"</legend>
                <label for="name">"Your name"</label>
                <input id="name" name="name" autocomplete="name" required aria-describedby="name-error"/>
                <FieldMessage value=value field="name"/>
                <label for="email">"E-mail (you log in with it)"</label>
                <input id="email" name="email" type="email" autocomplete="username" required aria-describedby="email-error"/>
                <FieldMessage value=value field="email"/>
                <label for="password">"Password (8 characters or more)"</label>
                <input id="password" name="password" type="password" autocomplete="new-password" minlength="8" required aria-describedby="password-error"/>
                <FieldMessage value=value field="password"/>
            </fieldset>
            <fieldset>
                <legend>"Your first location"</legend>
                <label for="location_name">"Name (guests see it, e.g. Bengaluru HQ)"</label>
                <input id="location_name" name="location_name" required aria-describedby="location_name-error"/>
                <FieldMessage value=value field="location_name"/>
                <label for="location_address">"Address (goes into guests' summary e-mails)"</label>
                <input id="location_address" name="location_address" autocomplete="street-address" required aria-describedby="location_address-error"/>
                <FieldMessage value=value field="location_address"/>
                <label for="location_time_zone">"Time zone (type to search, e.g. Kolkata or London)"</label>
                <input id="location_time_zone" name="location_time_zone" list="time-zones" required autocomplete="off" aria-describedby="location_time_zone-error"/>
                <datalist id="time-zones">
                    {choices.time_zones.into_iter().map(|tz| view! { <option value=tz/> }).collect_view()}
                </datalist>
                <FieldMessage value=value field="location_time_zone"/>
                <label for="country">"Country"</label>
                <select id="country" name="country" required aria-describedby="country-error">
                    <option value="">"Choose a country"</option>
                    {choices.countries.into_iter().map(|(code, name)| view! { <option value=code>{name}</option> }).collect_view()}
                </select>
                <FieldMessage value=value field="country"/>
            </fieldset>
            <button type="submit" class="button">"Create admin and location"</button>
        </ActionForm>
    }
}
