//! The two doors: log-in and sign-up for visitors, and for hosts and admins.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::components::form::FieldMessage;
use crate::error::FormError;
use crate::server_fns::account::ForgotPassword;
use crate::server_fns::auth::{signup_locations, LogIn, SignUp};
use crate::types::url_encode;

#[component]
pub fn LoginChooser() -> impl IntoView {
    // A page that needed a log-in sent us here with `?next=`; both doors keep it.
    let query = use_query_map();
    let door = move |path: &str| match query.read().get("next") {
        Some(next) => format!("{path}?next={}", url_encode(&next)),
        None => path.to_string(),
    };
    view! {
        <Title text="Log in"/>
        <h1>"Log in"</h1>
        <p>"Visitors and staff have separate doors."</p>
        <ul class="door-list">
            <li><a href=move || door("/visitor/login")>"I am a visitor"</a></li>
            <li><a href=move || door("/host/login")>"I am a host or an admin"</a></li>
        </ul>
    }
}

#[component]
pub fn VisitorLogin() -> impl IntoView {
    view! { <LoginForm door="visitor"/> }
}

#[component]
pub fn HostLogin() -> impl IntoView {
    view! { <LoginForm door="host"/> }
}

#[component]
pub fn VisitorSignup() -> impl IntoView {
    view! { <SignupForm door="visitor"/> }
}

#[component]
pub fn HostSignup() -> impl IntoView {
    view! { <SignupForm door="host"/> }
}

#[component]
pub fn VisitorForgot() -> impl IntoView {
    view! { <ForgotForm door="visitor"/> }
}

#[component]
pub fn HostForgot() -> impl IntoView {
    view! { <ForgotForm door="host"/> }
}

fn door_title(door: &'static str) -> &'static str {
    match door {
        "host" => "Host and admin",
        _ => "Visitor",
    }
}

#[component]
fn LoginForm(door: &'static str) -> impl IntoView {
    let action = ServerAction::<LogIn>::new();
    let title = format!("{} log-in", door_title(door));
    let (other_door, other_label) = match door {
        "host" => ("/visitor/login", "Visitors log in here"),
        _ => ("/host/login", "Hosts and admins log in here"),
    };
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let password_set = move || query.read().get("password_set").is_some();
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        <Show when=password_set>
            <div class="alert alert-ok" role="status" data-testid="password-set">
                "Your password is set, and every earlier session is logged out. Log in with it now."
            </div>
        </Show>
        <ActionForm action=action attr:class="form" attr:data-testid=format!("{door}-login")>
            <input type="hidden" name="door" value=door/>
            <input type="hidden" name="next" value=next/>
            <label for="email">"Email"</label>
            <input id="email" name="email" type="email" autocomplete="username" required/>
            <label for="password">"Password"</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required/>
            <button type="submit" class="button">"Log in"</button>
        </ActionForm>
        {move || action.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
        <p class="muted">
            <A href=format!("/{door}/forgot")>"Forgot your password?"</A>
            " · "
            <A href=format!("/{door}/signup")>"No account yet? Sign up"</A>
            " · "
            <A href=other_door>{other_label}</A>
        </p>
    }
}

#[component]
fn SignupForm(door: &'static str) -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    let title = format!("{} sign-up", door_title(door));
    let locations = Resource::new(|| (), |_| signup_locations());
    // After signing up the page says what happens next (`?sent=`), instead of the form.
    let query = use_query_map();
    let sent = move || query.read().get("sent");
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        {move || match sent() {
            Some(sent) => view! { <NextSteps door approval={sent == "approval"}/> }.into_any(),
            None => view! {
                <ActionForm action=action attr:class="form" attr:data-testid=format!("{door}-signup")>
                    <input type="hidden" name="door" value=door/>
                    <label for="name">"Name"</label>
                    <input id="name" name="name" autocomplete="name" required aria-describedby="name-error"/>
                    <FieldMessage value=action.value() field="name"/>
                    <label for="email">"Email"</label>
                    <input id="email" name="email" type="email" autocomplete="email" required aria-describedby="email-error"/>
                    <FieldMessage value=action.value() field="email"/>
                    <label for="phone">"Mobile phone"</label>
                    <input id="phone" name="phone" type="tel" autocomplete="tel" required aria-describedby="phone-error"/>
                    <FieldMessage value=action.value() field="phone"/>
                    <label for="password">"Password (8 characters or more, not easy to guess)"</label>
                    <input id="password" name="password" type="password" autocomplete="new-password" minlength="8" maxlength="128" required aria-describedby="password-error"/>
                    <FieldMessage value=action.value() field="password"/>
                    {(door == "host").then(|| view! {
                        <label for="location_id">"Location"</label>
                        <Suspense fallback=|| view! { <p class="muted">"Loading locations…"</p> }>
                            <select id="location_id" name="location_id" required aria-describedby="location_id-error">
                                {move || Suspend::new(async move {
                                    locations.await.map(|list| {
                                        list.into_iter()
                                            .map(|l| view! { <option value=l.id>{l.name}</option> })
                                            .collect_view()
                                    })
                                })}
                            </select>
                        </Suspense>
                        <FieldMessage value=action.value() field="location_id"/>
                    })}
                    <button type="submit" class="button">"Sign up"</button>
                </ActionForm>
                {move || action.value().get().and_then(Result::err).filter(|e| e.field().is_none()).map(|error| view! { <FormError error/> })}
                <p class="muted"><A href=format!("/{door}/login")>"Have an account? Log in"</A></p>
            }.into_any(),
        }}
    }
}

