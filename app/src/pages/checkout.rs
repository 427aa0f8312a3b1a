use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::error::{FormError, PageError};
use crate::server_fns::checkout::{guest_visit, GuestCheckOut};
use crate::types::{GuestLink, OwnVisit};

/// The guest's self-check-out link: shows the running visit and checks it out on
/// the button; afterwards (`?done=1`) thanks them, and otherwise says it expired.
#[component]
pub fn GuestCheckOutPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let done = move || query.read().get("done").is_some();
    // Just checked in on one's own phone: this page is the receipt.
    let arrived = move || query.read().get("arrived").is_some();
    let action = ServerAction::<GuestCheckOut>::new();
    let visit = Resource::new(token, guest_visit);
    view! {
        <Title text="Check out"/>
        {move || action.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
        <Suspense fallback=|| view! { <p class="muted">"Loading your visit…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <PageError errors/> }>
                {move || Suspend::new(async move {
                    visit.await.map(|link| match link {
                        GuestLink::Open(visit) => {
                            view! {
                                {arrived().then(|| view! { <Arrived host=visit.host_name.clone()/> })}
                                <GuestVisitView visit token=token() action/>
                            }.into_any()
                        }
                        GuestLink::Expired => view! { <LinkExpired done=done()/> }.into_any(),
                    })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn GuestVisitView(
    visit: OwnVisit,
    token: String,
    action: ServerAction<GuestCheckOut>,
) -> impl IntoView {
    view! {
        <h1>{format!("Your visit to {}", visit.location_name)}</h1>
        <dl class="facts" data-testid="guest-visit">
            <dt>"Guest"</dt><dd>{visit.guest_name}</dd>
            <dt>"Host"</dt><dd>{visit.host_name}</dd>
            <dt>"Checked in"</dt><dd>{visit.checked_in_at}</dd>
        </dl>
        <ActionForm action attr:class="form" attr:data-testid="guest-check-out">
            <input type="hidden" name="token" value=token/>
            <button type="submit" class="button">"Check me out"</button>
        </ActionForm>
    }
}

#[component]
fn Arrived(host: String) -> impl IntoView {
    view! {
        <div class="alert alert-ok" role="status" data-testid="arrived">
            <strong class="alert-title">"You are checked in."</strong>
            <p class="alert-message">{format!("{host} knows you are here and will meet you shortly. Keep this page: its button checks you out when you leave.")}</p>
        </div>
    }
}

/// A used or day-old link shows nothing of the visit.
#[component]
fn LinkExpired(done: bool) -> impl IntoView {
    if done {
        view! {
            <h1>"You are checked out"</h1>
            <p class="alert alert-ok" role="status" data-testid="visit-closed">
                "This visit is closed: you are checked out. Thank you for visiting!"
            </p>
        }
        .into_any()
    } else {
        view! {
            <h1>"This link has expired"</h1>
            <p class="alert alert-info" role="status" data-testid="link-expired">
                "This check-out link has expired: the visit is already closed, or more than a day old. If you are still here, check out at the kiosk or the front desk."
            </p>
        }
        .into_any()
    }
}
