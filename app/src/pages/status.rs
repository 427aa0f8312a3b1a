use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::live::use_reread;
use crate::error::{AppError, FormError};
use crate::server_fns::status::get_status_report;
use crate::types::StatusReport;

#[component]
pub fn StatusPage() -> impl IntoView {
    let report = Resource::new(|| (), |_| get_status_report());
    view! {
        <Title text="System status"/>
        <h1>"System status"</h1>
        <Suspense fallback=|| view! { <p class="muted">"Checking the database…"</p> }>
            {move || Suspend::new(async move { view! { <StatusCheck first=report.await/> } })}
        </Suspense>
    }
}

/// The report, and "check again": a plain reload without JS, a refetch in place with it.
#[island]
fn StatusCheck(first: Result<StatusReport, AppError>) -> impl IntoView {
    let (checks, set_checks) = signal(0u32);
    let report = use_reread(first, move || checks.track(), get_status_report);
    view! {
        {move || match report.get() {
            Ok(report) => Either::Left(view! { <StatusDetails report/> }),
            Err(error) => Either::Right(view! { <FormError error/> }),
        }}
        <form
            method="get"
            action="/status"
            on:submit=move |ev| {
                ev.prevent_default();
                set_checks.update(|n| *n += 1);
            }
        >
            <button type="submit" class="button">"Check again"</button>
        </form>
    }
}

#[component]
fn StatusDetails(report: StatusReport) -> impl IntoView {
    let latest = report
        .latest_migration
        .unwrap_or_else(|| "none applied".to_string());
    view! {
        <div class="status-card" data-testid="status-report">
            <p class="status-ok"><span class="dot" aria-hidden="true"></span>"Database answering"</p>
            <dl class="facts">
                <dt>"Database"</dt>
                <dd data-testid="database">{report.database}</dd>
                <dt>"Migrations applied"</dt>
                <dd data-testid="migrations-applied">{report.migrations_applied}</dd>
                <dt>"Latest migration"</dt>
                <dd>{latest}</dd>
                <dt>"Checked at"</dt>
                <dd data-testid="checked-at">{report.checked_at}</dd>
            </dl>
        </div>
    }
}
