//! The lobby tablet: welcome → your mobile number → your details and your host →
//! done (with the self-check-out link) → back to welcome. Every step is a plain
//! link or form, so the kiosk works with JavaScript off too.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::form::{use_hydrated, FieldMessage};
use crate::components::qr::QrImage;
use crate::error::{AppError, ErrorTemplate, FormError, PageError};
use crate::server_fns::kiosk::{
    kiosk_guest, kiosk_hosts, kiosk_info, kiosk_receipt, KioskCheckIn, KioskCheckOut, KioskConfirm,
    KioskLeave, KioskStart as KioskStartStep, PairKiosk,
};
use crate::types::{ArrivalLink, CheckInStep, GuestDetails, HostChoice, Receipt, ReturningHint};

/// Seconds the done screen stays before the tablet is ready for the next guest.
const DONE_SECONDS: u64 = 30;
/// Seconds without a touch before a kiosk screen returns to the welcome screen.
const IDLE_SECONDS: u64 = 60;
/// The idle notice shows for this long before the screen starts over.
const IDLE_WARN_SECONDS: u64 = 15;
/// Without JS typing is not seen, so a form gets longer.
const NO_JS_IDLE_SECONDS: u64 = 180;
/// Seconds between reloads of an idle welcome screen (its phone QR changes daily).
const WELCOME_RELOAD_SECONDS: u64 = 900;

#[component]
pub fn KioskWelcome() -> impl IntoView {
    let info = Resource::new(|| (), |_| kiosk_info());
    let query = use_query_map();
    let bye = move || query.read().get("bye").is_some();
    view! {
        <Title text="Welcome"/>
        <div class="kiosk">
            <Show when=bye>
                <div class="alert alert-ok" role="status" data-testid="checked-out">
                    "You are checked out. Thank you for visiting!"
                </div>
            </Show>
            <Suspense fallback=|| view! { <p class="muted">"Starting…"</p> }>
                <ErrorBoundary fallback=|errors| view! { <PageError errors/> }>
                    {move || Suspend::new(async move {
                        info.await.map(|info| match info {
                            Some(info) => view! {
                                <h1 class="kiosk-title">"Welcome"</h1>
                                <p class="lead">{format!("You are at {}.", info.location_name)}</p>
                                <div class="kiosk-actions">
                                    <A href="/kiosk/check-in" attr:class="kiosk-button">"Check in"</A>
                                    <A href="/kiosk/check-out" attr:class="kiosk-button kiosk-button-quiet">"Check out"</A>
                                </div>
                                {info.arrival.map(|link| view! { <OnYourPhone link/> })}
                            }.into_any(),
                            None => view! {
                                <h1 class="kiosk-title">"This tablet is not paired"</h1>
                                <p class="lead">"An admin pairs it with a location from the admin console."</p>
                                <A href="/kiosk/pair" attr:class="kiosk-button">"Enter a pairing code"</A>
                            }.into_any(),
                        })
                    })}
                </ErrorBoundary>
            </Suspense>
        </div>
    }
}

/// Today's arrival link, for guests who would rather use their own phone. The
/// welcome screen reloads now and then, so the code follows the day.
#[component]
fn OnYourPhone(link: ArrivalLink) -> impl IntoView {
    view! {
        <noscript>
            <meta http-equiv="refresh" content=WELCOME_RELOAD_SECONDS.to_string()/>
        </noscript>
        <BackToWelcome seconds=WELCOME_RELOAD_SECONDS/>
        <div class="receipt on-your-phone" data-testid="kiosk-arrival">
            <QrImage qr=link.qr class="qr" label="QR code: check in on your phone"/>
            <p>"Or check in on your own phone: scan this with the camera."</p>
        </div>
    }
}

