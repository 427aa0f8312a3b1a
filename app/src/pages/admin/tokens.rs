use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use super::AdminNav;
use crate::error::{ErrorTemplate, FormError};
use crate::server_fns::admin::tokens::{admin_tokens, AdminRevokeToken};
use crate::types::TokenRow;

/// The API tokens integrations use, and revoking one. No secret is ever shown:
/// a token is printed once, by `frontdesk token create`, and only its hash is kept.
#[component]
pub fn AdminTokens() -> impl IntoView {
    // Without JS a refused revoke comes back in the URL.
    let revoke = ServerAction::<AdminRevokeToken>::new();
    let tokens = Resource::new(|| (), |_| admin_tokens());
    view! {
        <Title text="API tokens"/>
        <h1>"API tokens"</h1>
        <AdminNav/>
        <p class="lead">
            "Integrations call the JSON API with a token, with an admin's rights. Tokens are made "
            "on the server's command line only. Create one with "
            <code>"frontdesk token create --name NAME"</code>
            " (add "<code>"--expires-in DAYS"</code>" to make it expire); it is shown only then."
        </p>
        {move || revoke.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorTemplate errors/> }>
                {move || Suspend::new(async move {
                    tokens.await.map(|rows| view! { <TokenTable rows revoke/> })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn TokenTable(rows: Vec<TokenRow>, revoke: ServerAction<AdminRevokeToken>) -> impl IntoView {
    if rows.is_empty() {
        return Either::Left(view! { <p class="muted">"No API tokens yet."</p> });
    }
    Either::Right(view! {
        <div class="table-wrap">
            <table class="table" data-testid="tokens">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Created"</th>
                        <th scope="col">"Last used"</th>
                        <th scope="col">"Expires"</th>
                        <th scope="col">"State"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|t| {
                        let live = t.state == "live";
                        view! {
                            <tr>
                                <td>{t.name}</td>
                                <td>{t.created}</td>
                                <td>{t.last_used.unwrap_or_else(|| "never".into())}</td>
                                <td>{t.expires.unwrap_or_else(|| "never".into())}</td>
                                <td>{t.state}</td>
                                <td>
                                    {live.then(|| view! {
                                        <ActionForm action=revoke attr:class="inline-form">
                                            <input type="hidden" name="id" value=t.id/>
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
    })
}
