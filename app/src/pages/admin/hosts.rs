use leptos::prelude::*;
use leptos_meta::Title;

use super::{AdminNav, LocationSelect};
use crate::components::form::FieldMessage;
use crate::error::{ErrorTemplate, FormError};
use crate::server_fns::admin::hosts::{admin_hosts, AdminAddHost, AdminSetHostActive};
use crate::types::HostRow;

#[component]
pub fn AdminHosts() -> impl IntoView {
    let add = ServerAction::<AdminAddHost>::new();
    let toggle = ServerAction::<AdminSetHostActive>::new();
    let hosts = Resource::new(|| (), |_| admin_hosts());
    view! {
        <Title text="Hosts"/>
        <h1>"Hosts"</h1>
        <AdminNav/>
        // The original app's floating "add host" button: a link to the form below.
        <a href="#add-host" class="fab" aria-label="Add a host">"+"</a>
        {move || toggle.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorTemplate errors/> }>
                {move || Suspend::new(async move {
                    hosts.await.map(|rows| view! { <HostTable rows toggle/> })
                })}
            </ErrorBoundary>
        </Suspense>
        <h2 id="add-host" tabindex="-1">"Add a host"</h2>
        {move || add.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
        <ActionForm action=add attr:class="form" attr:data-testid="add-host">
            <label for="host-name">"Name"</label>
            <input id="host-name" name="name" autocomplete="off" required aria-describedby="name-error"/>
            <FieldMessage value=add.value() field="name"/>
            <label for="host-email">"E-mail"</label>
            <input id="host-email" name="email" type="email" autocomplete="off" required aria-describedby="email-error"/>
            <FieldMessage value=add.value() field="email"/>
            <label for="host-phone">"Mobile number (for SMS)"</label>
            <input id="host-phone" name="phone" type="tel" autocomplete="off" required aria-describedby="phone-error"/>
            <FieldMessage value=add.value() field="phone"/>
            <LocationSelect id="host-location"/>
            <FieldMessage value=add.value() field="location_id"/>
            <button type="submit" class="button">"Add host"</button>
        </ActionForm>
    }
}

#[component]
fn HostTable(rows: Vec<HostRow>, toggle: ServerAction<AdminSetHostActive>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">"No hosts yet: add the first one below."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="hosts">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"E-mail"</th>
                        <th scope="col">"Phone"</th>
                        <th scope="col">"Location"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|h| {
                        let (status, label, next) = match (h.active, h.pending) {
                            (true, _) => ("active", "Deactivate", false),
                            (false, true) => ("waiting for approval", "Approve", true),
                            (false, false) => ("deactivated", "Activate", true),
                        };
                        view! {
                            <tr>
                                <td>{h.name}</td>
                                <td>{h.email}</td>
                                <td>{h.phone}</td>
                                <td>{h.location_name}</td>
                                <td>{status}</td>
                                <td>
                                    <ActionForm action=toggle attr:class="inline-form">
                                        <input type="hidden" name="id" value=h.id/>
                                        <input type="hidden" name="active" value=next.to_string()/>
                                        <button type="submit" class="button button-small">{label}</button>
                                    </ActionForm>
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
