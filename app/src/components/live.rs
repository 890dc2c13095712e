//! Live updates in the browser: one `EventSource` on `/events` per page that needs it. The stream
//! greets with the server's build; a page whose code is older than that (the bar was updated while
//! the tab stayed open) offers a reload instead of failing at its next click.
//!
//! Phones lose the network: while the stream is down the page says so (`connection`), keeps what it
//! showed (`LastKnown`), and catches up — a fresh stream and a refetch — as soon as the network
//! returns or the tab is looked at again.

use crate::error::AppError;
use crate::model::LiveEvent;
use leptos::prelude::*;

/// The `<meta>` that names the build a page was rendered with.
pub const BUILD_META: &str = "barback-build";

/// The `<meta>` that names the menu a page was rendered with (the snapshot's fingerprint).
pub const MENU_META: &str = "barback-menu";

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

/// What the live stream's `hello` event carries: the server's build and its menu's fingerprint
/// (empty from a server that does not send one: the page then refetches, as it always did).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Hello {
    pub build: String,
    #[serde(default)]
    pub menu: String,
}

/// How the page's connection to the bar is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connection {
    /// The stream is open, or the page has none and the browser is online.
    Live,
    /// The stream dropped and is being opened again.
    Reconnecting,
    /// The browser says it has no network.
    Offline,
}

#[cfg(feature = "hydrate")]
thread_local! {
    static NEW_VERSION: RwSignal<bool> = RwSignal::new(false);
    static CONNECTION: RwSignal<Connection> = RwSignal::new(Connection::Live);
}

/// The page's connection, for the notice that says it is down. Starts watching the network the
/// first time it is asked (in the browser).
pub fn connection() -> Signal<Connection> {
    #[cfg(feature = "hydrate")]
    {
        browser::watch_network();
        CONNECTION.with(|state| (*state).into())
    }
    #[cfg(not(feature = "hydrate"))]
    Signal::stored(Connection::Live)
}

/// What a page last showed, kept through a refetch that could not reach the bar: the page goes on
/// showing it (the connection notice says why) instead of an error, and the next refetch replaces
/// it. Any other error is shown as it is.
pub struct LastKnown<T: Send + Sync + 'static>(StoredValue<Option<T>>);

impl<T: Send + Sync + 'static> Clone for LastKnown<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for LastKnown<T> {}

impl<T: Clone + Send + Sync + 'static> LastKnown<T> {
    pub fn new() -> Self {
        Self(StoredValue::new(None))
    }

    /// The fetched value (remembered), or on a network error the last one, if any.
    pub fn keep(self, fetched: Result<T, AppError>) -> Result<T, AppError> {
        match fetched {
            Ok(value) => {
                self.0.set_value(Some(value.clone()));
                Ok(value)
            }
            Err(AppError::Network(cause)) => self.0.get_value().ok_or(AppError::Network(cause)),
            Err(other) => Err(other),
        }
    }
}

impl<T: Clone + Send + Sync + 'static> Default for LastKnown<T> {
    fn default() -> Self {
        Self::new()
    }
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

/// True only while `on_event(None)` is being handed out for a stream greeting whose menu is the one
/// this page was rendered with and has shown since (no menu change, resync or refetch came in
/// between): a page that shows only the menu need not refetch it then. The first greeting after a
/// page loads is the common case, and so is a reconnect on a quiet night.
pub fn menu_unchanged() -> bool {
    #[cfg(feature = "hydrate")]
    return browser::MENU_UNCHANGED.with(|flag| flag.get());
    #[cfg(not(feature = "hydrate"))]
    false
}

