//! The two doors: log-in and sign-up for visitors, and for hosts and admins.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::error::FormError;
use crate::server_fns::auth::{signup_locations, LogIn, SignUp};

#[component]
pub fn LoginChooser() -> impl IntoView {
    view! {
        <Title text="Log in"/>
        <h1>"Log in"</h1>
        <p>"Visitors and staff have separate doors."</p>
        <ul class="door-list">
            <li><A href="/visitor/login">"I am a visitor"</A></li>
            <li><A href="/host/login">"I am a host or an admin"</A></li>
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
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        <ActionForm action=action attr:class="form" attr:data-testid=format!("{door}-login")>
            <input type="hidden" name="door" value=door/>
            <label for="email">"Email"</label>
            <input id="email" name="email" type="email" autocomplete="username" required/>
            <label for="password">"Password"</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required/>
            <button type="submit" class="button">"Log in"</button>
        </ActionForm>
        {move || action.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
        <p class="muted">
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
    // A host account that waits for approval redirects here with `?awaiting=1`.
    let query = use_query_map();
    let awaiting = move || query.read().get("awaiting").is_some();
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        <Show when=awaiting>
            <div class="alert alert-ok" role="status" data-testid="awaiting-approval">
                "Thank you. An admin will approve your host account; you can log in after that."
            </div>
        </Show>
        <ActionForm action=action attr:class="form" attr:data-testid=format!("{door}-signup")>
            <input type="hidden" name="door" value=door/>
            <label for="name">"Name"</label>
            <input id="name" name="name" autocomplete="name" required/>
            <label for="email">"Email"</label>
            <input id="email" name="email" type="email" autocomplete="email" required/>
            <label for="phone">"Mobile phone"</label>
            <input id="phone" name="phone" type="tel" autocomplete="tel" required/>
            <label for="password">"Password (8 characters or more)"</label>
            <input id="password" name="password" type="password" autocomplete="new-password" minlength="8" required/>
            {(door == "host").then(|| view! {
                <label for="location_id">"Location"</label>
                <Suspense fallback=|| view! { <p class="muted">"Loading locations…"</p> }>
                    <select id="location_id" name="location_id" required>
                        {move || Suspend::new(async move {
                            locations.await.map(|list| {
                                list.into_iter()
                                    .map(|l| view! { <option value=l.id>{l.name}</option> })
                                    .collect_view()
                            })
                        })}
                    </select>
                </Suspense>
            })}
            <button type="submit" class="button">"Sign up"</button>
        </ActionForm>
        {move || action.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
        <p class="muted"><A href=format!("/{door}/login")>"Have an account? Log in"</A></p>
    }
}
