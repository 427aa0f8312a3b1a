use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="Welcome"/>
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
