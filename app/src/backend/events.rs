//! `GET /events`: Server-Sent Events. A guest receives only events about their own orders (plus
//! detail-free "queue" and "menu" nudges); an admin receives everything; a visitor who has not
//! joined, only "menu" nudges (what the menu page shows anyway). Clients refetch what they show
//! whenever the stream (re)opens, so nothing is missed across reconnects. The first event,
//! `hello`, names the server's build, so a page running older code can offer a reload.

use super::auth::{admin_from_headers, guest_from_headers, token_hash, ADMIN, GUEST};
use super::hub::{Audience, HubMessage};
use super::AppState;
use crate::components::live::StreamEvent;
use crate::error::AppError;
use axum::extract::{Query, State};
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
    /// A pickup screen opened with a read-only link (the hash of its key).
    Screen(String),
    Visitor,
}

/// `/events?key=…`: a pickup screen's link key, for a TV that has no session.
#[derive(Debug, Default, serde::Deserialize)]
pub struct StreamQuery {
    key: Option<String>,
}

pub async fn events(
    State(state): State<AppState>,
    Query(query): Query<StreamQuery>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    // Subscribe before authenticating, so nothing committed after this request began is missed.
    let updates = BroadcastStream::new(state.hub.subscribe());
    let watcher = if admin_from_headers(&state, &headers).await?.is_some() {
        Watcher::Admin
    } else if let Some(key) = query.key {
        // A link that was withdrawn says so, and the screen stops listening.
        if !state.bar().screen_key_holds(&key).await? {
            return Err(AppError::Unauthorized);
        }
        Watcher::Screen(token_hash(&key))
    } else if let Some(guest) = guest_from_headers(&state, &headers).await? {
        Watcher::Guest(guest.id)
    } else if !state.cookies.carries_session(&headers) {
        Watcher::Visitor
    } else {
        // A session that has ended (a removed guest, a signed-out host): say so, so the page
        // stops listening instead of quietly becoming a visitor's.
        return Err(AppError::Unauthorized);
    };
    let slot = match session_key(&state, &headers, &watcher) {
        Some(key) => Some(
            state
                .streams
                .take(key, state.config.limits.connections.streams_per_session)
                .ok_or_else(|| {
                    tracing::warn!(?watcher, "too many live streams for one session");
                    AppError::RateLimited {
                        retry_after_secs: 30,
                    }
                })?,
        ),
        None => None,
    };
    tracing::debug!(?watcher, "event stream opened");
    let counted = state.metrics.stream_opened();
    // Read after subscribing: a menu change from here on reaches this stream as an event.
    let hello = serde_json::to_string(&crate::components::live::Hello {
        build: state.site.build().to_string(),
        menu: state.menu.fingerprint().to_string(),
    })
    .map_err(|err| {
        tracing::error!(error = %err, "could not write the hello event");
        AppError::Internal
    })?;
    let hello = stream::once(async move {
        Ok(Event::default()
            .event(StreamEvent::Hello.name())
            .data(hello))
    });
    let checks = session_checks(state.clone(), headers, watcher.clone());
    let gone_for = watcher.clone();
    let live = stream::select(updates.map(Step::Hub), checks)
        .take_while(move |step| {
            let ends = match (step, &gone_for) {
                (Step::SessionEnded, _) => true,
                (Step::Hub(Ok(m)), _) if matches!(&**m, HubMessage::ShuttingDown) => true,
                (Step::Hub(Ok(m)), Watcher::Guest(me)) => {
                    matches!(&**m, HubMessage::GuestRemoved(id) if id == me)
                }
                _ => false,
            };
            async move { !ends }
        })
        .filter_map(move |step| {
            // The stream owns its slot: the session may open another once this one ends.
            let _open = (&slot, &counted);
            let event = match step {
                Step::Hub(message) => to_event(&watcher, message),
                Step::SessionEnded => None,
            };
            async move { event.map(Ok) }
        });
    Ok(Sse::new(hello.chain(live)).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

/// What a live stream reacts to: a message from the hub, or its session found to have ended.
enum Step {
    Hub(Result<std::sync::Arc<HubMessage>, BroadcastStreamRecvError>),
    SessionEnded,
}

/// The session a stream belongs to (its cookie's hash), if it has one.
fn session_key(state: &AppState, headers: &HeaderMap, watcher: &Watcher) -> Option<String> {
    let cookie = match watcher {
        Watcher::Admin => ADMIN,
        Watcher::Guest(_) => GUEST,
        Watcher::Screen(hash) => return Some(hash.clone()),
        Watcher::Visitor => return None,
    };
    state
        .cookies
        .read(headers, cookie)
        .map(|token| token_hash(&token))
}

/// Every `session_check`, whether the stream's session still holds (a host signed out, a session
/// expired); yields `SessionEnded` once it does not. A visitor's stream has nothing to check.
fn session_checks(
    state: AppState,
    headers: HeaderMap,
    watcher: Watcher,
) -> impl Stream<Item = Step> + Send {
    let period = state.config.limits.connections.session_check;
    let start = tokio::time::Instant::now() + period;
    let ticks =
        tokio_stream::wrappers::IntervalStream::new(tokio::time::interval_at(start, period));
    let checked = !matches!(watcher, Watcher::Visitor);
    ticks
        .take_while(move |_| std::future::ready(checked))
        .then(move |_| {
            let (state, headers, watcher) = (state.clone(), headers.clone(), watcher.clone());
            async move { session_holds(&state, &headers, &watcher).await }
        })
        .filter_map(|holds| std::future::ready((!holds).then_some(Step::SessionEnded)))
}

async fn session_holds(state: &AppState, headers: &HeaderMap, watcher: &Watcher) -> bool {
    let now = match watcher {
        Watcher::Admin => admin_from_headers(state, headers)
            .await
            .map(|admin| admin.is_some()),
        Watcher::Guest(me) => guest_from_headers(state, headers)
            .await
            .map(|guest| guest.is_some_and(|guest| &guest.id == me)),
        Watcher::Screen(hash) => state.bar().screen_hash_holds(hash).await,
        Watcher::Visitor => Ok(true),
    };
    now.unwrap_or_else(|err| {
        // The database did not answer: keep the stream, and ask again at the next check.
        tracing::warn!(error = %err, "could not check a live stream's session");
        true
    })
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
                use crate::model::LiveEvent;
                let visible = match (audience, watcher) {
                    (_, Watcher::Visitor) => matches!(**event, LiveEvent::Menu),
                    (_, Watcher::Admin) => true,
                    (Audience::Everyone, Watcher::Guest(_)) => true,
                    (Audience::GuestAndAdmins(owner), Watcher::Guest(me)) => owner == me,
                    (Audience::Screens, Watcher::Guest(_)) => false,
                    (Audience::Screens, Watcher::Screen(_)) => true,
                    (_, Watcher::Screen(_)) => matches!(**event, LiveEvent::Pickup { .. }),
                };
                // Guests do not need the detail-free queue nudge as admins see every order anyway.
                let redundant =
                    matches!(watcher, Watcher::Admin) && matches!(**event, LiveEvent::Queue);
                if !visible || redundant {
                    return None;
                }
                let data = serde_json::to_string(&**event).ok()?;
                Some(
                    Event::default()
                        .id(id.to_string())
                        .event(StreamEvent::Update.name())
                        .data(data),
                )
            }
            HubMessage::GuestRemoved(_) | HubMessage::ShuttingDown | HubMessage::StopAnswer(_) => {
                None
            }
        },
        // This stream fell behind: tell the page to refetch everything it shows.
        Err(BroadcastStreamRecvError::Lagged(missed)) => {
            tracing::warn!(missed, "event stream lagged; asking the client to resync");
            Some(
                Event::default()
                    .event(StreamEvent::Resync.name())
                    .data("{}"),
            )
        }
    }
}
