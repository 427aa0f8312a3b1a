use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use leptos::server_fn::ServerFn;

use crate::components::live::{use_live_data, LiveIndicator};
use crate::error::{AppError, FormError};
use crate::server_fns::dashboard::CheckOutVisit;
use crate::server_fns::visit::visit_details;
use crate::types::VisitEntry;

/// An entry's details: the page the host's e-mail and SMS link to.
#[component]
pub fn VisitPage() -> impl IntoView {
    let params = use_params_map();
    // Without JS a refused check-out comes back in the URL.
    let check_out = ServerAction::<CheckOutVisit>::new();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i32>().ok())
    };
    let details = Resource::new(id, |id| async move {
        match id {
            Some(id) => visit_details(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Title text="Visit"/>
        {move || check_out.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
        <Suspense fallback=|| view! { <p class="muted">"Loading the visit…"</p> }>
            {move || Suspend::new(async move {
                let first = details.await;
                match id() {
                    Some(id) => view! { <LiveVisit id first/> }.into_any(),
                    None => view! { <h1>"Not available"</h1><FormError error=AppError::NotFound/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[island]
fn LiveVisit(id: i32, first: Result<VisitEntry, AppError>) -> impl IntoView {
    let (live, visit) = use_live_data(first, move || visit_details(id));
    view! {
        <LiveIndicator live/>
        {move || match visit.get() {
            Ok(visit) => Either::Left(view! { <Details visit/> }),
            // Every page has one heading, also when its data is missing.
            Err(error) => Either::Right(view! { <h1>"Not available"</h1><FormError error/> }),
        }}
    }
}

#[component]
fn Details(visit: VisitEntry) -> impl IntoView {
    let row = visit.row;
    view! {
        <h1>{row.guest_name.clone()}</h1>
        <dl class="facts" data-testid="visit">
            <dt>"Email"</dt><dd>{visit.email}</dd>
            <dt>"Phone"</dt><dd>{if visit.phone.is_empty() { "—".to_string() } else { visit.phone }}</dd>
            <dt>"Checked in"</dt><dd>{row.checked_in_at}</dd>
            <dt>"Checked out"</dt>
            <dd>{row.checked_out_at.unwrap_or_else(|| "still here".into())}</dd>
            {visit.checked_out_by.map(|by| view! { <dt>"Checked out by"</dt><dd>{by}</dd> })}
        </dl>
        {row.running.then(|| view! {
            <form method="post" action=CheckOutVisit::url()>
                <input type="hidden" name="id" value=row.id/>
                <button type="submit" class="button">"Check out"</button>
            </form>
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
