use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::{location_options, AdminNav};
use crate::admin::{admin_entries, admin_hosts, admin_locations, admin_on_site, EntryQuery};
use crate::components::live::{use_live, LiveIndicator};
use crate::dashboard::CheckOutVisit;
use crate::error::{ErrorTemplate, FormError};
use crate::pages::dashboard::VisitTable;

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
    let check_out = ServerAction::<CheckOutVisit>::new();
    let live = use_live();
    let entries = Resource::new(
        move || (query(), check_out.version().get(), live.changes.get()),
        |(q, _, _)| admin_entries(q),
    );
    let locations = Resource::new(|| (), |_| admin_locations());
    let hosts = Resource::new(|| (), |_| admin_hosts());
    let csv_link = move || format!("/api/v1/visits.csv?{}", query().to_query_string());
    view! {
        <Title text="Entries"/>
        <div class="page-head">
            <h1>"Entries"</h1>
            <LiveIndicator live/>
        </div>
        <AdminNav/>
        <Form method="GET" action="/admin/entries" attr:class="filters" attr:data-testid="entry-filters">
            <div>
                <label for="f-location">"Location"</label>
                <Suspense fallback=|| view! { <select id="f-location" name="location_id"><option value="">"Any location"</option></select> }>
                    <select id="f-location" name="location_id">
                        {move || Suspend::new(async move {
                            locations.await.map(|list| location_options(list, "Any location", query().location_id))
                        })}
                    </select>
                </Suspense>
            </div>
            <div>
                <label for="f-host">"Host"</label>
                <Suspense fallback=|| view! { <select id="f-host" name="host_id"><option value="">"Any host"</option></select> }>
                    <select id="f-host" name="host_id">
                        <option value="">"Any host"</option>
                        {move || Suspend::new(async move {
                            let selected = query().host_id;
                            hosts.await.map(|list| list.into_iter().map(|h| {
                                let is_selected = h.id.to_string() == selected;
                                view! { <option value=h.id selected=is_selected>{h.name}</option> }
                            }).collect_view())
                        })}
                    </select>
                </Suspense>
            </div>
            <div>
                <label for="f-from">"From"</label>
                <input id="f-from" name="from" type="date" value=move || query().from/>
            </div>
            <div>
                <label for="f-to">"To"</label>
                <input id="f-to" name="to" type="date" value=move || query().to/>
            </div>
            <div>
                <label for="f-status">"Status"</label>
                <select id="f-status" name="status">
                    <option value="" selected=move || query().status.is_empty()>"Running and past"</option>
                    <option value="running" selected=move || query().status == "running">"Running"</option>
                    <option value="past" selected=move || query().status == "past">"Past"</option>
                </select>
            </div>
            <div class="filters-actions">
                <button type="submit" class="button">"Filter"</button>
                <a href=csv_link class="button button-quiet" data-testid="csv-export" download>"Download CSV"</a>
            </div>
        </Form>
        {move || check_out.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
        <Transition fallback=|| view! { <p class="muted">"Loading entries…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorTemplate errors/> }>
                {move || Suspend::new(async move {
                    entries.await.map(|rows| {
                        // The page lists at most this many; the CSV has every match.
                        let capped = rows.len() >= crate::admin::ENTRIES_SHOWN;
                        view! {
                            {capped.then(|| view! {
                                <p class="muted" data-testid="entries-capped">
                                    {format!("Showing the newest {} entries. Narrow the filters, or download the CSV for all of them.", crate::admin::ENTRIES_SHOWN)}
                                </p>
                            })}
                            <VisitTable rows check_out testid="entries" empty="No entries match these filters."/>
                        }
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// Everyone on site, per location, made to be printed in an evacuation.
#[component]
pub fn AdminOnSite() -> impl IntoView {
    let live = use_live();
    let groups = Resource::new(move || live.changes.get(), |_| admin_on_site());
    view! {
        <Title text="On site now"/>
        <div class="page-head">
            <h1>"On site now"</h1>
            <LiveIndicator live/>
        </div>
        <div class="no-print">
            <AdminNav/>
            <p class="muted">"Print this page (Ctrl+P) for an evacuation roll call."</p>
        </div>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorTemplate errors/> }>
                {move || Suspend::new(async move {
                    groups.await.map(|groups| {
                        if groups.is_empty() {
                            return view! { <p data-testid="nobody-on-site">"No guests are checked in anywhere."</p> }.into_any();
                        }
                        groups.into_iter().map(|g| view! {
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
                        }).collect_view().into_any()
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}
