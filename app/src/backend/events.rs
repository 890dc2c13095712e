//! `GET /events`: Server-Sent Events. A guest receives only events about their own orders (plus
//! detail-free "queue" and "menu" nudges); an admin receives everything; a visitor who has not
//! joined, only "menu" nudges (what the menu page shows anyway). Clients refetch what they show
//! whenever the stream (re)opens, so nothing is missed across reconnects. The first event,
//! `hello`, names the server's build, so a page running older code can offer a reload.

use super::auth::{admin_from_headers, guest_from_headers};
use super::hub::{Audience, HubMessage};
use super::AppState;
use crate::error::AppError;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::stream::{self, Stream, StreamExt};
use http::HeaderMap;
use std::convert::Infallible;
use std::time::Duration;
use tokio_stream::wrappers::{errors::BroadcastStreamRecvError, BroadcastStream};

#[derive(Clone, Debug)]
enum Watcher {
    Admin,
    Guest(String),
    Visitor,
}

pub async fn events(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    // Subscribe before authenticating, so nothing committed after this request began is missed.
    let updates = BroadcastStream::new(state.hub.subscribe());
    let watcher = if admin_from_headers(&state, &headers).await?.is_some() {
        Watcher::Admin
    } else if let Some(guest) = guest_from_headers(&state, &headers).await? {
        Watcher::Guest(guest.id)
    } else if !state.cookies.carries_session(&headers) {
        Watcher::Visitor
    } else {
        // A session that has ended (a removed guest, a signed-out host): say so, so the page
        // stops listening instead of quietly becoming a visitor's.
        return Err(AppError::Unauthorized);
    };
    tracing::debug!(?watcher, "event stream opened");
    let hello = serde_json::to_string(&crate::components::live::Hello {
        build: state.site.build().to_string(),
    })
    .map_err(|err| {
        tracing::error!(error = %err, "could not write the hello event");
        AppError::Internal
    })?;
    let hello = stream::once(async move { Ok(Event::default().event("hello").data(hello)) });
    let gone_for = watcher.clone();
    let live = updates
        .take_while(move |message| {
            let ends = match (message, &gone_for) {
                (Ok(m), _) if matches!(&**m, HubMessage::ShuttingDown) => true,
                (Ok(m), Watcher::Guest(me)) => {
                    matches!(&**m, HubMessage::GuestRemoved(id) if id == me)
                }
                _ => false,
            };
            async move { !ends }
        })
        .filter_map(move |message| {
            let event = to_event(&watcher, message);
            async move { event.map(Ok) }
        });
    Ok(Sse::new(hello.chain(live)).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

fn to_event(
    watcher: &Watcher,
    message: Result<std::sync::Arc<HubMessage>, BroadcastStreamRecvError>,
) -> Option<Event> {
    match message {
        Ok(message) => match &*message {
            HubMessage::Live {
                id,
                audience,
                event,
            } => {
                let visible = match (audience, watcher) {
                    (_, Watcher::Visitor) => matches!(event, crate::model::LiveEvent::Menu),
                    (Audience::Everyone, _) | (_, Watcher::Admin) => true,
                    (Audience::GuestAndAdmins(owner), Watcher::Guest(me)) => owner == me,
                };
                // Guests do not need the detail-free queue nudge as admins see every order anyway.
                let redundant = matches!(watcher, Watcher::Admin)
                    && matches!(event, crate::model::LiveEvent::Queue);
                if !visible || redundant {
                    return None;
                }
                let data = serde_json::to_string(event).ok()?;
                Some(
                    Event::default()
                        .id(id.to_string())
                        .event("update")
                        .data(data),
                )
            }
            HubMessage::GuestRemoved(_) | HubMessage::ShuttingDown => None,
        },
        // This stream fell behind: tell the page to refetch everything it shows.
        Err(BroadcastStreamRecvError::Lagged(missed)) => {
            tracing::warn!(missed, "event stream lagged; asking the client to resync");
            Some(Event::default().event("resync").data("{}"))
        }
    }
}
