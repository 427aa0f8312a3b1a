use leptos::prelude::*;
use leptos_meta::Title;

use crate::error::ErrorTemplate;
use crate::server_fns::mailbox::dev_mailbox;
use crate::types::MailboxItem;

/// What would have been e-mailed and texted, newest first.
#[component]
pub fn DevMailboxPage() -> impl IntoView {
    let messages = Resource::new(|| (), |_| dev_mailbox());
    view! {
        <Title text="Dev mailbox"/>
        <h1>"Dev mailbox"</h1>
        <p class="muted">
            "No SMTP server or Twilio account is configured, so messages are kept here instead of sent."
        </p>
        <Suspense fallback=|| view! { <p class="muted">"Loading messages…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorTemplate errors/> }>
                {move || Suspend::new(async move {
                    messages.await.map(|list| {
                        if list.is_empty() {
                            return view! { <p class="muted">"No messages yet."</p> }.into_any();
                        }
                        view! { <MessageList list testid="mailbox"/> }.into_any()
                    })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

/// Messages, each marked with why it did not go out: kept in the dev mailbox, or the
/// error that made it fail.
#[component]
pub fn MessageList(list: Vec<MailboxItem>, testid: &'static str) -> impl IntoView {
    view! {
        <ul class="plain-list" data-testid=testid>
            {list.into_iter().map(|m| {
                let fate = match &m.error {
                    Some(error) => format!("failed: {error}"),
                    None => "not delivered (dev mailbox)".to_string(),
                };
                view! {
                    <li class="message">
                        <p class="muted">{format!("{} to {} · {} · {fate}", m.channel, m.recipient, m.at)}</p>
                        {m.subject.map(|s| view! { <p><strong>{s}</strong></p> })}
                        <pre class="message-body">{m.body}</pre>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
