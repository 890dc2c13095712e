//! "Your Negroni is ready": on every guest page, the guest's drinks that are ready and not yet
//! collected, announced as they become ready (a live region, a short chime and a buzz where the
//! browser allows) and shown again on the next page until the drink is collected or the guest
//! dismisses it.
//!
//! It is loaded after the app starts, never rendered on the server: the menu page is one cached
//! page for everyone, and must not carry one guest's drinks.

use super::live::use_live_events;
use crate::api::orders::ready_orders;
use crate::model::{LiveEvent, Order, OrderStatus};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Where a ready drink is picked up.
const PICK_UP: &str = "Pick it up at the bar.";
/// The browser's note of the alerts a guest dismissed (order ids).
#[cfg(feature = "hydrate")]
const DISMISSED_KEY: &str = "barback-dismissed-ready";

#[component]
pub fn ReadyAlerts() -> impl IntoView {
    // `None` until known, and for a visitor who has not joined.
    let ready = RwSignal::new(None::<Vec<Order>>);
    // Effects run in the browser only: the server renders nothing here.
    Effect::new(move |_| refresh(ready));
    let location = use_location();
    let host_page = move || location.pathname.with(|path| path.starts_with("/admin"));
    view! {
        <Show when=move || ready.with(Option::is_some) && !host_page()>
            <ReadyList ready/>
        </Show>
    }
}

/// The alerts themselves, once the caller is known to be a guest: they follow the guest's live
/// stream from here on.
#[component]
fn ReadyList(ready: RwSignal<Option<Vec<Order>>>) -> impl IntoView {
    let dismissed = RwSignal::new(read_dismissed());
    use_live_events(move |event| match event {
        Some(LiveEvent::Order { order }) => {
            let now_ready = order.status == OrderStatus::Ready;
            let was_ready =
                ready.with_untracked(|list| list.iter().flatten().any(|o| o.id == order.id));
            ready.update(|list| {
                let list = list.get_or_insert_with(Vec::new);
                list.retain(|o| o.id != order.id);
                if now_ready {
                    list.push(order);
                }
            });
            if now_ready && !was_ready {
                super::chime(660.0);
                buzz();
            }
        }
        // The stream (re)opened: what became ready meanwhile comes from the server.
        None => refresh(ready),
        Some(_) => {}
    });
    let shown = move || {
        let hidden = dismissed.get();
        ready
            .get()
            .unwrap_or_default()
            .into_iter()
            .filter(|order| !hidden.contains(&order.id))
            .collect::<Vec<_>>()
    };
    let dismiss = move |id: String| {
        dismissed.update(|ids| ids.push(id));
        write_dismissed(&dismissed.get_untracked());
    };
    view! {
        <div aria-live="polite" class="fixed inset-x-3 top-16 z-40 mx-auto flex max-w-md flex-col gap-2">
            <For each=shown key=|order| order.id.clone() let:order>
                <div
                    role="status"
                    data-testid="ready-alert"
                    class="flex items-center justify-between gap-3 rounded-2xl bg-emerald-800 px-4 py-3 text-sm text-white shadow-lg"
                >
                    <p>
                        <span class="font-semibold">{ready_sentence(&order)}</span>
                        " "
                        {PICK_UP}
                    </p>
                    <button
                        type="button"
                        class="shrink-0 rounded-full bg-white/15 px-3 py-1 font-semibold hover:bg-white/25 focus-visible:outline-2 focus-visible:outline-white"
                        aria-label=format!("Dismiss: {}", ready_sentence(&order))
                        on:click={
                            let id = order.id.clone();
                            move |_| dismiss(id.clone())
                        }
                    >
                        "OK"
                    </button>
                </div>
            </For>
        </div>
    }
}

/// "Your Negroni is ready", or "Your 2 × Negroni are ready".
pub fn ready_sentence(order: &Order) -> String {
    if order.quantity > 1 {
        format!("Your {} × {} are ready", order.quantity, order.drink_name)
    } else {
        format!("Your {} is ready", order.drink_name)
    }
}

/// Asks the server for the guest's ready drinks (in the browser; nothing on the server).
fn refresh(ready: RwSignal<Option<Vec<Order>>>) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentence_names_the_drink_and_how_many() {
        let mut order = Order::sample("o", OrderStatus::Ready);
        assert_eq!(ready_sentence(&order), "Your Negroni is ready");
        order.quantity = 2;
        assert_eq!(ready_sentence(&order), "Your 2 × Negroni are ready");
    }
}
