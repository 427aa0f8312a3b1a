use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::accounts::{get_me, LogOut};

/// The frame of every page: skip link, header with navigation, main content, footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    // The menu button only matters on narrow screens; without JS the nav stays visible.
    let (menu_open, set_menu_open) = signal(false);
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
                <button
                    type="button"
                    class="menu-toggle"
                    aria-controls="primary-nav"
                    aria-expanded=move || menu_open.get().to_string()
                    on:click=move |_| set_menu_open.update(|open| *open = !*open)
                >
                    "Menu"
                </button>
                <nav id="primary-nav" class="nav" class:nav-open=menu_open aria-label="Primary">
                    <A href="/" exact=true>"Home"</A>
                    <A href="/status">"System status"</A>
                    <AccountLinks/>
                </nav>
                </Show>
            </div>
        </header>
        <main id="main" class="content" tabindex="-1">
            {children()}
        </main>
        <footer class="footer">
            <p>"Frontdesk — visitor management you host yourself."</p>
        </footer>
    }
}

/// Log-in links, or the account's home, settings and log-out. Re-read after every
/// navigation, so logging in or out shows at once.
#[component]
fn AccountLinks() -> impl IntoView {
    let location = use_location();
    let log_out = ServerAction::<LogOut>::new();
    let me = Resource::new(
        move || (location.pathname.get(), log_out.version().get()),
        |_| get_me(),
    );
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
