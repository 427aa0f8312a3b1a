//! The host's and the visitor's dashboards, and the admin console's front page.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use leptos::server_fn::ServerFn;

use crate::components::live::{use_live_data, LiveHeading};
use crate::error::{AppError, ErrorTemplate, FormError};
use crate::pages::admin::{AdminNav, Decide};
use crate::pages::mailbox::MessageList;
use crate::server_fns::admin::hosts::AdminSetHostActive;
use crate::server_fns::dashboard::{my_visits, pending_hosts, visitor_overview, CheckOutVisit};
use crate::server_fns::mailbox::failed_messages;
use crate::types::{DayCount, VisitRow};

/// Running entries first (who is waiting for me, since when), then past ones.
#[component]
pub fn HostHome() -> impl IntoView {
    // Without JS a refused check-out comes back in the URL.
    let check_out = ServerAction::<CheckOutVisit>::new();
    let visits = Resource::new(|| (), |_| my_visits());
    view! {
        <Title text="Your visitors"/>
        {move || check_out.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
        <Suspense fallback=|| view! { <p class="muted">"Loading visits…"</p> }>
            {move || Suspend::new(async move { view! { <HostVisits first=visits.await/> } })}
        </Suspense>
    }
}

#[island]
fn HostVisits(first: Result<Vec<VisitRow>, AppError>) -> impl IntoView {
    let (live, visits) = use_live_data(first, my_visits);
    view! {
        <LiveHeading title="Your visitors" live/>
        {move || match visits.get() {
            Ok(rows) => Either::Left(view! { <RunningAndPast rows/> }),
            Err(error) => Either::Right(view! { <FormError error/> }),
        }}
    }
}

#[component]
fn RunningAndPast(rows: Vec<VisitRow>) -> impl IntoView {
    let (running, past): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.running);
    let here = running.len();
    view! {
        <p class="counter" data-testid="here-now">
            {match here {
                0 => "Nobody is waiting for you.".to_string(),
                1 => "1 guest is here for you.".to_string(),
                n => format!("{n} guests are here for you."),
            }}
        </p>
        <h2>"Here now"</h2>
        <VisitTable rows=running testid="running-entries" empty="Nobody is here for you right now."/>
        <h2>"Past entries"</h2>
        <VisitTable rows=past testid="past-entries" empty="No past visits yet."/>
    }
}

