use leptos::prelude::*;
use leptos_meta::Title;

use super::{AdminNav, LocationSelect};
use crate::admin::{admin_kiosks, AdminAddKiosk, AdminRevokeKiosk, KioskRow};
use crate::components::form::FieldMessage;
use crate::error::{ErrorTemplate, FormError};

#[component]
pub fn AdminKiosks() -> impl IntoView {
    let add = ServerAction::<AdminAddKiosk>::new();
    let revoke = ServerAction::<AdminRevokeKiosk>::new();
    let kiosks = Resource::new(
        move || (add.version().get(), revoke.version().get()),
        |_| admin_kiosks(),
    );
    view! {
        <Title text="Kiosks"/>
        <h1>"Kiosks"</h1>
        <AdminNav/>
        <p class="lead">
            "A kiosk is a lobby tablet paired with one location. Pair one by opening "
            <code>"/kiosk/pair"</code>" on the tablet and typing the code, or by opening the link."
        </p>
        {move || add.value().get().and_then(Result::ok).map(|code| view! {
            <div class="alert alert-ok" role="status" data-testid="pairing-code">
                <strong class="alert-title">{format!("Pairing code for {}", code.kiosk_name)}</strong>
                <p class="pairing-code" data-testid="code">{code.code.clone()}</p>
                <p>"Or open this link on the tablet: "<a href=code.link.clone() data-testid="pairing-link">{code.link.clone()}</a></p>
                <p class="muted">"The code works once, for 24 hours, and is not shown again."</p>
            </div>
        })}
        {move || revoke.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorTemplate errors/> }>
                {move || Suspend::new(async move {
                    kiosks.await.map(|rows| view! { <KioskTable rows revoke/> })
                })}
            </ErrorBoundary>
        </Suspense>
        <h2>"Pair a new kiosk"</h2>
        {move || add.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
        <ActionForm action=add attr:class="form" attr:data-testid="add-kiosk">
            <label for="kiosk-name">"Name (where the tablet stands)"</label>
            <input id="kiosk-name" name="name" required placeholder="Main entrance" aria-describedby="name-error"/>
            <FieldMessage value=add.value() field="name"/>
            <LocationSelect id="kiosk-location"/>
            <FieldMessage value=add.value() field="location_id"/>
            <button type="submit" class="button">"Create pairing code"</button>
        </ActionForm>
    }
}

#[component]
fn KioskTable(rows: Vec<KioskRow>, revoke: ServerAction<AdminRevokeKiosk>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">"No kiosks yet."</p> }.into_any();
    }
    view! {
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
                                        <ActionForm action=revoke attr:class="inline-form">
                                            <input type="hidden" name="id" value=k.id/>
                                            <button type="submit" class="button button-small button-danger">"Revoke"</button>
                                        </ActionForm>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
