//! Live updates in the browser: one `EventSource` on `/events` per page that needs it.

use crate::model::LiveEvent;

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
        for name in ["hello", "resync"] {
            let on_event = on_event.clone();
            let listener: Listener = Closure::new(move |_: MessageEvent| on_event(None));
            let _ =
                source.add_event_listener_with_callback(name, listener.as_ref().unchecked_ref());
            listeners.push(listener);
        }
        let update: Listener = Closure::new(move |message: MessageEvent| {
            let parsed = message
                .data()
                .as_string()
                .and_then(|text| serde_json::from_str::<LiveEvent>(&text).ok());
            if let Some(event) = parsed {
                on_event(Some(event));
            }
        });
        let _ = source.add_event_listener_with_callback("update", update.as_ref().unchecked_ref());
        listeners.push(update);
        // The stream and its listeners live exactly as long as the page that opened them.
        let held = send_wrapper::SendWrapper::new((source, listeners));
        on_cleanup(move || held.0.close());
    }
}