#[component]
pub fn VisitorHome() -> impl IntoView {
    let check_out = ServerAction::<CheckOutVisit>::new();
    let visits = Resource::new(|| (), |_| my_visits());
    let overview = Resource::new(|| (), |_| visitor_overview());
    view! {
        <Title text="Your visits"/>
        <h1>"Your visits"</h1>
        {move || check_out.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
        <Suspense fallback=|| view! { <p class="muted">"Loading visits…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorTemplate errors/> }>
                {move || Suspend::new(async move {
                    visits.await.map(|rows| {
                        let (running, past): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.running);
                        view! {
                            <h2>"Here now"</h2>
                            <VisitTable rows=running testid="running-visits" empty="You are not checked in anywhere."/>
                            <h2>"Past visits"</h2>
                            <VisitTable rows=past testid="visits" empty="No past visits yet."/>
                        }
                    })
                })}
            </ErrorBoundary>
        </Suspense>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorTemplate errors/> }>
                {move || Suspend::new(async move {
                    overview.await.map(|o| view! {
                        <section class="split">
                            <div>
                                <h2>"Your week"</h2>
                                <WeekChart week=o.week/>
                            </div>
                            <div>
                                <h2>"Hosts you can visit"</h2>
                                {if o.hosts.is_empty() {
                                    view! { <p class="muted">"Hosts appear here after your first visit to a location."</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="plain-list" data-testid="available-hosts">
                                            {o.hosts.into_iter().map(|h| view! {
                                                <li>
                                                    {h.name}" · "<span class="muted">{h.location_name}</span>" "
                                                    <a class="button button-small button-quiet" href=format!("/arrive/{}?host={}", h.location_id, h.id)>"Check in again"</a>
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                        <p class="muted">"Checking in again asks for the code on the poster in the lobby: it shows you are there."</p>
                                    }.into_any()
                                }}
                            </div>
                        </section>
                    })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

/// Visits per day as a bar chart drawn on the server: readable without JS.
#[component]
fn WeekChart(week: Vec<DayCount>) -> impl IntoView {
    const BAR: u32 = 44;
    const HEIGHT: u32 = 120;
    let max = week.iter().map(|d| d.count).max().unwrap_or(0).max(1);
    let total: u32 = week.iter().map(|d| d.count).sum();
    let summary = format!(
        "Visits over the past week: {}",
        week.iter()
            .map(|d| format!("{} {}", d.label, d.count))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let width = BAR * week.len() as u32;
    view! {
        <figure class="chart" data-testid="week-chart">
            <svg viewBox=format!("0 0 {width} {}", HEIGHT + 34) role="img" aria-label=summary>
                {week.into_iter().enumerate().map(|(i, day)| {
                    let h = day.count * (HEIGHT - 16) / max;
                    let x = i as u32 * BAR;
                    view! {
                        <g>
                            <rect class="chart-bar" x=x + 8 y=HEIGHT - h width=BAR - 16 height=h rx="3"/>
                            <text class="chart-count" x=x + BAR / 2 y=HEIGHT - h - 4 text-anchor="middle">{day.count}</text>
                            <text class="chart-label" x=x + BAR / 2 y=HEIGHT + 20 text-anchor="middle">{day.label}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption class="muted">{match total { 1 => "1 visit in the past 7 days".to_string(), n => format!("{n} visits in the past 7 days") }}</figcaption>
        </figure>
    }
}

#[component]
pub fn AdminHome() -> impl IntoView {
    let approve = ServerAction::<AdminSetHostActive>::new();
    let pending = Resource::new(|| (), |_| pending_hosts());
    let failed = Resource::new(|| (), |_| failed_messages());
    view! {
        <Title text="Admin console"/>
        <h1>"Admin console"</h1>
        <AdminNav/>
        <Welcome/>
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
                                        <Decide id=host.id action=approve/>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    })
                })}
            </ErrorBoundary>
        </Suspense>
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
        <p><A href="/dev/mailbox">"Dev mailbox: messages kept instead of sent"</A></p>
    }
}

/// Visits as a table; running ones get a check-out button (a plain form: see
/// `components::enhance`). Used inside islands, so links are plain `<a>`s.
#[component]
pub fn VisitTable(rows: Vec<VisitRow>, testid: &'static str, empty: &'static str) -> impl IntoView {
    if rows.is_empty() {
        return Either::Left(
            view! { <p class="muted" data-testid=format!("{testid}-empty")>{empty}</p> },
        );
    }
    Either::Right(view! {
        <div class="table-wrap">
            <table class="table" data-testid=testid>
                <thead>
                    <tr>
                        <th scope="col">"Guest"</th>
                        <th scope="col">"Host"</th>
                        <th scope="col">"Location"</th>
                        <th scope="col">"Checked in"</th>
                        <th scope="col">"Checked out"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| view! {
                        <tr>
                            <td><a href=format!("/visits/{}", row.id)>{row.guest_name}</a></td>
                            <td>{row.host_name}</td>
                            <td>{row.location_name}</td>
                            <td>{row.checked_in_at}</td>
                            <td>{row.checked_out_at.unwrap_or_else(|| "still here".into())}</td>
                            <td>
                                {row.running.then(|| view! {
                                    <form method="post" action=CheckOutVisit::url() class="inline-form">
                                        <input type="hidden" name="id" value=row.id/>
                                        <button type="submit" class="button button-small">"Check out"</button>
                                    </form>
                                })}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    })
}

/// After the first-run setup (`/admin?welcome=1`): what to do next.
#[component]
fn Welcome() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let welcome = move || query.read().get("welcome").is_some();
    view! {
        <Show when=welcome>
            <section class="alert alert-ok" role="status" data-testid="next-steps">
                <strong class="alert-title">"Frontdesk is set up. Next steps:"</strong>
                <ol>
                    <li><a href="/admin/hosts">"Add your hosts"</a>" (the people guests come to see)."</li>
                    <li><a href="/admin/kiosks">"Pair a kiosk"</a>": open /kiosk/pair on the lobby tablet and type the code."</li>
                    <li>"Until e-mail and SMS are configured (README), messages wait in the "<a href="/dev/mailbox">"dev mailbox"</a>"."</li>
                </ol>
            </section>
        </Show>
    }
}
