//! Landing pages after log-in. Each lists what its account may see (issue #5 grows
//! these into the full dashboards).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::dashboard::{my_visits, pending_hosts, ApproveHost, CheckOutVisit, VisitRow};
use crate::error::{ErrorTemplate, FormError};
use crate::mailbox::failed_messages;
use crate::pages::mailbox::MessageList;

#[component]
pub fn HostHome() -> impl IntoView {
    view! { <VisitsPage title="Your visitors"/> }
}

#[component]
pub fn VisitorHome() -> impl IntoView {
    view! { <VisitsPage title="Your visits"/> }
}

#[component]
pub fn AdminHome() -> impl IntoView {
    let approve = ServerAction::<ApproveHost>::new();
    let pending = Resource::new(move || approve.version().get(), |_| pending_hosts());
    let failed = Resource::new(|| (), |_| failed_messages());
    view! {
        <VisitsPage title="All visits"/>
        <p><A href="/dev/mailbox">"Dev mailbox: messages kept instead of sent"</A></p>
        <h2>"Messages that failed"</h2>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorTemplate errors/> }>
                {move || Suspend::new(async move {
                    failed.await.map(|list| {
                        if list.is_empty() {
                            return view! { <p class="muted">"None: every message went out or is still being tried."</p> }.into_any();
                        }
                        view! { <MessageList list testid="failed-messages"/> }.into_any()
                    })
                })}
            </ErrorBoundary>
        </Suspense>
        <h2>"Hosts waiting for approval"</h2>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorTemplate errors/> }>
                {move || Suspend::new(async move {
                    pending.await.map(|list| {
                        if list.is_empty() {
                            return view! { <p class="muted">"Nobody is waiting."</p> }.into_any();
                        }
                        view! {
                            <ul class="plain-list" data-testid="pending-hosts">
                                {list.into_iter().map(|host| view! {
                                    <li>
                                        {format!("{} ({})", host.name, host.email)}
                                        <ActionForm action=approve attr:class="inline-form">
                                            <input type="hidden" name="id" value=host.id/>
                                            <button type="submit" class="button">"Approve"</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn VisitsPage(title: &'static str) -> impl IntoView {
    let check_out = ServerAction::<CheckOutVisit>::new();
    let visits = Resource::new(move || check_out.version().get(), |_| my_visits());
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        {move || check_out.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
        <Suspense fallback=|| view! { <p class="muted">"Loading visits…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorTemplate errors/> }>
                {move || Suspend::new(async move {
                    visits.await.map(|rows| view! { <VisitTable rows check_out/> })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn VisitTable(rows: Vec<VisitRow>, check_out: ServerAction<CheckOutVisit>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted" data-testid="no-visits">"No visits yet."</p> }.into_any();
    }
    view! {
        <table class="table" data-testid="visits">
            <thead><tr><th>"Guest"</th><th>"Checked in"</th><th>"Checked out"</th><th></th></tr></thead>
            <tbody>
                {rows.into_iter().map(|row| view! {
                    <tr>
                        <td><A href=format!("/visits/{}", row.id)>{row.guest_name}</A></td>
                        <td>{row.checked_in_at}</td>
                        <td>{row.checked_out_at.unwrap_or_else(|| "still here".into())}</td>
                        <td>
                            {row.running.then(|| view! {
                                <ActionForm action=check_out attr:class="inline-form">
                                    <input type="hidden" name="id" value=row.id/>
                                    <button type="submit" class="button">"Check out"</button>
                                </ActionForm>
                            })}
                        </td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
