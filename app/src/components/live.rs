//! Live updates in the browser: one `EventSource` on `/events` per page that needs it. The stream
//! greets with the server's build; a page whose code is older than that (the bar was updated while
//! the tab stayed open) offers a reload instead of failing at its next click.

use crate::model::LiveEvent;
use leptos::prelude::*;

/// The `<meta>` that names the build a page was rendered with.
pub const BUILD_META: &str = "barback-build";

/// The events `/events` sends, named once for the server that writes them and the page that
/// listens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamEvent {
    /// The first event: the server's build (`Hello`).
    Hello,
    /// A `LiveEvent`, as JSON.
    Update,
    /// The stream fell behind: refetch everything shown.
    Resync,
}

impl StreamEvent {
    pub const fn name(self) -> &'static str {
        match self {
            StreamEvent::Hello => "hello",
            StreamEvent::Update => "update",
            StreamEvent::Resync => "resync",
        }
    }
}

/// What the live stream's `hello` event carries.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Hello {
    pub build: String,
}

#[cfg(feature = "hydrate")]
thread_local! {
    static NEW_VERSION: RwSignal<bool> = RwSignal::new(false);
}

/// True once this page knows the server runs newer code than the page.
pub fn new_version() -> Signal<bool> {
    #[cfg(feature = "hydrate")]
    return NEW_VERSION.with(|flag| (*flag).into());
    #[cfg(not(feature = "hydrate"))]
    Signal::stored(false)
}

/// The server's answer could not be read: most likely the bar was updated under this page.
pub fn answer_unreadable() {
    #[cfg(feature = "hydrate")]
    NEW_VERSION.with(|flag| flag.set(true));
}

/// Calls `on_event(None)` whenever the stream (re)opens or asks to resync — the page should refetch
/// what it shows, which is how nothing is missed across reconnects — and `on_event(Some(event))`
/// for each update. Does nothing during server rendering.
pub fn use_live_events(on_event: impl Fn(Option<LiveEvent>) + 'static) {
    #[cfg(feature = "hydrate")]
    browser::subscribe(on_event);
    #[cfg(not(feature = "hydrate"))]
    let _ = on_event;
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::LiveEvent;
    use leptos::prelude::*;
    use std::rc::Rc;
    use wasm_bindgen::{closure::Closure, JsCast};
    use web_sys::{EventSource, MessageEvent};

    type Listener = Closure<dyn FnMut(MessageEvent)>;

    pub fn subscribe(on_event: impl Fn(Option<LiveEvent>) + 'static) {
        let Ok(source) = EventSource::new("/events") else {
            leptos::logging::warn!("live updates unavailable: EventSource failed");
            return;
        };
        let on_event = Rc::new(on_event);
        let mut listeners: Vec<Listener> = Vec::new();
        let hello: Listener = {
            let on_event = on_event.clone();
            Closure::new(move |message: MessageEvent| {
                let server = message
                    .data()
                    .as_string()
                    .and_then(|text| serde_json::from_str::<super::Hello>(&text).ok());
                if let (Some(server), Some(page)) = (server, page_build()) {
                    if server.build != page {
                        super::NEW_VERSION.with(|flag| flag.set(true));
                    }
                }
                on_event(None)
            })
        };
        let _ = source.add_event_listener_with_callback(
            super::StreamEvent::Hello.name(),
            hello.as_ref().unchecked_ref(),
        );
        listeners.push(hello);
        let resync: Listener = {
            let on_event = on_event.clone();
            Closure::new(move |_: MessageEvent| on_event(None))
        };
        let _ = source.add_event_listener_with_callback(
            super::StreamEvent::Resync.name(),
            resync.as_ref().unchecked_ref(),
        );
        listeners.push(resync);
        let update: Listener = Closure::new(move |message: MessageEvent| {
            let parsed = message
                .data()
                .as_string()
                .and_then(|text| serde_json::from_str::<LiveEvent>(&text).ok());
            if let Some(event) = parsed {
                on_event(Some(event));
            }
        });
        let _ = source.add_event_listener_with_callback(
            super::StreamEvent::Update.name(),
            update.as_ref().unchecked_ref(),
        );
        listeners.push(update);
        // The stream and its listeners live exactly as long as the page that opened them.
        let held = send_wrapper::SendWrapper::new((source, listeners));
        on_cleanup(move || held.0.close());
    }

    /// The build named in the page's `<meta>`, as the server rendered it.
    fn page_build() -> Option<String> {
        let selector = format!("meta[name=\"{}\"]", super::BUILD_META);
        document()
            .query_selector(&selector)
            .ok()
            .flatten()
            .and_then(|meta| meta.get_attribute("content"))
    }
}
