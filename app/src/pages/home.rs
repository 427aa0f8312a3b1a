use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let pending = Resource::new(|| (), |_| crate::server_fns::home::setup_pending());
    view! {
        <Title text="Welcome"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                (pending.await == Ok(true)).then(|| view! {
                    <div class="alert alert-ok" role="status" data-testid="setup-pending">
                        <strong class="alert-title">"This Frontdesk is not set up yet."</strong>
                        <p class="alert-message">
                            "No admin account exists. Open the setup link the server printed when it "
                            "started (\"No admin account yet: set up Frontdesk at …\"); restarting the "
                            "server prints a new one. Or create an admin with "
                            <code>"frontdesk admin create --email you@example.com"</code>"."
                        </p>
                    </div>
                })
            })}
        </Suspense>
        <section class="hero">
            <h1>"Welcome to Frontdesk"</h1>
            <p class="lead">
                "Guests check in on a lobby tablet, their host hears at once by email, SMS and "
                "live on their dashboard, and guests get a summary when they leave."
            </p>
        </section>
        <section class="cards" aria-label="What Frontdesk does">
            <article class="card">
                <h2>"Lobby kiosk"</h2>
                <p>"A tablet by the door: name, email, phone, pick your host, done."</p>
            </article>
            <article class="card">
                <h2>"Hosts"</h2>
                <p>"A live list of who is waiting for you, and one tap to check them out."</p>
            </article>
            <article class="card">
                <h2>"Admins"</h2>
                <p>"Locations, hosts, kiosks and an evacuation list of who is on site now."</p>
            </article>
        </section>
        <p class="muted">
            "Running this server yourself? The "
            <a href="/status">"system status"</a>
            " page shows whether its database answers."
        </p>
    }
}
