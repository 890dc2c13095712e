//! Which language a request is answered in: the guest's choice, kept in a cookie by `POST
//! /language` (the switch in the navigation), or else the best of the browser's `Accept-Language`
//! that the UI speaks, or else English. One function decides, for the page, its cached copy
//! (`pages`), and the server functions that write words (the bartender's answers).

use super::AppState;
use crate::i18n::{I18nLocaleTrait as _, Locale};
use crate::language::{ALL, COOKIE};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use http::{header, HeaderMap, StatusCode};
use serde::Deserialize;

/// How long the choice is kept.
const KEPT_FOR_SECS: i64 = 365 * 24 * 60 * 60;

/// The language for a request with these headers.
pub fn from_headers(state: &AppState, headers: &HeaderMap) -> Locale {
    state
        .cookies
        .read(headers, COOKIE)
        .and_then(|chosen| parse(&chosen))
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|value| value.to_str().ok())
                .and_then(best_accepted)
        })
        .unwrap_or_default()
}

/// The language of the request being rendered or served (a page or a server function); English
/// outside a request (listing the routes at start-up renders without one: nothing to log).
pub fn of_request() -> Locale {
    use leptos::prelude::use_context;
    match (
        use_context::<AppState>(),
        use_context::<http::request::Parts>(),
    ) {
        (Some(state), Some(parts)) => from_headers(&state, &parts.headers),
        _ => Locale::default(),
    }
}

fn parse(tag: &str) -> Option<Locale> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    ALL.into_iter().find(|locale| locale.as_str() == primary)
}

/// The language of the highest `q` in an `Accept-Language` header that the UI speaks (RFC 9110
/// §12.5.4); the first listed wins a tie; `q=0` means "not this one".
fn best_accepted(header: &str) -> Option<Locale> {
    let mut best: Option<(Locale, f32)> = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let Some(locale) = parts.next().and_then(parse) else {
            continue;
        };
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if q > 0.0 && best.is_none_or(|(_, best_q)| q > best_q) {
            best = Some((locale, q));
        }
    }
    best.map(|(locale, _)| locale)
}

#[derive(Deserialize)]
pub struct Choice {
    lang: String,
    /// The page to go back to (a path on this site).
    #[serde(default)]
    back: String,
}

/// `POST /language` (`lang`, `back`): keeps the choice and goes back to the page, now in that
/// language. A plain form: it works before the app's code has loaded, and the page reloads whole,
/// cached copies included, in the new language.
pub async fn choose(State(state): State<AppState>, Form(choice): Form<Choice>) -> Response {
    let Some(locale) = parse(&choice.lang) else {
        return (
            StatusCode::BAD_REQUEST,
            "The language must be one of: en, es.",
        )
            .into_response();
    };
    // Only a path on this site: never `//elsewhere` or `https://elsewhere`.
    let back = if choice.back.starts_with('/')
        && !choice.back.starts_with("//")
        && !choice.back.contains('\\')
    {
        choice.back
    } else {
        "/".to_string()
    };
    let mut response = Redirect::to(&back).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        state.cookies.set(COOKIE, locale.as_str(), KEPT_FOR_SECS),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_best_spoken_language_of_the_browser_wins() {
        assert_eq!(best_accepted("es-ES,es;q=0.9,en;q=0.8"), Some(Locale::es));
        assert_eq!(
            best_accepted("fr-FR,fr;q=0.9,es;q=0.5,en;q=0.4"),
            Some(Locale::es)
        );
        assert_eq!(best_accepted("en-GB, es;q=0.9"), Some(Locale::en));
        assert_eq!(best_accepted("es;q=0.2, en;q=0.7"), Some(Locale::en));
        assert_eq!(best_accepted("es;q=0, fr"), None);
        assert_eq!(best_accepted("de, fr"), None);
        assert_eq!(best_accepted(""), None);
        assert_eq!(parse("ES_mx"), Some(Locale::es));
    }
}
