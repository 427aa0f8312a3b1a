//! Every account's settings: name, phone and password.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::form::FieldMessage;
use crate::error::{ErrorTemplate, FormError};
use crate::server_fns::account::ChangeEmail;
use crate::server_fns::settings::{my_account, ChangePassword, UpdateProfile};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let profile = ServerAction::<UpdateProfile>::new();
    let password = ServerAction::<ChangePassword>::new();
    let email = ServerAction::<ChangeEmail>::new();
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
        {move || saved("confirmation", "We sent a new confirmation link to your address.")}
        {move || profile.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
        <h2>"E-mail address"</h2>
        <p class="muted">"Your address changes once you follow the link we send to the new one; the old one is told."</p>
        <ActionForm action=email attr:class="form" attr:data-testid="email-form">
            <label for="new-email">"New e-mail address"</label>
            <input id="new-email" name="email" type="email" autocomplete="email" required aria-describedby="email-error"/>
            <FieldMessage value=email.value() field="email"/>
            <label for="email-current">"Current password"</label>
            <input id="email-current" name="current" type="password" autocomplete="current-password" required aria-describedby="current-error"/>
            <FieldMessage value=email.value() field="current"/>
            <button type="submit" class="button">"Change e-mail address"</button>
        </ActionForm>
        {move || saved("email", "Check your new address: follow the link we sent there to finish the change.")}
        {move || email.value().get().and_then(Result::err).filter(|e| e.field().is_none()).map(|error| view! { <FormError error/> })}
        <h2>"Password"</h2>
        <ActionForm action=password attr:class="form" attr:data-testid="password-form">
            <label for="current">"Current password"</label>
            <input id="current" name="current" type="password" autocomplete="current-password" required/>
            <label for="new">"New password (8 characters or more, not easy to guess)"</label>
            <input id="new" name="new" type="password" autocomplete="new-password" minlength="8" maxlength="128" required/>
            <button type="submit" class="button">"Change password"</button>
        </ActionForm>
        {move || saved("password", "Password changed. Your other sessions were logged out.")}
        {move || password.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
    }
}
