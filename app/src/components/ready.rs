//! "Your Negroni is ready": on every guest page, the guest's drinks that are ready and not yet
//! collected, announced as they become ready (a live region, a short chime and a buzz where the
//! browser allows) and shown again on the next page until the drink is collected or the guest
//! dismisses it.
//!
//! It is loaded after the app starts, never rendered on the server: the menu page is one cached
//! page for everyone, and must not carry one guest's drinks. Its code is loaded on demand too.

use super::live::use_live_events;
use crate::api::orders::ready_orders;
use crate::i18n::*;
use crate::model::{pick_up_sentence, ready_sentence, LiveEvent, Order, OrderStatus, ReadyDrinks};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The browser's note of the alerts a guest dismissed (order ids).
#[cfg(feature = "hydrate")]
const DISMISSED_KEY: &str = "barback-dismissed-ready";
/// The browser's note of the guest it last greeted (their name).
#[cfg(feature = "hydrate")]
const GREETED_KEY: &str = "barback-greeted";

#[component]
pub fn ReadyAlerts() -> impl IntoView {
    // `None` until known, and for a visitor who has not joined.
    let ready = RwSignal::new(None::<ReadyDrinks>);
    let location = use_location();
    // Effects run in the browser only: the server renders nothing here. A visitor is asked again
    // on every page, so one who joins (without a reload) is followed from the next page on.
    Effect::new(move |_| {
        location.pathname.track();
        if ready.with_untracked(Option::is_none) {
            refresh(ready);
        }
    });
    let host_page = move || {
        location
            .pathname
            .with(|path| path.starts_with("/admin") || path == "/screen")
    };
    view! {
        <Show when=move || ready.with(Option::is_some) && !host_page()>
            {move || Suspend::new(ready_list(ready))}
        </Show>
    }
}

/// The alerts' code is fetched when a guest's ready list is first known (`cargo leptos build
/// --split` gives it a chunk of its own): the menu shows and starts without it, and a visitor who
/// has not joined never downloads it.
#[leptos::lazy]
fn ready_list(ready: RwSignal<Option<ReadyDrinks>>) -> AnyView {
    view! { <ReadyList ready/> }.into_any()
}

/// The alerts themselves, once the caller is known to be a guest: they follow the guest's live
/// stream from here on.
#[component]
fn ReadyList(ready: RwSignal<Option<ReadyDrinks>>) -> impl IntoView {
    let dismissed = RwSignal::new(read_dismissed());
    let announce = move || {
        super::chime(660.0);
        buzz();
    };
    use_live_events(move |event| match event {
        Some(LiveEvent::Order { order }) => {
            if track(ready, order) {
                announce();
            }
        }
        // The host reminds: shown again even if dismissed, and heard again.
        Some(LiveEvent::Reminder { order }) => {
            dismissed.update(|ids| ids.retain(|id| *id != order.id));
            write_dismissed(&dismissed.get_untracked());
            track(ready, order);
            announce();
        }
        Some(LiveEvent::Pickup { place }) => ready.update(|list| {
            if let Some(list) = list {
                list.place = place;
            }
        }),
        // The stream (re)opened: what became ready meanwhile comes from the server.
        None => refresh(ready),
        Some(_) => {}
    });
    let shown = move || {
        let hidden = dismissed.get();
        ready
            .get()
            .map(|list| list.orders)
            .unwrap_or_default()
            .into_iter()
            .filter(|order| !hidden.contains(&order.id))
            .collect::<Vec<_>>()
    };
    let place =
        move || ready.with(|list| list.as_ref().map(|l| l.place.clone()).unwrap_or_default());
    let dismiss = move |id: String| {
        dismissed.update(|ids| ids.push(id));
        write_dismissed(&dismissed.get_untracked());
    };
    let guest =
        move || ready.with(|list| list.as_ref().map(|l| l.guest.clone()).unwrap_or_default());
    let locale = crate::language::current();
    view! {
        <Greeting guest/>
        <div aria-live="polite" class="fixed inset-x-3 top-16 z-40 mx-auto flex max-w-md flex-col gap-2">
            <For each=shown key=|order| order.id.clone() let:order>
                <div
                    role="status"
                    data-testid="ready-alert"
                    class="flex items-center justify-between gap-3 rounded-2xl bg-emerald-800 px-4 py-3 text-sm text-white shadow-lg"
                >
                    <p>
                        <span class="font-semibold">{ready_sentence(locale, &order)}</span>
                        " "
                        {move || pick_up_sentence(locale, &place())}
                    </p>
                    <button
                        type="button"
                        class="min-h-11 min-w-11 shrink-0 rounded-full bg-white/15 px-3 font-semibold hover:bg-white/25 focus-visible:outline-2 focus-visible:outline-white"
                        aria-label={
                            let what = ready_sentence(locale, &order);
                            td_string!(locale, orders.dismiss, what).to_string()
                        }
                        on:click={
                            let id = order.id.clone();
                            move |_| dismiss(id.clone())
                        }
                    >
                        {td_string!(locale, orders.ok)}
                    </button>
                </div>
            </For>
        </div>
    }
}

