//! Every account's settings: name, phone and password.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::error::{ErrorTemplate, FormError};
use crate::server_fns::settings::{my_account, ChangePassword, UpdateProfile};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let profile = ServerAction::<UpdateProfile>::new();
    let password = ServerAction::<ChangePassword>::new();
    let me = Resource::new(|| (), |_| my_account());
    // A saved change redirects here with `?saved=`, with JS and without.
    let query = use_query_map();
    let saved = move |what: &'static str, text: &'static str| {
        (query.read().get("saved").as_deref() == Some(what))
            .then(|| view! { <div class="alert alert-ok" role="status">{text}</div> })
    };

    view! {
        <Title text="Settings"/>
        <h1>"Settings"</h1>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorTemplate errors/> }>
                {move || Suspend::new(async move {
                    me.await.map(|me| view! {
                        <p class="muted" data-testid="signed-in-as">{format!("Signed in as {} ({})", me.email, me.role)}</p>
                        <h2>"Profile"</h2>
                        <ActionForm action=profile attr:class="form" attr:data-testid="profile-form">
                            <label for="name">"Name"</label>
                            <input id="name" name="name" value=me.name.clone() autocomplete="name" required/>
                            <label for="phone">"Mobile phone"</label>
                            <input id="phone" name="phone" type="tel" value=me.phone.clone().unwrap_or_default() autocomplete="tel" required/>
                            <button type="submit" class="button">"Save profile"</button>
                        </ActionForm>
                    })
                })}
            </ErrorBoundary>
        </Suspense>
        {move || saved("profile", "Profile saved.")}
        {move || profile.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
        <h2>"Password"</h2>
        <ActionForm action=password attr:class="form" attr:data-testid="password-form">
            <label for="current">"Current password"</label>
            <input id="current" name="current" type="password" autocomplete="current-password" required/>
            <label for="new">"New password (8 characters or more)"</label>
            <input id="new" name="new" type="password" autocomplete="new-password" minlength="8" required/>
            <button type="submit" class="button">"Change password"</button>
        </ActionForm>
        {move || saved("password", "Password changed. Your other sessions were logged out.")}
        {move || password.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
    }
}
