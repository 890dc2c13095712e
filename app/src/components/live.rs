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
/// for each update, for as long as the calling component lives. Every listener on a page shares
/// one `EventSource`, opened by the first and closed with the last. Does nothing during server
/// rendering.
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
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use wasm_bindgen::{closure::Closure, JsCast};
    use web_sys::{EventSource, MessageEvent};

    type Listener = Closure<dyn FnMut(MessageEvent)>;
    type Subscriber = Rc<dyn Fn(Option<LiveEvent>)>;

    /// The page's one stream and the listeners that hand its events out.
    struct Stream {
        source: EventSource,
        _listeners: Vec<Listener>,
    }

    thread_local! {
        static SUBSCRIBERS: RefCell<Vec<(u64, Subscriber)>> = const { RefCell::new(Vec::new()) };
        static NEXT_ID: Cell<u64> = const { Cell::new(0) };
        static STREAM: RefCell<Option<Stream>> = const { RefCell::new(None) };
    }

    pub fn subscribe(on_event: impl Fn(Option<LiveEvent>) + 'static) {
        let id = NEXT_ID.with(|next| next.replace(next.get() + 1));
        SUBSCRIBERS.with(|list| list.borrow_mut().push((id, Rc::new(on_event))));
        if STREAM.with(|stream| stream.borrow().is_none()) {
            let opened = open();
            STREAM.with(|stream| *stream.borrow_mut() = opened);
        }
        // The listener lives exactly as long as the component that asked; the stream as long as
        // any listener.
        on_cleanup(move || {
            let none_left = SUBSCRIBERS.with(|list| {
                let mut list = list.borrow_mut();
                list.retain(|(other, _)| *other != id);
                list.is_empty()
            });
            if none_left {
                if let Some(stream) = STREAM.with(|stream| stream.borrow_mut().take()) {
                    stream.source.close();
                }
            }
        });
    }

    /// Hands an event to every listener (a copy of the list: a listener may come or go meanwhile).
    fn broadcast(event: Option<LiveEvent>) {
        let subscribers: Vec<Subscriber> =
            SUBSCRIBERS.with(|list| list.borrow().iter().map(|(_, s)| s.clone()).collect());
        for subscriber in subscribers {
            subscriber(event.clone());
        }
    }

    fn open() -> Option<Stream> {
        let Ok(source) = EventSource::new("/events") else {
            leptos::logging::warn!("live updates unavailable: EventSource failed");
            return None;
        };
        let mut listeners: Vec<Listener> = Vec::new();
        let hello: Listener = Closure::new(move |message: MessageEvent| {
            let server = message
                .data()
                .as_string()
                .and_then(|text| serde_json::from_str::<super::Hello>(&text).ok());
            if let (Some(server), Some(page)) = (server, page_build()) {
                if server.build != page {
                    super::NEW_VERSION.with(|flag| flag.set(true));
                }
            }
            broadcast(None)
        });
        let _ = source.add_event_listener_with_callback(
            super::StreamEvent::Hello.name(),
            hello.as_ref().unchecked_ref(),
        );
        listeners.push(hello);
        let resync: Listener = Closure::new(move |_: MessageEvent| broadcast(None));
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
                broadcast(Some(event));
            }
        });
        let _ = source.add_event_listener_with_callback(
            super::StreamEvent::Update.name(),
            update.as_ref().unchecked_ref(),
        );
        listeners.push(update);
        Some(Stream {
            source,
            _listeners: listeners,
        })
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
