//! Pieces every form uses: the message under a field, and whether the wasm runs.

use leptos::prelude::*;

use crate::error::AppError;

/// The latest submission's error for `field`, shown under that field (with JS the
/// action's value, without JS the error leptos passes back in the URL).
#[component]
pub fn FieldMessage<T, S>(value: S, field: &'static str) -> impl IntoView
where
    T: Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    // Always there (empty when all is well), so `aria-describedby` never dangles.
    view! {
        <p class="field-error" id=format!("{field}-error") data-testid=format!("{field}-error")>
            {move || {
                value
                    .get()
                    .and_then(Result::err)
                    .filter(|e| e.field() == Some(field))
                    .map(|e| e.to_string())
            }}
        </p>
    }
}

/// True once this island runs in the browser (never on the server): an island may
/// then show what needs JS, such as a box that filters a list as one types.
pub fn use_hydrated() -> ReadSignal<bool> {
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    hydrated
}
