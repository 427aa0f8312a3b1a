use leptos::prelude::*;
use leptos_meta::Title;

use super::{AdminNav, LocationSelect};
use crate::components::form::FieldMessage;
use crate::error::{ErrorTemplate, FormError};
use crate::server_fns::admin::hosts::{
    admin_hosts, AdminAddHost, AdminResendInvitation, AdminSetHostActive,
};
use crate::types::{HostRow, HostStatus};

#[component]
pub fn AdminHosts() -> impl IntoView {
    let add = ServerAction::<AdminAddHost>::new();
    let toggle = ServerAction::<AdminSetHostActive>::new();
    let invite = ServerAction::<AdminResendInvitation>::new();
    let query = leptos_router::hooks::use_query_map();
    let hosts = Resource::new(
        move || {
            (
                add.version().get(),
                toggle.version().get(),
                invite.version().get(),
            )
        },
        |_| admin_hosts(),
    );
    view! {
        <Title text="Hosts"/>
        <h1>"Hosts"</h1>
        <AdminNav/>
        // The original app's floating "add host" button: a link to the form below.
        <a href="#add-host" class="fab" aria-label="Add a host">"+"</a>
        {move || toggle.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
        {move || invite.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
        <Show when=move || query.read().get("invited").is_some()>
            <div class="alert alert-ok" role="status" data-testid="invited-again">"Invitation sent again; the earlier link no longer works."</div>
        </Show>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorTemplate errors/> }>
                {move || Suspend::new(async move {
                    hosts.await.map(|rows| view! { <HostTable rows toggle invite/> })
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
fn HostTable(
    rows: Vec<HostRow>,
    toggle: ServerAction<AdminSetHostActive>,
    invite: ServerAction<AdminResendInvitation>,
) -> impl IntoView {
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
                        let id = h.id;
                        view! {
                            <tr data-testid=format!("host-{id}")>
                                <td>{h.name}</td>
                                <td>{h.email}</td>
                                <td>{h.phone}</td>
                                <td>{h.location_name}</td>
                                <td data-testid="host-status">{h.status.label()}</td>
                                <td class="actions">
                                    {match h.status {
                                        HostStatus::Pending => view! { <Decide id action=toggle/> }.into_any(),
                                        status => {
                                            let (label, next) = match status {
                                                HostStatus::Deactivated => ("Activate", true),
                                                _ => ("Deactivate", false),
                                            };
                                            view! {
                                                {(status == HostStatus::Invited).then(|| view! {
                                                    <ActionForm action=invite attr:class="inline-form">
                                                        <input type="hidden" name="id" value=id/>
                                                        <button type="submit" class="button button-small button-quiet">"Send invitation again"</button>
                                                    </ActionForm>
                                                })}
                                                <ActionForm action=toggle attr:class="inline-form">
                                                    <input type="hidden" name="id" value=id/>
                                                    <input type="hidden" name="active" value=next.to_string()/>
                                                    <button type="submit" class="button button-small">{label}</button>
                                                </ActionForm>
                                            }.into_any()
                                        }
                                    }}
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

/// Approve, or reject with an optional reason: the host is e-mailed either way.
#[component]
pub(crate) fn Decide(id: i32, action: ServerAction<AdminSetHostActive>) -> impl IntoView {
    view! {
        <ActionForm action attr:class="inline-form">
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="active" value="true"/>
            <button type="submit" class="button button-small">"Approve"</button>
        </ActionForm>
        <ActionForm action attr:class="inline-form">
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="active" value="false"/>
            <label class="visually-hidden" for=format!("reason-{id}")>"Reason for rejecting (optional, told to the host)"</label>
            <input id=format!("reason-{id}") name="reason" maxlength="500" placeholder="Reason (optional)"/>
            <button type="submit" class="button button-small button-danger">"Reject"</button>
        </ActionForm>
    }
}
