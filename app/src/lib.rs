//! Frontdesk's pages, components and server functions, shared by the server (`ssr`)
//! and the browser (`hydrate`).
#![recursion_limit = "256"]

pub mod components;
pub mod error;
pub mod pages;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod types;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use components::layout::Layout;
use pages::account::{ConfirmEmailPage, SetPasswordPage};
use pages::admin::{
    AdminEntries, AdminHosts, AdminKiosks, AdminLocations, AdminOnSite, AdminPoster, AdminTokens,
};
use pages::arrive::ArrivePage;
use pages::auth::{
    HostForgot, HostLogin, HostSignup, LoginChooser, VisitorForgot, VisitorLogin, VisitorSignup,
};
use pages::checkout::GuestCheckOutPage;
use pages::dashboard::{AdminHome, HostHome, VisitorHome};
use pages::kiosk::{
    KioskCheckOutPage, KioskDetails, KioskDone, KioskPair, KioskStart, KioskWelcome,
};
use pages::mailbox::DevMailboxPage;
use pages::settings::SettingsPage;
use pages::setup::SetupPage;
use pages::visit::VisitPage;
use pages::{home::HomePage, not_found::NotFound, status::StatusPage};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    ssr::security::set_page_csp();
    // The server names the bundle with its version, so the stylesheet's URL changes
    // with every build like the wasm's and can be cached for good.
    let stylesheet = format!("/{}/{}.css", options.site_pkg_dir, options.output_name);
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="stylesheet" id="frontdesk" href=stylesheet/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
        <Meta name="description" content="Frontdesk: self-hosted visitor management."/>
        <Title formatter=|title: String| {
            if title.is_empty() { "Frontdesk".to_string() } else { format!("{title} · Frontdesk") }
        }/>
        <Router>
            <Layout>
                <Routes fallback=|| view! { <NotFound/> }>
                    // Async: each page is sent once its data is ready, so it works
                    // without JS (out-of-order streaming needs a script to show data).
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/status") view=StatusPage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=LoginChooser ssr=SsrMode::Async/>
                    <Route path=path!("/visitor/login") view=VisitorLogin ssr=SsrMode::Async/>
                    <Route path=path!("/visitor/signup") view=VisitorSignup ssr=SsrMode::Async/>
                    <Route path=path!("/host/login") view=HostLogin ssr=SsrMode::Async/>
                    <Route path=path!("/host/signup") view=HostSignup ssr=SsrMode::Async/>
                    <Route path=path!("/visitor/forgot") view=VisitorForgot ssr=SsrMode::Async/>
                    <Route path=path!("/host/forgot") view=HostForgot ssr=SsrMode::Async/>
                    <Route path=path!("/account/confirm") view=ConfirmEmailPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/password") view=SetPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/host") view=HostHome ssr=SsrMode::Async/>
                    <Route path=path!("/visitor") view=VisitorHome ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view=AdminHome ssr=SsrMode::Async/>
                    <Route path=path!("/admin/entries") view=AdminEntries ssr=SsrMode::Async/>
                    <Route path=path!("/admin/on-site") view=AdminOnSite ssr=SsrMode::Async/>
                    <Route path=path!("/admin/hosts") view=AdminHosts ssr=SsrMode::Async/>
                    <Route path=path!("/admin/locations") view=AdminLocations ssr=SsrMode::Async/>
                    <Route path=path!("/admin/locations/:id/poster") view=AdminPoster ssr=SsrMode::Async/>
                    <Route path=path!("/admin/kiosks") view=AdminKiosks ssr=SsrMode::Async/>
                    <Route path=path!("/admin/tokens") view=AdminTokens ssr=SsrMode::Async/>
                    <Route path=path!("/kiosk") view=KioskWelcome ssr=SsrMode::Async/>
                    <Route path=path!("/kiosk/pair") view=KioskPair ssr=SsrMode::Async/>
                    <Route path=path!("/kiosk/check-in") view=KioskStart ssr=SsrMode::Async/>
                    <Route path=path!("/kiosk/check-in/details") view=KioskDetails ssr=SsrMode::Async/>
                    <Route path=path!("/kiosk/done/:token") view=KioskDone ssr=SsrMode::Async/>
                    <Route path=path!("/kiosk/check-out") view=KioskCheckOutPage ssr=SsrMode::Async/>
                    <Route path=path!("/arrive/:location_id") view=ArrivePage ssr=SsrMode::Async/>
                    <Route path=path!("/arrive/:location_id/:code") view=ArrivePage ssr=SsrMode::Async/>
                    <Route path=path!("/checkout/:token") view=GuestCheckOutPage ssr=SsrMode::Async/>
                    <Route path=path!("/settings") view=SettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/setup") view=SetupPage ssr=SsrMode::Async/>
                    <Route path=path!("/visits/:id") view=VisitPage ssr=SsrMode::Async/>
                    <Route path=path!("/dev/mailbox") view=DevMailboxPage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}

/// The browser's side. Pages are server-rendered; only islands (`#[island]`) ship
/// as wasm, and leptos' script hydrates each one right after this returns.
#[cfg(feature = "hydrate")]
pub fn start() {
    leptos::mount::hydrate_islands();
    components::enhance::install();
    // `data-hydrated` tells styles and tests the page is live. Set on the next task,
    // so the islands (hydrated in this one) are live by then too.
    set_timeout(
        || {
            if let Some(body) = document().body() {
                let _ = body.set_attribute("data-hydrated", "true");
            }
        },
        std::time::Duration::ZERO,
    );
}