#[component]
pub fn KioskPair() -> impl IntoView {
    let action = ServerAction::<PairKiosk>::new();
    let query = use_query_map();
    let code = move || query.read().get("code").unwrap_or_default();
    view! {
        <Title text="Pair this tablet"/>
        <div class="kiosk">
            <h1 class="kiosk-title">"Pair this tablet"</h1>
            <p class="lead">"Type the pairing code from the admin console's Kiosks page."</p>
            {move || action.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
            <ActionForm action attr:class="form kiosk-form" attr:data-testid="pair-kiosk">
                <label for="code">"Pairing code"</label>
                <input id="code" name="code" autocomplete="off" autocapitalize="characters"
                    required value=code aria-describedby="code-error"/>
                <FieldMessage value=action.value() field="code"/>
                <button type="submit" class="button kiosk-submit">"Pair"</button>
            </ActionForm>
        </div>
    }
}

/// First step: the phone number, so a returning guest's details can be filled in.
#[component]
pub fn KioskStart() -> impl IntoView {
    let action = ServerAction::<KioskStartStep>::new();
    view! {
        <Title text="Check in"/>
        <IdleRefresh/>
        <div class="kiosk">
            <h1 class="kiosk-title">"Check in"</h1>
            <ActionForm action attr:class="form kiosk-form" attr:data-testid="kiosk-start">
                <label for="phone">"Your mobile number"</label>
                <input id="phone" name="phone" type="tel" autocomplete="off" inputmode="tel" required
                    autofocus aria-describedby="phone-error"/>
                <FieldMessage value=action.value() field="phone"/>
                <p class="muted">"Been here before? We fill in the rest for you."</p>
                <button type="submit" class="button kiosk-submit">"Next"</button>
            </ActionForm>
            <p><A href="/kiosk">"Back"</A></p>
        </div>
    }
}

/// Second step: a returning guest confirms who they are; then name, e-mail and
/// phone (filled in for them) and the host.
#[component]
pub fn KioskDetails() -> impl IntoView {
    let step = Resource::new(|| (), |_| kiosk_guest());
    let hosts = Resource::new(|| (), |_| kiosk_hosts());
    view! {
        <Title text="Your details"/>
        <IdleRefresh/>
        <div class="kiosk">
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorTemplate errors/> }>
                    {move || Suspend::new(async move {
                        Ok::<_, AppError>(match step.await? {
                            CheckInStep::NotStarted => view! { <NotStarted/> }.into_any(),
                            CheckInStep::Confirm(hint) => view! { <ConfirmGuest hint/> }.into_any(),
                            CheckInStep::AlreadyHere { first_name, since } => {
                                view! { <AlreadyHere first_name since/> }.into_any()
                            }
                            CheckInStep::Details(guest) => {
                                let hosts = hosts.await?;
                                view! { <DetailsForm guest hosts/> }.into_any()
                            }
                        })
                    })}
                </ErrorBoundary>
            </Suspense>
            <p><A href="/kiosk">"Cancel"</A></p>
        </div>
    }
}

/// The details page with no check-in under way: finished, left idle, or opened by Back.
#[component]
fn NotStarted() -> impl IntoView {
    view! {
        <h1 class="kiosk-title" data-testid="not-started">"Check in"</h1>
        <p class="lead">"Start with your mobile number."</p>
        <A href="/kiosk/check-in" attr:class="kiosk-button">"Start"</A>
    }
}

/// A returning guest, known only by first name and a masked address until they
/// type their address or surname.
#[component]
fn ConfirmGuest(hint: ReturningHint) -> impl IntoView {
    let action = ServerAction::<KioskConfirm>::new();
    view! {
        <h1 class="kiosk-title">{format!("Welcome back, {}!", hint.first_name)}</h1>
        <ActionForm action attr:class="form kiosk-form" attr:data-testid="confirm-guest">
            <label for="answer">"To fill in your details, type your surname or e-mail address"</label>
            <p class="muted" id="answer-hint">{format!("The address we have starts {}.", hint.email_hint)}</p>
            <input id="answer" name="answer" autocomplete="off" required autofocus
                aria-describedby="answer-hint answer-error"/>
            <FieldMessage value=action.value() field="answer"/>
            <button type="submit" class="button kiosk-submit">"Fill in my details"</button>
        </ActionForm>
        <ActionForm action attr:class="form" attr:data-testid="not-me">
            <input type="hidden" name="answer" value=""/>
            <input type="hidden" name="not_me" value="1"/>
            <button type="submit" class="button button-quiet kiosk-submit">"Not me: I will type my details"</button>
        </ActionForm>
    }
}

