//! A QR code as the server drew it: one SVG path, so no QR crate reaches the wasm.

use leptos::prelude::*;

use crate::types::QrCode;

/// Named for screen readers by `label`, or by the element `labelled_by` names.
#[component]
pub fn QrImage(
    qr: QrCode,
    class: &'static str,
    #[prop(optional)] label: Option<&'static str>,
    #[prop(optional)] labelled_by: Option<&'static str>,
) -> impl IntoView {
    let view_box = format!("0 0 {0} {0}", qr.size);
    view! {
        <svg class=class viewBox=view_box role="img" aria-label=label aria-labelledby=labelled_by>
            <rect width="100%" height="100%" fill="#fff"/>
            <path d=qr.path fill="#000"/>
        </svg>
    }
}
