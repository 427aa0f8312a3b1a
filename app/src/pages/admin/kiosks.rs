use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use leptos::server_fn::ServerFn;

use super::{location_options, AdminNav};
use crate::components::form::FieldMessage;
use crate::components::live::use_reread;
use crate::error::{AppError, FormError};
use crate::server_fns::admin::kiosks::{admin_kiosks, AdminAddKiosk, AdminRevokeKiosk};
use crate::server_fns::admin::locations::admin_locations;
use crate::types::{KioskRow, LocationRow};

#[component]
pub fn AdminKiosks() -> impl IntoView {
    // Without JS a refused revoke comes back in the URL.
    let revoke = ServerAction::<AdminRevokeKiosk>::new();
    let kiosks = Resource::new(|| (), |_| admin_kiosks());
    let locations = Resource::new(|| (), |_| admin_locations());
    view! {
        <Title text="Kiosks"/>
        <h1>"Kiosks"</h1>
        <AdminNav/>
        <p class="lead">
            "A kiosk is a lobby tablet paired with one location. Pair one by opening "
            <code>"/kiosk/pair"</code>" on the tablet and typing the code, or by opening the link."
        </p>
        {move || revoke.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let first = kiosks.await;
                let locations = locations.await.unwrap_or_default();
                view! { <KioskConsole first locations/> }
            })}
        </Suspense>
    }
}

/// The kiosks and the form that pairs a new one. The pairing code is the add's
/// answer, shown once, so this part needs JS (an island); the list is read again
/// after each new code.
#[island]
fn KioskConsole(
    first: Result<Vec<KioskRow>, AppError>,
    locations: Vec<LocationRow>,
) -> impl IntoView {
    let add = ServerAction::<AdminAddKiosk>::new();
    let kiosks = use_reread(first, move || add.version().track(), admin_kiosks);
    view! {
        {move || add.value().get().and_then(Result::ok).map(|code| view! {
            <div class="alert alert-ok" role="status" data-testid="pairing-code">
                <strong class="alert-title">{format!("Pairing code for {}", code.kiosk_name)}</strong>
                <p class="pairing-code" data-testid="code">{code.code.clone()}</p>
                <p>"Or open this link on the tablet: "<a href=code.link.clone() data-testid="pairing-link">{code.link.clone()}</a></p>
                <p class="muted">"The code works once, for 24 hours, and is not shown again."</p>
            </div>
        })}
        {move || match kiosks.get() {
            Ok(rows) => Either::Left(view! { <KioskTable rows/> }),
            Err(error) => Either::Right(view! { <FormError error/> }),
        }}
        <h2>"Pair a new kiosk"</h2>
        {move || add.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
        <ActionForm action=add attr:class="form" attr:data-testid="add-kiosk">
            <label for="kiosk-name">"Name (where the tablet stands)"</label>
            <input id="kiosk-name" name="name" required placeholder="Main entrance" aria-describedby="name-error"/>
            <FieldMessage value=add.value() field="name"/>
            <label for="kiosk-location">"Location"</label>
            <select id="kiosk-location" name="location_id" required aria-describedby="location_id-error">
                {location_options(locations, "Pick a location", String::new())}
            </select>
            <FieldMessage value=add.value() field="location_id"/>
            <button type="submit" class="button">"Create pairing code"</button>
        </ActionForm>
    }
}

#[component]
fn KioskTable(rows: Vec<KioskRow>) -> impl IntoView {
    if rows.is_empty() {
        return Either::Left(view! { <p class="muted">"No kiosks yet."</p> });
    }
    Either::Right(view! {
        <div class="table-wrap">
            <table class="table" data-testid="kiosks">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Location"</th>
                        <th scope="col">"State"</th>
                        <th scope="col">"Last seen"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|k| {
                        let revoked = k.state == "revoked";
                        view! {
                            <tr>
                                <td>{k.name}</td>
                                <td>{k.location_name}</td>
                                <td>{k.state}</td>
                                <td>{k.last_seen.unwrap_or_else(|| "never".into())}</td>
                                <td>
                                    {(!revoked).then(|| view! {
                                        <form method="post" action=AdminRevokeKiosk::url() class="inline-form">
                                            <input type="hidden" name="id" value=k.id/>
                                            <button type="submit" class="button button-small button-danger">"Revoke"</button>
                                        </form>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    })
}
