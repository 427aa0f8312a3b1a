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

/// True once the wasm has hydrated the page (never on the server): the page then
/// may rely on client-side behaviour, such as filtering a list as one types.
#[derive(Clone, Copy)]
pub struct Hydrated(pub ReadSignal<bool>);

pub fn provide_hydrated() {
    let (hydrated, set_hydrated) = signal(false);
    provide_context(Hydrated(hydrated));
    Effect::new(move |_| set_hydrated.set(true));
}

pub fn is_hydrated() -> bool {
    use_context::<Hydrated>().is_some_and(|h| h.0.get())
}
