use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::{location_options, AdminNav};
use crate::components::live::{use_live_data, LiveHeading};
use crate::error::{AppError, FormError};
use crate::pages::dashboard::VisitTable;
use crate::server_fns::admin::entries::{admin_entries, admin_on_site};
use crate::server_fns::admin::hosts::admin_hosts;
use crate::server_fns::admin::locations::admin_locations;
use crate::server_fns::dashboard::CheckOutVisit;
use crate::types::{EntryQuery, HostRow, LocationRow, OnSite, VisitRow};

/// The log of all entries, filtered by a GET form (so filters live in the URL and
/// the CSV link carries the same ones).
#[component]
pub fn AdminEntries() -> impl IntoView {
    let query_map = use_query_map();
    let query = move || {
        let q = query_map.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        EntryQuery {
            location_id: get("location_id"),
            host_id: get("host_id"),
            from: get("from"),
            to: get("to"),
            status: get("status"),
        }
    };
    // Without JS a refused check-out comes back in the URL.
    let check_out = ServerAction::<CheckOutVisit>::new();
    let entries = Resource::new(query, admin_entries);
    let locations = Resource::new(|| (), |_| admin_locations());
    let hosts = Resource::new(|| (), |_| admin_hosts());
    view! {
        <Title text="Entries"/>
        <Suspense fallback=|| view! { <p class="muted">"Loading entries…"</p> }>
            {move || Suspend::new(async move {
                let (first, locations, hosts) = (entries.await, locations.await, hosts.await);
                view! {
                    <LiveEntries query=query() first>
                        <AdminNav/>
                        <EntryFilters
                            query=query()
                            locations=locations.unwrap_or_default()
                            hosts=hosts.unwrap_or_default()
                        />
                        {move || check_out.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
                    </LiveEntries>
                }
            })}
        </Suspense>
    }
}

#[component]
fn EntryFilters(
    query: EntryQuery,
    locations: Vec<LocationRow>,
    hosts: Vec<HostRow>,
) -> impl IntoView {
    let csv_link = format!("/api/v1/visits.csv?{}", query.to_query_string());
    let status = query.status.clone();
    view! {
        <Form method="GET" action="/admin/entries" attr:class="filters" attr:data-testid="entry-filters">
            <div>
                <label for="f-location">"Location"</label>
                <select id="f-location" name="location_id">
                    {location_options(locations, "Any location", query.location_id)}
                </select>
            </div>
            <div>
                <label for="f-host">"Host"</label>
                <select id="f-host" name="host_id">
                    <option value="">"Any host"</option>
                    {hosts.into_iter().map(|h| {
                        let is_selected = h.id.to_string() == query.host_id;
                        view! { <option value=h.id selected=is_selected>{h.name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label for="f-from">"From"</label>
                <input id="f-from" name="from" type="date" value=query.from/>
            </div>
            <div>
                <label for="f-to">"To"</label>
                <input id="f-to" name="to" type="date" value=query.to/>
            </div>
            <div>
                <label for="f-status">"Status"</label>
                <select id="f-status" name="status">
                    <option value="" selected={status.is_empty()}>"Running and past"</option>
                    <option value="running" selected={status == "running"}>"Running"</option>
                    <option value="past" selected={status == "past"}>"Past"</option>
                </select>
            </div>
            <div class="filters-actions">
                <button type="submit" class="button">"Filter"</button>
                <a href=csv_link class="button button-quiet" data-testid="csv-export" download>"Download CSV"</a>
            </div>
        </Form>
    }
}

/// The heading, the page's controls (`children`, rendered by the server) and the
/// entries, re-read on every change.
#[island]
fn LiveEntries(
    query: EntryQuery,
    first: Result<Vec<VisitRow>, AppError>,
    children: Children,
) -> impl IntoView {
    let (live, entries) = use_live_data(first, move || admin_entries(query.clone()));
    view! {
        <LiveHeading title="Entries" live/>
        {children()}
        {move || match entries.get() {
            Ok(rows) => {
                // The page lists at most this many; the CSV has every match.
                let capped = rows.len() >= crate::types::ENTRIES_SHOWN;
                Either::Left(view! {
                    {capped.then(|| view! {
                        <p class="muted" data-testid="entries-capped">
                            {format!("Showing the newest {} entries. Narrow the filters, or download the CSV for all of them.", crate::types::ENTRIES_SHOWN)}
                        </p>
                    })}
                    <VisitTable rows testid="entries" empty="No entries match these filters."/>
                })
            }
            Err(error) => Either::Right(view! { <FormError error/> }),
        }}
    }
}

/// Everyone on site, per location, made to be printed in an evacuation.
#[component]
pub fn AdminOnSite() -> impl IntoView {
    let groups = Resource::new(|| (), |_| admin_on_site());
    view! {
        <Title text="On site now"/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move { view! {
                <LiveOnSite first=groups.await>
                    <div class="no-print">
                        <AdminNav/>
                        <p class="muted">"Print this page (Ctrl+P) for an evacuation roll call."</p>
                    </div>
                </LiveOnSite>
            }})}
        </Suspense>
    }
}

#[island]
fn LiveOnSite(first: Result<Vec<OnSite>, AppError>, children: Children) -> impl IntoView {
    let (live, groups) = use_live_data(first, admin_on_site);
    view! {
        <LiveHeading title="On site now" live/>
        {children()}
        {move || match groups.get() {
            Ok(groups) if groups.is_empty() => EitherOf3::A(view! {
                <p data-testid="nobody-on-site">"No guests are checked in anywhere."</p>
            }),
            Ok(groups) => EitherOf3::B(groups.into_iter().map(|g| view! {
                    <section class="on-site" data-testid="on-site">
                        <h2>{format!("{} — {} on site", g.location_name, g.rows.len())}</h2>
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">"Guest"</th>
                                    <th scope="col">"Host"</th>
                                    <th scope="col">"Checked in"</th>
                                    <th scope="col">"Accounted for"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {g.rows.into_iter().map(|r| view! {
                                    <tr>
                                        <td>{r.guest_name}</td>
                                        <td>{r.host_name}</td>
                                        <td>{r.checked_in_at}</td>
                                        <td class="tick-box"></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </section>
            }).collect_view()),
            Err(error) => EitherOf3::C(view! { <FormError error/> }),
        }}
    }
}