/// "Hi Mia": on the menu, after joining, the guest's name and what to do next, until "Got it".
/// It comes in once the app knows who is there, so it floats at the foot of the screen rather than
/// pushing the menu down under a thumb about to tap.
#[component]
fn Greeting(guest: impl Fn() -> String + Send + Sync + Copy + 'static) -> impl IntoView {
    let greeted = RwSignal::new(read_greeted());
    let location = use_location();
    let shown = move || {
        let name = guest();
        location.pathname.with(|path| path == "/")
            && !name.is_empty()
            && greeted.with(|greeted| greeted.as_deref() != Some(name.as_str()))
    };
    let done = move |_| {
        let name = guest();
        write_greeted(&name);
        greeted.set(Some(name));
    };
    let locale = crate::language::current();
    view! {
        <Show when=shown>
            <div
                role="status"
                data-testid="greeting"
                class="fixed inset-x-3 bottom-3 z-30 mx-auto flex max-w-md items-center justify-between gap-3 rounded-2xl bg-stone-800 px-4 py-3 text-sm text-white shadow-lg"
            >
                <p>
                    <span class="font-semibold">{move || {
                        let name = guest();
                        td_string!(locale, greeting.hi, name).to_string()
                    }}</span>
                    {td_string!(locale, greeting.next)}
                </p>
                <button
                    type="button"
                    class="min-h-11 shrink-0 rounded-full bg-white/15 px-4 font-semibold hover:bg-white/25 focus-visible:outline-2 focus-visible:outline-white"
                    on:click=done
                >
                    {td_string!(locale, greeting.got_it)}
                </button>
            </div>
        </Show>
    }
}

fn read_greeted() -> Option<String> {
    #[cfg(feature = "hydrate")]
    return storage().and_then(|s| s.get_item(GREETED_KEY).ok().flatten());
    #[cfg(not(feature = "hydrate"))]
    None
}

fn write_greeted(name: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(storage) = storage() {
        let _ = storage.set_item(GREETED_KEY, name);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = name;
}

/// Puts what the stream says about one of the guest's orders into the ready list: in it while
/// ready, out of it otherwise. True when it has just become ready.
fn track(ready: RwSignal<Option<ReadyDrinks>>, order: Order) -> bool {
    let was_ready = ready.with_untracked(|list| {
        list.iter()
            .flat_map(|l| l.orders.iter())
            .any(|o| o.id == order.id)
    });
    let now_ready = order.status == OrderStatus::Ready;
    ready.update(|list| {
        if let Some(list) = list {
            list.orders.retain(|o| o.id != order.id);
            if now_ready {
                list.orders.push(order);
            }
        }
    });
    now_ready && !was_ready
}

/// Asks the server for the guest's ready drinks (in the browser; nothing on the server).
fn refresh(ready: RwSignal<Option<ReadyDrinks>>) {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        // A failed call keeps what is shown: the stream's next reopening asks again.
        if let Ok(list) = ready_orders().await {
            ready.set(list);
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (ready, ready_orders);
}

/// A short buzz, where the phone allows it.
fn buzz() {
    #[cfg(feature = "hydrate")]
    let _ = window().navigator().vibrate_with_duration(200);
}

#[cfg(feature = "hydrate")]
fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn read_dismissed() -> Vec<String> {
    #[cfg(feature = "hydrate")]
    return storage()
        .and_then(|s| s.get_item(DISMISSED_KEY).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default();
    #[cfg(not(feature = "hydrate"))]
    Vec::new()
}

/// Keeps the dismissed alerts (the last 50) so they stay dismissed on the next page.
fn write_dismissed(ids: &[String]) {
    #[cfg(feature = "hydrate")]
    if let (Some(storage), Ok(text)) = (
        storage(),
        serde_json::to_string(&ids[ids.len().saturating_sub(50)..]),
    ) {
        let _ = storage.set_item(DISMISSED_KEY, &text);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ids;
}
