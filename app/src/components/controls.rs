//! The bar's order controls as guests see them: a strip under the navigation ("Orders are paused:
//! back in 10 minutes", "Last call: orders close in 12 minutes"), and Order buttons that say why
//! they cannot be used before anyone taps them.
//!
//! Loaded after the app starts, never rendered on the server (the menu is one cached page for
//! everyone, so it cannot carry the moment's controls); a page without its code still orders
//! through the server, which refuses with the same words.

use super::live::use_live_events;
use crate::api::controls::load_bar_status;
use crate::model::{BarStatus, LiveEvent};
use leptos::prelude::*;

#[cfg(feature = "hydrate")]
thread_local! {
    /// The controls as last heard, with how far this browser's clock is behind the server's.
    static STATUS: RwSignal<Option<(BarStatus, i64)>> = RwSignal::new(None);
    /// Ticks every 15 seconds, so minutes left count down.
    static TICK: RwSignal<u32> = RwSignal::new(0);
}

/// Why the bar takes no order right now, in words; `None` while it does (and on the server).
pub fn order_refusal() -> Signal<Option<String>> {
    let locale = crate::language::current();
    Signal::derive(move || with_status(|status, now| status.refusal_at(now, locale)))
}

/// What guests are told about ordering right now: a pause, last call, or its end.
fn notice() -> Signal<Option<String>> {
    let locale = crate::language::current();
    Signal::derive(move || with_status(|status, now| status.notice_at(now, locale)))
}

#[cfg(feature = "hydrate")]
fn with_status(read: impl Fn(&BarStatus, i64) -> Option<String>) -> Option<String> {
    TICK.with(|tick| tick.track());
    let local = js_sys::Date::now() as i64;
    STATUS.with(|status| {
        status.with(|known| {
            known
                .as_ref()
                .and_then(|(status, offset)| read(status, local + offset))
        })
    })
}

#[cfg(not(feature = "hydrate"))]
fn with_status(read: impl Fn(&BarStatus, i64) -> Option<String>) -> Option<String> {
    let _ = read;
    None
}

/// Keeps the controls current while a guest page is open: asked for when it opens and whenever
/// the live stream reopens, replaced when the host changes them. Called by the guest pages that
/// follow the live stream anyway (the menu, a drink, the orders, the bartender), never by one that
/// lives across pages: a stream kept open from before the guest joined would stay a visitor's.
pub fn watch_bar_status() {
    Effect::new(move |_| refresh());
    use_live_events(|event| match event {
        Some(LiveEvent::Bar { status }) => remember(status),
        None => refresh(),
        Some(_) => {}
    });
    #[cfg(feature = "hydrate")]
    {
        let ticking = set_interval_with_handle(
            || TICK.with(|tick| tick.update(|n| *n = n.wrapping_add(1))),
            std::time::Duration::from_secs(15),
        );
        if let Ok(handle) = ticking {
            on_cleanup(move || handle.clear());
        }
    }
}

/// The strip under the navigation while ordering is limited.
#[component]
pub fn BarNotice() -> impl IntoView {
    let notice = notice();
    view! {
        <div role="status" aria-live="polite">
            {move || notice.get().map(|text| view! {
                <p data-testid="bar-notice" class="bg-amber-100 px-4 py-1.5 text-center text-sm font-medium text-amber-950">
                    {text}
                </p>
            })}
        </div>
    }
}

fn remember(status: BarStatus) {
    #[cfg(feature = "hydrate")]
    {
        let offset = status.now - js_sys::Date::now() as i64;
        STATUS.with(|known| known.set(Some((status, offset))));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = status;
}

/// Asks the server (in the browser only). A failed call keeps what is shown; the stream's next
/// reopening asks again.
fn refresh() {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async {
        if let Ok(status) = load_bar_status().await {
            remember(status);
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = load_bar_status;
}
