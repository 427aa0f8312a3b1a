use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::components::live::{use_live, LiveIndicator};
use crate::dashboard::{visit_details, CheckOutVisit, VisitEntry};
use crate::error::{FormError, PageError};

/// An entry's details: the page the host's e-mail and SMS link to.
#[component]
pub fn VisitPage() -> impl IntoView {
    let params = use_params_map();
    let check_out = ServerAction::<CheckOutVisit>::new();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i32>().ok())
    };
    let live = use_live();
    let details = Resource::new(
        move || (id(), check_out.version().get(), live.changes.get()),
        |(id, _, _)| async move {
            match id {
                Some(id) => visit_details(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Title text="Visit"/>
        <LiveIndicator live/>
        {move || check_out.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
        <Transition fallback=|| view! { <p class="muted">"Loading the visit…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <PageError errors/> }>
                {move || Suspend::new(async move {
                    details.await.map(|visit| view! { <Details visit check_out/> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn Details(visit: VisitEntry, check_out: ServerAction<CheckOutVisit>) -> impl IntoView {
    let row = visit.row;
    view! {
        <h1>{row.guest_name.clone()}</h1>
        <dl class="facts" data-testid="visit">
            <dt>"Email"</dt><dd>{visit.email}</dd>
            <dt>"Phone"</dt><dd>{visit.phone}</dd>
            <dt>"Checked in"</dt><dd>{row.checked_in_at}</dd>
            <dt>"Checked out"</dt>
            <dd>{row.checked_out_at.unwrap_or_else(|| "still here".into())}</dd>
            {visit.checked_out_by.map(|by| view! { <dt>"Checked out by"</dt><dd>{by}</dd> })}
        </dl>
        {row.running.then(|| view! {
            <ActionForm action=check_out>
                <input type="hidden" name="id" value=row.id/>
                <button type="submit" class="button">"Check out"</button>
            </ActionForm>
        })}
        <h2>"Messages"</h2>
        <table class="table" data-testid="deliveries">
            <thead><tr><th>"Channel"</th><th>"To"</th><th>"Status"</th><th>"Last error"</th></tr></thead>
            <tbody>
                {visit.deliveries.into_iter().map(|d| view! {
                    <tr>
                        <td>{d.channel}</td>
                        <td>{d.recipient}</td>
                        <td data-testid="delivery-status">{d.status}</td>
                        <td>{d.last_error.unwrap_or_default()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
