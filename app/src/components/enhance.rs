//! Forms posting to a server function are plain HTML outside islands: without JS
//! the server answers with a redirect (back, with the error in the URL, or on).
//! With JS this one listener sends them with `fetch` instead, so a refused
//! submission keeps what was typed and shows the error in place, rendered by the
//! same `FormError` and field messages the server uses. One listener serves every
//! form: an `ActionForm` island per form would put a client per server function
//! into the wasm.

use leptos::prelude::*;
use leptos::wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Element, FormData, Headers, HtmlElement, HtmlFormElement, RequestInit, Response, SubmitEvent,
    UrlSearchParams,
};

use crate::error::{AppError, FormError};

/// Where server functions live (`/api/<endpoint>`); other forms are left alone.
const SERVER_FNS: &str = "/api/";
/// Marks the error box this module put in front of a form, to replace it next time.
const SLOT_CLASS: &str = "form-error-slot";

/// Listens for submits on the whole document, once.
pub fn install() {
    let on_submit = Closure::<dyn FnMut(SubmitEvent)>::new(|ev: SubmitEvent| {
        // An island's own handler (ActionForm) came first and took it.
        if ev.default_prevented() {
            return;
        }
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        let action = form.get_attribute("action").unwrap_or_default();
        if !form.method().eq_ignore_ascii_case("post") || !action.starts_with(SERVER_FNS) {
            return;
        }
        ev.prevent_default();
        leptos::task::spawn_local(submit(form, action));
    });
    let _ =
        document().add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
    // Lives as long as the page.
    on_submit.forget();
}

async fn submit(form: HtmlFormElement, action: String) {
    set_busy(&form, true);
    match send(&form, &action).await {
        // Buttons stay disabled while the browser leaves: no second submit.
        Ok(Some(location)) => {
            // A lobby tablet keeps no history of its guests' steps: Back leads
            // nowhere private.
            let here = window().location().pathname().unwrap_or_default();
            let _ = if here.starts_with("/kiosk") {
                window().location().replace(&location)
            } else {
                window().location().set_href(&location)
            };
        }
        // Done, nowhere else to go: read the page again, as it is after the change.
        Ok(None) => {
            let _ = window().location().reload();
        }
        Err(error) => {
            set_busy(&form, false);
            show(&form, error);
        }
    }
}

/// Posts the form as the browser would, but asks for JSON: the server then answers
/// with the function's result or error instead of a redirect.
async fn send(form: &HtmlFormElement, action: &str) -> Result<Option<String>, AppError> {
    let body = FormData::new_with_form(form)
        .and_then(|data| UrlSearchParams::new_with_str_sequence_sequence(&data))
        .map_err(unreachable)?;
    let headers = Headers::new().map_err(unreachable)?;
    headers
        .set("Accept", "application/json")
        .map_err(unreachable)?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&body);
    init.set_headers(&headers);
    let response: Response = JsFuture::from(window().fetch_with_str_and_init(action, &init))
        .await
        .map_err(|_| AppError::Transport("the network request failed".into()))?
        .unchecked_into();
    let headers = response.headers();
    // A redirect from the server function (log-in, done, log-in required).
    if headers.has("serverfnredirect").unwrap_or(false) {
        if let Ok(Some(location)) = headers.get("location") {
            return Ok(Some(location));
        }
    }
    if response.ok() {
        return Ok(None);
    }
    let status = response.status();
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|t| t.as_string()),
        Err(_) => None,
    };
    Err(text
        .and_then(|t| leptos::serde_json::from_str::<AppError>(&t).ok())
        .unwrap_or_else(|| AppError::Transport(format!("the server answered HTTP {status}"))))
}

fn unreachable(_: JsValue) -> AppError {
    AppError::Transport("this browser could not send the form".into())
}

fn set_busy(form: &HtmlFormElement, busy: bool) {
    if let Ok(buttons) = form.query_selector_all("button[type=submit]") {
        for i in 0..buttons.length() {
            if let Some(button) = buttons.item(i).and_then(|b| b.dyn_into::<Element>().ok()) {
                let _ = if busy {
                    button.set_attribute("disabled", "")
                } else {
                    button.remove_attribute("disabled")
                };
            }
        }
    }
}

/// The error in front of the form (replacing the last one) and under its field.
fn show(form: &HtmlFormElement, error: AppError) {
    if let Ok(messages) = form.query_selector_all(".field-error") {
        for i in 0..messages.length() {
            if let Some(message) = messages.item(i) {
                message.set_text_content(None);
            }
        }
    }
    if let Some(field) = error.field() {
        // Field names are identifiers (`time_zone`): no quoting needed.
        if let Ok(Some(message)) = form.query_selector(&format!("[id='{field}-error']")) {
            message.set_text_content(Some(&error.to_string()));
        }
    }
    if let Some(previous) = form.previous_element_sibling() {
        if previous.class_list().contains(SLOT_CLASS) {
            previous.remove();
        }
    }
    let Ok(slot) = document().create_element("div") else {
        return;
    };
    slot.set_class_name(SLOT_CLASS);
    if form.before_with_node_1(&slot).is_ok() {
        let slot: HtmlElement = slot.unchecked_into();
        leptos::mount::mount_to(slot, move || view! { <FormError error/> }).forget();
    }
}