/// After a sign-up: what the person does next, and what waits on whom.
#[component]
fn NextSteps(door: &'static str, approval: bool) -> impl IntoView {
    view! {
        <div class="alert alert-ok" role="status" data-testid="check-your-email">
            <p><strong>"Check your e-mail."</strong>" We sent you a link to confirm your address; it works for 48 hours."</p>
            {if approval {
                "An admin also approves new host accounts from your e-mail domain. We e-mail you the decision; you can log in once you are approved."
            } else if door == "host" {
                "You can log in now. Guests can pick you as their host once you have confirmed your address."
            } else {
                "You can log in now; confirming your address lets us keep your visits safe."
            }}
        </div>
        <p class="muted">
            "No e-mail after a few minutes? Look in your spam folder, or "
            <A href=format!("/{door}/login")>"log in"</A>
            " and ask for the link again."
        </p>
    }
}

/// Forgot password: always the same answer, whether or not the address has an account.
#[component]
fn ForgotForm(door: &'static str) -> impl IntoView {
    let action = ServerAction::<ForgotPassword>::new();
    let query = use_query_map();
    let sent = move || query.read().get("sent").is_some();
    view! {
        <Title text="Forgot your password"/>
        <h1>"Forgot your password"</h1>
        <Show when=sent fallback=move || view! {
            <p>"Type the e-mail address of your account; we e-mail you a link to choose a new password."</p>
            <ActionForm action=action attr:class="form" attr:data-testid="forgot-password">
                <input type="hidden" name="door" value=door/>
                <label for="email">"Email"</label>
                <input id="email" name="email" type="email" autocomplete="username" required aria-describedby="email-error"/>
                <FieldMessage value=action.value() field="email"/>
                <button type="submit" class="button">"E-mail me a link"</button>
            </ActionForm>
            {move || action.value().get().and_then(Result::err).filter(|e| e.field().is_none()).map(|error| view! { <FormError error/> })}
        }>
            <div class="alert alert-ok" role="status" data-testid="reset-sent">
                "If an account exists for that address, we e-mailed it a link to choose a new password. The link works once, for 30 minutes."
            </div>
        </Show>
        <p class="muted"><A href=format!("/{door}/login")>"Back to log-in"</A></p>
    }
}
