use leptos::prelude::*;
use leptos_router::components::A;

/// The frame of every page: skip link, header with navigation, main content, footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    // The menu button only matters on narrow screens; without JS the nav stays visible.
    let (menu_open, set_menu_open) = signal(false);

    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="topbar">
            <div class="topbar-inner">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"F"</span>
                    <span class="brand-name">"Frontdesk"</span>
                </a>
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
                </nav>
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
