use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::error::FormError;
use crate::server_fns::account::ResendConfirmation;
use crate::server_fns::auth::{get_me, LogOut};

/// The frame of every page: skip link, header with navigation, main content, footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    // A lobby tablet shows no site navigation: guests have nowhere else to go.
    let location = use_location();
    let kiosk = move || location.pathname.get().starts_with("/kiosk");

    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="topbar">
            <div class="topbar-inner">
                <a class="brand" href=move || if kiosk() { "/kiosk" } else { "/" }>
                    <span class="brand-mark" aria-hidden="true">"F"</span>
                    <span class="brand-name">"Frontdesk"</span>
                </a>
                <Show when=move || !kiosk()>
                    <Menu>
                        <A href="/" exact=true>"Home"</A>
                        <A href="/status">"System status"</A>
                        <AccountLinks/>
                    </Menu>
                </Show>
            </div>
        </header>
        <main id="main" class="content" tabindex="-1">
            <Show when=move || !kiosk()>
                <ConfirmBanner/>
            </Show>
            {children()}
        </main>
        <Show when=move || !kiosk()>
            <footer class="footer">
                <p>"Frontdesk — visitor management you host yourself."</p>
            </footer>
        </Show>
    }
}

/// The site navigation, behind a menu button on narrow screens. Without JS the
/// button stays hidden and the navigation visible (see the CSS).
#[island]
fn Menu(children: Children) -> impl IntoView {
    let (open, set_open) = signal(false);
    view! {
        <button
            type="button"
            class="menu-toggle"
            aria-controls="primary-nav"
            aria-expanded=move || open.get().to_string()
            on:click=move |_| set_open.update(|open| *open = !*open)
        >
            "Menu"
        </button>
        <nav id="primary-nav" class="nav" class:nav-open=open aria-label="Primary">
            {children()}
        </nav>
    }
}

/// Log-in links, or the account's home, settings and log-out (every page is
/// rendered by the server, so logging in or out shows on the next page).
#[component]
fn AccountLinks() -> impl IntoView {
    let log_out = ServerAction::<LogOut>::new();
    let me = Resource::new(|| (), |_| get_me());
    view! {
        <Transition fallback=|| view! { <A href="/login">"Log in"</A> }>
            {move || Suspend::new(async move {
                match me.await.ok().flatten() {
                    Some(me) => view! {
                        <A href=me.home()>"Dashboard"</A>
                        <A href="/settings">"Settings"</A>
                        <ActionForm action=log_out attr:class="inline-form">
                            <button type="submit" class="link-button" data-testid="log-out">
                                {format!("Log out {}", me.name)}
                            </button>
                        </ActionForm>
                    }.into_any(),
                    None => view! {
                        <A href="/login">"Log in"</A>
                        <A href="/visitor/signup">"Sign up"</A>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Until the account's address is confirmed, every page says so and offers the link
/// again (hosts: guests cannot pick them until then).
#[component]
fn ConfirmBanner() -> impl IntoView {
    let resend = ServerAction::<ResendConfirmation>::new();
    let me = Resource::new(|| (), |_| get_me());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                me.await.ok().flatten().filter(|me| !me.email_verified).map(|me| {
                    let why = match me.role {
                        crate::types::Role::Host => " Guests can pick you as their host once you have.",
                        _ => "",
                    };
                    view! {
                        <div class="alert alert-info" role="status" data-testid="confirm-email-banner">
                            {format!("Please confirm your e-mail address: follow the link we sent to {}.{why}", me.email)}
                            " "
                            <ActionForm action=resend attr:class="inline-form">
                                <button type="submit" class="link-button">"Send the link again"</button>
                            </ActionForm>
                            {move || resend.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
                        </div>
                    }
                })
            })}
        </Transition>
    }
}
