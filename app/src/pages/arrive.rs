//! Checking in on one's own phone: the lobby poster's link opens this page. Find the
//! host (type-ahead with JS; a Find button without), then one tap for a visitor
//! with a confirmed address, or the guest's details for anyone else. Every step is
//! a plain form, so it works with JavaScript off.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::form::{use_hydrated, FieldMessage};
use crate::error::{AppError, FormError};
use crate::server_fns::arrival::{arrival_hosts, open_arrival, ArrivalCheckIn};
use crate::types::{url_encode, ArrivalPage, Arriver, HostChoice};

/// The id of the check-in form, which the host list (outside it) belongs to.
const FORM_ID: &str = "arrival-check-in";

#[component]
pub fn ArrivePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let location_id = move || {
        params
            .read()
            .get("location_id")
            .and_then(|v| v.parse::<i32>().ok())
    };
    // From the link's path, or typed into the code form (`?code=`).
    let code = move || {
        let path = params.read().get("code");
        path.or_else(|| query.read().get("code"))
            .unwrap_or_default()
    };
    let search = move || query.read().get("search").unwrap_or_default();
    let host = move || query.read().get("host").and_then(|h| h.parse::<i32>().ok());
    let page = Resource::new(
        move || (location_id(), code(), search(), host()),
        |(location, code, search, host)| async move {
            match location {
                Some(id) if !code.trim().is_empty() => {
                    Some(open_arrival(id, code, search, host).await)
                }
                _ => None,
            }
        },
    );
    view! {
        <Title text="Check in"/>
        <div class="arrive">
            <Suspense fallback=|| view! { <p class="muted">"Opening…"</p> }>
                {move || Suspend::new(async move {
                    match (page.await, location_id()) {
                        (Some(Ok(page)), _) => view! { <Arrival page/> }.into_any(),
                        (Some(Err(error)), Some(id)) => view! { <CodeForm location_id=id host=host() error=Some(error)/> }.into_any(),
                        (None, Some(id)) => view! { <CodeForm location_id=id host=host() error=None/> }.into_any(),
                        (_, None) => view! {
                            <h1>"Check in"</h1>
                            <FormError error=AppError::Refused("This check-in link is not valid. Scan the QR code on the poster in the lobby again.".into())/>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// No code, or one that does not work: say why, and take today's code typed.
#[component]
fn CodeForm(location_id: i32, host: Option<i32>, error: Option<AppError>) -> impl IntoView {
    view! {
        <h1>"Check in"</h1>
        {error.map(|error| view! { <FormError error/> })}
        <p>"Scan the QR code on the poster in the lobby with your phone's camera, or type the code printed under it."</p>
        <form method="get" action=format!("/arrive/{location_id}") class="form" data-testid="arrival-code">
            {host.map(|h| view! { <input type="hidden" name="host" value=h/> })}
            <label for="code">"Today's code"</label>
            <input id="code" name="code" required maxlength="20" autocomplete="off"
                autocapitalize="none" spellcheck="false"/>
            <button type="submit" class="button">"Continue"</button>
        </form>
    }
}

#[component]
fn Arrival(page: ArrivalPage) -> impl IntoView {
    let action = ServerAction::<ArrivalCheckIn>::new();
    let here = format!("/arrive/{}/{}", page.location_id, page.code);
    let is_guest = matches!(page.arriver, Arriver::Guest);
    view! {
        <h1>{format!("Check in at {}", page.location_name)}</h1>
        {move || action.value().get().and_then(Result::err).filter(|e| e.field().is_none()).map(|error| view! { <FormError error/> })}
        <HostSearch location_id=page.location_id code=page.code.clone() search=page.search
            hosts=page.hosts chosen=page.chosen find=here.clone()/>
        <ActionForm action attr:id=FORM_ID attr:class="form" attr:data-testid=FORM_ID>
            <FieldMessage value=action.value() field="host_id"/>
            <input type="hidden" name="location_id" value=page.location_id/>
            <input type="hidden" name="code" value=page.code/>
            <Arriving arriver=page.arriver action/>
            <button type="submit" class="button button-wide">"Check in"</button>
        </ActionForm>
        {is_guest.then(|| {
            let next = url_encode(&here);
            view! {
                <p class="muted" data-testid="arrival-account">
                    "Have a visitor account? "
                    <a href=format!("/visitor/login?next={next}")>"Log in"</a>
                    " or "
                    <a href=format!("/visitor/signup?next={next}")>"sign up"</a>
                    ": next time you check in with one tap, and you see your visits."
                </p>
            }
        })}
    }
}

/// Who is checking in: the account (one tap), or the guest's fields.
#[component]
fn Arriving(arriver: Arriver, action: ServerAction<ArrivalCheckIn>) -> impl IntoView {
    match arriver {
        Arriver::Account { name, email, phone } => view! {
            <p class="lead" data-testid="arriving-as">
                "You: "<strong>{name}</strong>" · "{email}
                {phone.clone().map(|p| view! { " · "{p} })}
            </p>
            {phone.is_none().then(|| view! { <PhoneField action value=String::new()/> })}
        }
        .into_any(),
        Arriver::Unconfirmed { name, email } => view! {
            <p class="alert alert-info" role="status" data-testid="arrival-unconfirmed">
                {format!("{email} is not confirmed yet, so this checks you in as a guest. Follow the link we e-mailed you, and next time it takes one tap.")}
            </p>
            <GuestFields action name email/>
        }
        .into_any(),
        Arriver::Staff => view! {
            <p class="alert alert-info" role="status">"You are logged in as staff: this checks in a guest. Type their details."</p>
            <GuestFields action name=String::new() email=String::new()/>
        }
        .into_any(),
        Arriver::Guest => view! { <GuestFields action name=String::new() email=String::new()/> }.into_any(),
    }
}

#[component]
fn GuestFields(action: ServerAction<ArrivalCheckIn>, name: String, email: String) -> impl IntoView {
    view! {
        <label for="name">"Your full name"</label>
        <input id="name" name="name" autocomplete="name" required maxlength="100" value=name aria-describedby="name-error"/>
        <FieldMessage value=action.value() field="name"/>
        <label for="email">"E-mail"</label>
        <input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value=email aria-describedby="email-error"/>
        <FieldMessage value=action.value() field="email"/>
        <PhoneField action value=String::new()/>
    }
}

#[component]
fn PhoneField(action: ServerAction<ArrivalCheckIn>, value: String) -> impl IntoView {
    view! {
        <label for="phone">"Mobile number"</label>
        <input id="phone" name="phone" type="tel" autocomplete="tel" inputmode="tel" required maxlength="40" value=value aria-describedby="phone-hint phone-error"/>
        <p class="muted field-hint" id="phone-hint">"From another country? Start with + and its code, like +44."</p>
        <FieldMessage value=action.value() field="phone"/>
    }
}

/// Finding the host: a search form of its own (Find reloads the page with what it
/// found, without JS) whose radio buttons belong to the check-in form below. With
/// JS the list follows the typing and Find goes away.
#[island]
fn HostSearch(
    location_id: i32,
    code: String,
    search: String,
    hosts: Vec<HostChoice>,
    chosen: Option<i32>,
    find: String,
) -> impl IntoView {
    let hydrated = use_hydrated();
    let typed = RwSignal::new(search);
    let found = RwSignal::new(hosts);
    let on_input = move |ev| {
        let text = event_target_value(&ev);
        typed.set(text.clone());
        let code = code.clone();
        leptos::task::spawn_local(async move {
            let list = arrival_hosts(location_id, code, text.clone()).await;
            // An answer to an older keystroke is dropped.
            if typed.get_untracked() == text {
                if let Ok(list) = list {
                    found.set(list);
                }
            }
        });
    };
    let hint = move || {
        let text = typed.get();
        let letters = text.trim().chars().count();
        match (found.with(Vec::is_empty), letters) {
            (true, n) if n < 2 => Some("Type at least 2 letters of their name.".to_string()),
            (true, _) => Some(format!(
                "Nobody here matches \u{201c}{}\u{201d}. Check the spelling, or ask at the desk.",
                text.trim()
            )),
            (false, _) => None,
        }
    };
    view! {
        <form method="get" action=find class="form host-search" role="search">
            <label for="search">"Who are you visiting?"</label>
            <div class="search-row">
                <input id="search" name="search" type="search" autocomplete="off" maxlength="100"
                    placeholder="Their name" value=typed.get_untracked()
                    on:input=on_input
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        // With JS the list is already there: Enter must not reload.
                        if ev.key() == "Enter" { ev.prevent_default(); }
                    }/>
                <Show when=move || !hydrated.get()>
                    <button type="submit" class="button button-quiet">"Find"</button>
                </Show>
            </div>
            <p class="muted" data-testid="host-hint" aria-live="polite">{hint}</p>
            <ul class="host-list" data-testid="host-list">
                <For each=move || found.get() key=|h| h.id let:host>
                    <li>
                        <label class="host-option">
                            <input type="radio" name="host_id" value=host.id form=FORM_ID
                                checked={chosen == Some(host.id)} required/>
                            <span>{host.name}</span>
                        </label>
                    </li>
                </For>
            </ul>
        </form>
    }
}
