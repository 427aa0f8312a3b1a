use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::error::{FormError, PageError};
use crate::server_fns::checkout::{guest_visit, GuestCheckOut};
use crate::types::OwnVisit;

/// The guest's self-check-out link: shows the visit, checks it out on the button.
#[component]
pub fn GuestCheckOutPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let action = ServerAction::<GuestCheckOut>::new();
    let visit = Resource::new(token, guest_visit);
    view! {
        <Title text="Check out"/>
        {move || action.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
        <Suspense fallback=|| view! { <p class="muted">"Loading your visit…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <PageError errors/> }>
                {move || Suspend::new(async move {
                    visit.await.map(|visit| view! { <GuestVisitView visit token=token() action/> })
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
    let closed = visit.checked_out_at.clone();
    view! {
        <h1>{format!("Your visit to {}", visit.location_name)}</h1>
        <dl class="facts" data-testid="guest-visit">
            <dt>"Guest"</dt><dd>{visit.guest_name}</dd>
            <dt>"Host"</dt><dd>{visit.host_name}</dd>
            <dt>"Checked in"</dt><dd>{visit.checked_in_at}</dd>
            {closed.clone().map(|at| view! { <dt>"Checked out"</dt><dd>{at}</dd> })}
        </dl>
        {match closed {
            Some(_) => view! {
                <p class="alert alert-ok" role="status" data-testid="visit-closed">
                    "This visit is closed: you are checked out. Thank you for visiting!"
                </p>
            }.into_any(),
            None => view! {
                <ActionForm action attr:class="form" attr:data-testid="guest-check-out">
                    <input type="hidden" name="token" value=token/>
                    <button type="submit" class="button">"Check me out"</button>
                </ActionForm>
            }.into_any(),
        }}
    }
}