/// A returning guest who is still checked in here: nothing to fill in, one tap out.
#[component]
fn AlreadyHere(first_name: String, since: String) -> impl IntoView {
    let action = ServerAction::<KioskLeave>::new();
    view! {
        <h1 class="kiosk-title" data-testid="already-here">{format!("You are checked in already, {first_name}")}</h1>
        <p class="lead">{format!("Since {since}. Leaving now?")}</p>
        {move || action.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
        <ActionForm action attr:class="form kiosk-form">
            <button type="submit" class="button kiosk-submit">"Check me out"</button>
        </ActionForm>
    }
}

#[component]
fn DetailsForm(guest: GuestDetails, hosts: Vec<HostChoice>) -> impl IntoView {
    let action = ServerAction::<KioskCheckIn>::new();
    view! {
        <h1 class="kiosk-title">"Your details"</h1>
        {move || action.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
        {guest.returning.then(|| view! {
            <p class="alert alert-ok" role="status" data-testid="welcome-back">
                {format!("Welcome back, {}! Check your details below.", guest.name)}
            </p>
        })}
        <ActionForm action attr:class="form kiosk-form" attr:data-testid="kiosk-check-in">
            <label for="name">"Full name"</label>
            <input id="name" name="name" autocomplete="off" required autofocus=guest.name.is_empty()
                value=guest.name.clone() aria-describedby="name-error"/>
            <FieldMessage value=action.value() field="name"/>
            <label for="email">"E-mail"</label>
            <input id="email" name="email" type="email" autocomplete="off" required
                value=guest.email.clone() aria-describedby="email-error"/>
            <FieldMessage value=action.value() field="email"/>
            <label for="phone">"Mobile number"</label>
            <input id="phone" name="phone" type="tel" autocomplete="off" required
                value=guest.phone.clone() aria-describedby="phone-error"/>
            <FieldMessage value=action.value() field="phone"/>
            <HostPicker hosts/>
            <FieldMessage value=action.value() field="host_id"/>
            <button type="submit" class="button kiosk-submit">"Check in"</button>
        </ActionForm>
    }
}

/// The hosts as a list of radio buttons. With JS a search box narrows the list as
/// one types; without JS the whole list is there to pick from.
#[island]
fn HostPicker(hosts: Vec<HostChoice>) -> impl IntoView {
    let hydrated = use_hydrated();
    let (search, set_search) = signal(String::new());
    let shows = move |name: &str| {
        let wanted = search.get().trim().to_lowercase();
        wanted.is_empty() || name.to_lowercase().contains(&wanted)
    };
    if hosts.is_empty() {
        return Either::Left(view! {
            <p class="alert alert-error" role="alert">"Nobody can be visited here right now. Please ask at the desk."</p>
        });
    }
    Either::Right(view! {
        <fieldset class="host-picker">
            <legend>"Who are you visiting?"</legend>
            <Show when=move || hydrated.get()>
                <label for="host-search" class="visually-hidden">"Search hosts"</label>
                <input id="host-search" type="search" placeholder="Type a name…" autocomplete="off"
                    on:input=move |ev| set_search.set(event_target_value(&ev))/>
            </Show>
            <ul class="host-list" data-testid="host-list">
                {hosts.into_iter().map(|host| {
                    let name = host.name.clone();
                    view! {
                        <li hidden=move || !shows(&name)>
                            <label class="host-option">
                                <input type="radio" name="host_id" value=host.id required/>
                                <span>{host.name}</span>
                            </label>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </fieldset>
    })
}

#[component]
pub fn KioskDone() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let receipt = Resource::new(token, kiosk_receipt);
    view! {
        <Title text="You are checked in"/>
        // Back to the welcome screen for the next guest, with JS and without; a tap
        // on "Done" leaves earlier. (Browsers honour a refresh `<meta>` in the body.)
        <noscript>
            <meta http-equiv="refresh" content=format!("{DONE_SECONDS};url=/kiosk")/>
        </noscript>
        <IdleReturn seconds=DONE_SECONDS/>
        <div class="kiosk">
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match receipt.await {
                        Ok(receipt) => view! { <Done receipt/> }.into_any(),
                        Err(AppError::NotFound) => view! { <Closed/> }.into_any(),
                        Err(error) => view! { <FormError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// Opens the welcome screen after `seconds` (the `<noscript>` refresh's job with JS),
/// in place of this page in the history, so Back does not return here.
#[island]
fn BackToWelcome(seconds: u64) -> impl IntoView {
    Effect::new(move |_| {
        set_timeout(to_welcome, std::time::Duration::from_secs(seconds));
    });
}

fn to_welcome() {
    let _ = window().location().replace("/kiosk");
}

/// A kiosk screen left alone goes back to the welcome screen, so the next guest
/// finds nothing of this one. A touch or a key starts the minute again; for the
/// last seconds a notice counts down with a button to stay (WCAG 2.2.1).
#[island]
fn IdleReturn(seconds: u64) -> impl IntoView {
    let (left, set_left) = signal(seconds);
    let stay = move || set_left.set(seconds);
    Effect::new(move |_| {
        // They live as long as the page.
        std::mem::forget(window_event_listener(leptos::ev::pointerdown, move |_| {
            stay()
        }));
        std::mem::forget(window_event_listener(leptos::ev::keydown, move |_| stay()));
        // Back may bring this page out of the browser's memory, as it was: not here.
        std::mem::forget(window_event_listener(leptos::ev::pageshow, |ev| {
            if ev.persisted() {
                to_welcome();
            }
        }));
        let _ = set_interval_with_handle(
            move || match left.get_untracked() {
                0 | 1 => to_welcome(),
                n => set_left.set(n - 1),
            },
            std::time::Duration::from_secs(1),
        );
    });
    view! {
        <Show when=move || { left.get() <= IDLE_WARN_SECONDS }>
            <div class="idle-notice" role="alert" data-testid="idle-notice">
                <p>{move || format!("Still there? This screen starts over in {} s.", left.get())}</p>
                <button type="button" class="button kiosk-submit" on:click=move |_| stay()>
                    "I need more time"
                </button>
            </div>
        </Show>
    }
}

/// Without JS nothing sees a touch: a longer, fixed time before the welcome screen.
#[component]
fn IdleRefresh() -> impl IntoView {
    view! {
        <noscript>
            <meta http-equiv="refresh" content=format!("{NO_JS_IDLE_SECONDS};url=/kiosk")/>
        </noscript>
        <IdleReturn seconds=IDLE_SECONDS/>
    }
}

/// A done screen opened again later (Back, history, an old tab): nothing of the guest.
#[component]
fn Closed() -> impl IntoView {
    view! {
        <h1 class="kiosk-title" data-testid="done-closed">"Welcome"</h1>
        <p class="lead">"Each guest's check-in shows here only for a moment, so the next guest cannot see it."</p>
        <A href="/kiosk" attr:class="kiosk-button">"Start"</A>
    }
}

#[component]
fn Done(receipt: Receipt) -> impl IntoView {
    let qr = receipt.qr;
    view! {
        <h1 class="kiosk-title" data-testid="done">{format!("Thank you, {}!", receipt.guest_name)}</h1>
        <p class="lead">{format!("{} knows you are here and will meet you shortly.", receipt.host_name)}</p>
        <div class="receipt">
            <QrImage qr class="qr" labelled_by="qr-caption"/>
            <div>
                <p id="qr-caption">"Scan to check yourself out when you leave, or open:"</p>
                <p><a href=receipt.checkout_url.clone() data-testid="checkout-link">{receipt.checkout_url.clone()}</a></p>
            </div>
        </div>
        <A href="/kiosk" attr:class="kiosk-button">"Done"</A>
    }
}

#[component]
pub fn KioskCheckOutPage() -> impl IntoView {
    let action = ServerAction::<KioskCheckOut>::new();
    view! {
        <Title text="Check out"/>
        <IdleRefresh/>
        <div class="kiosk">
            <h1 class="kiosk-title">"Check out"</h1>
            {move || action.value().get().and_then(Result::err).map(|error| view! { <FormError error/> })}
            <ActionForm action attr:class="form kiosk-form" attr:data-testid="kiosk-check-out">
                <label for="contact">"The mobile number or e-mail you checked in with"</label>
                <input id="contact" name="contact" autocomplete="off" required autofocus
                    aria-describedby="contact-error"/>
                <FieldMessage value=action.value() field="contact"/>
                <label for="surname">"Your surname"</label>
                <input id="surname" name="surname" autocomplete="off" required
                    aria-describedby="surname-error"/>
                <FieldMessage value=action.value() field="surname"/>
                <button type="submit" class="button kiosk-submit">"Check out"</button>
            </ActionForm>
            <p><A href="/kiosk">"Back"</A></p>
        </div>
    }
}