/// Makes this page's stream carry a pickup screen link's key (`/events?key=…`); call it before
/// the first `use_live_events`. A TV has no session: the key is what lets it listen.
pub fn use_screen_key(key: Option<String>) {
    #[cfg(feature = "hydrate")]
    browser::STREAM_KEY.with(|current| *current.borrow_mut() = key);
    #[cfg(not(feature = "hydrate"))]
    let _ = key;
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
    use super::{Connection, CONNECTION};
    use leptos::prelude::*;
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use std::time::Duration;
    use wasm_bindgen::{closure::Closure, JsCast};
    use web_sys::{Event, EventSource, MessageEvent, VisibilityState};

    type Listener = Closure<dyn FnMut(MessageEvent)>;
    type StatusListener = Closure<dyn FnMut(Event)>;
    type Subscriber = Rc<dyn Fn(Option<LiveEvent>)>;

    /// The page's one stream and the listeners that hand its events out.
    struct Stream {
        source: EventSource,
        _listeners: Vec<Listener>,
        _status: [StatusListener; 2],
    }

    thread_local! {
        static SUBSCRIBERS: RefCell<Vec<(u64, Subscriber)>> = const { RefCell::new(Vec::new()) };
        static NEXT_ID: Cell<u64> = const { Cell::new(0) };
        static STREAM: RefCell<Option<Stream>> = const { RefCell::new(None) };
        /// Failed attempts in a row, for the wait before the next one.
        static FAILURES: Cell<u32> = const { Cell::new(0) };
        static WATCHING: Cell<bool> = const { Cell::new(false) };
        /// A pickup screen link's key, when the page is a TV's pickup screen.
        pub static STREAM_KEY: RefCell<Option<String>> = const { RefCell::new(None) };
        /// The fingerprint of the menu this page was rendered with, while nothing says the menu
        /// may have changed since (a menu event, a resync or a refetch clears it).
        static SHOWN_MENU: RefCell<Option<String>> = const { RefCell::new(None) };
        /// See `super::menu_unchanged`.
        pub static MENU_UNCHANGED: Cell<bool> = const { Cell::new(false) };
    }

    fn set_connection(state: Connection) {
        CONNECTION.with(|signal| {
            if signal.get_untracked() != state {
                signal.set(state);
            }
        });
    }

    /// Follows the browser's network and the tab's visibility, once per page: back online, a new
    /// stream (whose greeting makes every listener refetch); looked at again, a refetch, and a new
    /// stream if the old one died while the tab was hidden.
    pub fn watch_network() {
        if WATCHING.with(|watching| watching.replace(true)) {
            return;
        }
        // Once per page, as it was rendered.
        SHOWN_MENU.with(|shown| *shown.borrow_mut() = page_meta(super::MENU_META));
        // After hydration: the server rendered the page as online.
        set_timeout(
            || {
                if !window().navigator().on_line() {
                    set_connection(Connection::Offline);
                }
            },
            Duration::ZERO,
        );
        let on_offline: Closure<dyn FnMut(Event)> =
            Closure::new(|_| set_connection(Connection::Offline));
        let on_online: Closure<dyn FnMut(Event)> = Closure::new(|_| {
            set_connection(if has_subscribers() {
                Connection::Reconnecting
            } else {
                Connection::Live
            });
            reopen();
        });
        let on_visible: Closure<dyn FnMut(Event)> = Closure::new(|_| {
            if document().visibility_state() != VisibilityState::Visible {
                return;
            }
            let open = STREAM.with(|stream| {
                stream
                    .borrow()
                    .as_ref()
                    .is_some_and(|s| s.source.ready_state() == EventSource::OPEN)
            });
            // What is shown may be stale either way; a dead stream is also replaced.
            resync(false);
            if !open {
                reopen();
            }
        });
        let window = window();
        let _ =
            window.add_event_listener_with_callback("offline", on_offline.as_ref().unchecked_ref());
        let _ =
            window.add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
        let _ = document().add_event_listener_with_callback(
            "visibilitychange",
            on_visible.as_ref().unchecked_ref(),
        );
        // They live as long as the page.
        on_offline.forget();
        on_online.forget();
        on_visible.forget();
    }

    fn has_subscribers() -> bool {
        SUBSCRIBERS.with(|list| !list.borrow().is_empty())
    }

    /// Replaces the page's stream with a new one, if anyone still listens.
    fn reopen() {
        if !has_subscribers() {
            return;
        }
        if let Some(old) = STREAM.with(|stream| stream.borrow_mut().take()) {
            old.source.close();
        }
        let opened = open();
        STREAM.with(|stream| *stream.borrow_mut() = opened);
    }

    pub fn subscribe(on_event: impl Fn(Option<LiveEvent>) + 'static) {
        watch_network();
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
                if CONNECTION.with(|c| c.get_untracked()) == Connection::Reconnecting {
                    set_connection(Connection::Live);
                }
            }
        });
    }

    /// Has every listener refetch what it shows (`on_event(None)`); with `menu_unchanged`, a
    /// listener that shows only the menu may skip it.
    fn resync(menu_unchanged: bool) {
        if !menu_unchanged {
            // Whatever is refetched now is newer than the page as rendered.
            SHOWN_MENU.with(|shown| shown.borrow_mut().take());
        }
        MENU_UNCHANGED.with(|flag| flag.set(menu_unchanged));
        broadcast(None);
        MENU_UNCHANGED.with(|flag| flag.set(false));
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
        let url = STREAM_KEY.with(|key| match &*key.borrow() {
            Some(key) => format!(
                "/events?{}={}",
                crate::model::SCREEN_KEY_PARAM,
                String::from(js_sys::encode_uri_component(key))
            ),
            None => "/events".to_string(),
        });
        let Ok(source) = EventSource::new(&url) else {
            leptos::logging::warn!("live updates unavailable: EventSource failed");
            return None;
        };
        let mut listeners: Vec<Listener> = Vec::new();
        let opened: StatusListener = Closure::new(move |_: Event| {
            FAILURES.with(|failures| failures.set(0));
            set_connection(Connection::Live);
        });
        let _ = source.add_event_listener_with_callback("open", opened.as_ref().unchecked_ref());
        let failed_source = source.clone();
        let failed: StatusListener = Closure::new(move |_: Event| {
            if CONNECTION.with(|c| c.get_untracked()) != Connection::Offline {
                set_connection(Connection::Reconnecting);
            }
            // The browser retries a dropped stream by itself; one it gave up on (the server
            // answered with an error) is opened again here, waiting longer each time.
            if failed_source.ready_state() == EventSource::CLOSED {
                let failures = FAILURES.with(|f| f.replace(f.get() + 1));
                let wait = Duration::from_secs((2u64 << failures.min(4)).min(30));
                let this = failed_source.clone();
                set_timeout(
                    move || {
                        let current = STREAM.with(|stream| {
                            stream.borrow().as_ref().is_some_and(|s| s.source == this)
                        });
                        if current {
                            reopen();
                        }
                    },
                    wait,
                );
            }
        });
        let _ = source.add_event_listener_with_callback("error", failed.as_ref().unchecked_ref());
        let hello: Listener = Closure::new(move |message: MessageEvent| {
            let server = message
                .data()
                .as_string()
                .and_then(|text| serde_json::from_str::<super::Hello>(&text).ok());
            if let (Some(server), Some(page)) = (&server, page_meta(super::BUILD_META)) {
                if server.build != page {
                    super::NEW_VERSION.with(|flag| flag.set(true));
                }
            }
            let menu_unchanged = server.is_some_and(|server| {
                !server.menu.is_empty()
                    && SHOWN_MENU.with(|shown| shown.borrow().as_deref() == Some(&*server.menu))
            });
            resync(menu_unchanged)
        });
        let _ = source.add_event_listener_with_callback(
            super::StreamEvent::Hello.name(),
            hello.as_ref().unchecked_ref(),
        );
        listeners.push(hello);
        let resynced: Listener = Closure::new(move |_: MessageEvent| resync(false));
        let _ = source.add_event_listener_with_callback(
            super::StreamEvent::Resync.name(),
            resynced.as_ref().unchecked_ref(),
        );
        listeners.push(resynced);
        let update: Listener = Closure::new(move |message: MessageEvent| {
            let parsed = message
                .data()
                .as_string()
                .and_then(|text| serde_json::from_str::<LiveEvent>(&text).ok());
            if let Some(event) = parsed {
                if matches!(event, LiveEvent::Menu) {
                    SHOWN_MENU.with(|shown| shown.borrow_mut().take());
                }
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
            _status: [opened, failed],
        })
    }

    /// What the page's `<meta name=…>` says, as the server rendered it.
    fn page_meta(name: &str) -> Option<String> {
        let selector = format!("meta[name=\"{name}\"]");
        document()
            .query_selector(&selector)
            .ok()
            .flatten()
            .and_then(|meta| meta.get_attribute("content"))
    }
}
