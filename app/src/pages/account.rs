//! The pages e-mailed links open: confirm an address, set a password (invitation or
//! reset). Opening one changes nothing (mail scanners open links too); its button does.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::components::form::FieldMessage;
use crate::error::{AppError, FormError};
use crate::server_fns::account::{open_link, ConfirmEmail, SetPassword};
use crate::types::{LinkInfo, LinkKind};

fn token() -> Memo<String> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get("token").unwrap_or_default())
}

/// A link that no longer works, and where to get a new one: the forgot-password
/// pages (`then` = "forgot") or the log-in, whose banner sends a confirmation again.
#[component]
fn StaleLink(error: AppError, again: &'static str, then: &'static str) -> impl IntoView {
    let (visitor, host, label) = match then {
        "forgot" => ("/visitor/forgot", "/host/forgot", "get a new link"),
        _ => ("/visitor/login", "/host/login", "log in"),
    };
    view! {
        <h1>"This link does not work any more"</h1>
        <div class="alert alert-info" role="status" data-testid="link-stale">
            {error.to_string()}
        </div>
        <p>{again}</p>
        <p class="muted">
            <A href=visitor>{format!("Visitors: {label}")}</A>
            " · "
            <A href=host>{format!("Hosts and admins: {label}")}</A>
        </p>
    }
}

#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let token = token();
    let action = ServerAction::<ConfirmEmail>::new();
    let info = Resource::new(move || token.get(), |t| open_link(t, "confirm".into()));
    let query = use_query_map();
    let done = move || query.read().get("done");
    let approval = move || query.read().get("approval").is_some();
    view! {
        <Title text="Confirm your e-mail address"/>
        {move || match done() {
            Some(door) => view! {
                <h1>"Your e-mail address is confirmed"</h1>
                <div class="alert alert-ok" role="status" data-testid="email-confirmed">
                    {if approval() {
                        "Thank you. Host accounts with an address outside your organisation's domains are approved by an admin: we e-mail you the decision, and you can log in once approved."
                    } else {
                        "Thank you. Everything that waited for it works now."
                    }}
                </div>
                <p><a class="button" href=format!("/{}/login", if door == "visitor" { "visitor" } else { "host" })>"Log in"</a></p>
            }.into_any(),
            None => view! {
                <Suspense fallback=|| view! { <p class="muted">"Checking the link…"</p> }>
                    {move || Suspend::new(async move {
                        match info.await {
                            Ok(info) => view! { <ConfirmForm info token=token.get_untracked() action/> }.into_any(),
                            Err(error) => view! {
                                <StaleLink error then="login" again="Confirmation links work once, for 48 hours. Log in: the page then offers to send a new one (or, for a new address, ask for the change again in Settings)."/>
                            }.into_any(),
                        }
                    })}
                </Suspense>
            }.into_any(),
        }}
    }
}

#[component]
fn ConfirmForm(info: LinkInfo, token: String, action: ServerAction<ConfirmEmail>) -> impl IntoView {
    let (heading, text) = match (&info.kind, &info.new_email) {
        (LinkKind::ChangeEmail, Some(new)) => (
            "Use your new e-mail address",
            format!("Confirm with your password that your account moves to {new}. You then log in with it."),
        ),
        _ => (
            "Confirm your e-mail address",
            "Confirm with the password you chose at sign-up that this address is yours.".to_string(),
        ),
    };
    view! {
        <h1>{heading}</h1>
        <p>{text}</p>
        <ActionForm action attr:class="form" attr:data-testid="confirm-email">
            <input type="hidden" name="token" value=token/>
            <label for="password">"Your password"</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required aria-describedby="password-error"/>
            <FieldMessage value=action.value() field="password"/>
            <button type="submit" class="button">"Confirm"</button>
        </ActionForm>
        {move || action.value().get().and_then(Result::err).filter(|e| e.field().is_none()).map(|error| view! { <FormError error/> })}
        <p class="muted">"Did not sign up yourself? Then do not confirm: ignore the e-mail, or take the account over with \"Forgot your password?\" on the log-in page."</p>
    }
}

#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let token = token();
    let action = ServerAction::<SetPassword>::new();
    let info = Resource::new(move || token.get(), |t| open_link(t, "password".into()));
    view! {
        <Title text="Choose a password"/>
        <Suspense fallback=|| view! { <p class="muted">"Checking the link…"</p> }>
            {move || Suspend::new(async move {
                match info.await {
                    Ok(info) => view! { <PasswordForm info token=token.get_untracked() action/> }.into_any(),
                    Err(error) => view! {
                        <StaleLink error then="forgot" again="Reset links work once, for 30 minutes; invitations for 7 days (your admin can send a new one, or use \"Forgot your password?\")."/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PasswordForm(info: LinkInfo, token: String, action: ServerAction<SetPassword>) -> impl IntoView {
    let heading = match info.kind {
        LinkKind::Invitation => format!("Welcome, {}: choose your password", info.name),
        _ => format!("Choose a new password, {}", info.name),
    };
    view! {
        <h1>{heading}</h1>
        <p class="muted">"8 to 128 characters. A few uncommon words make a strong one; your name or e-mail do not."</p>
        <ActionForm action attr:class="form" attr:data-testid="set-password">
            <input type="hidden" name="token" value=token/>
            <label for="password">"New password"</label>
            <input id="password" name="password" type="password" autocomplete="new-password" minlength="8" maxlength="128" required aria-describedby="password-error"/>
            <FieldMessage value=action.value() field="password"/>
            <button type="submit" class="button">"Save password"</button>
        </ActionForm>
        {move || action.value().get().and_then(Result::err).filter(|e| e.field().is_none()).map(|error| view! { <FormError error/> })}
    }
}
