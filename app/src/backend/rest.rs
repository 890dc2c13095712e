//! The read-only JSON API for integrations (`/api/v1`) and the operator probes.

use super::AppState;
use crate::error::AppError;
use crate::model::{Drink, MenuFilter, Section};
use axum::extract::DefaultBodyLimit;
use axum::extract::{rejection::QueryRejection, Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::Router;
use http::{header, HeaderMap, HeaderValue, StatusCode};
use serde::Serialize;
use sha2::{Digest, Sha256};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/sections", get(sections))
        .route("/api/v1/drinks", get(drinks))
        .route("/api/v1/drinks/{id}", get(drink))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/events", get(super::events::events))
        .route("/illustration.svg", get(super::illustration::serve))
        .route("/auth/cognito/login", get(super::cognito::login))
        .route("/auth/cognito/callback", get(super::cognito::callback))
        .route(
            "/uploads/{key}",
            put(upload).layer(DefaultBodyLimit::max(super::images::MAX_BYTES as usize + 1)),
        )
}

#[derive(Serialize)]
struct SectionList<'a> {
    sections: &'a [Section],
}

#[derive(Serialize)]
struct DrinkList<'a> {
    drinks: Vec<&'a Drink>,
}

#[tracing::instrument(skip_all)]
async fn sections(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let menu = state.menu.snapshot();
    json_with_etag(
        &headers,
        &SectionList {
            sections: &menu.sections,
        },
    )
}

#[tracing::instrument(skip_all)]
async fn drinks(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, AppError> {
    let Query(params) = query.map_err(|err| AppError::invalid("query", err.body_text()))?;
    let filter = MenuFilter::from_query(params.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    let menu = state.menu.snapshot();
    let drinks = menu.drinks.iter().filter(|d| filter.matches(d)).collect();
    Ok(json_with_etag(&headers, &DrinkList { drinks }))
}

#[tracing::instrument(skip_all, fields(id = %id))]
async fn drink(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let menu = state.menu.snapshot();
    let drink = menu
        .drink(&id)
        .ok_or_else(|| AppError::NotFound(format!("drink {id}")))?;
    Ok(json_with_etag(&headers, drink))
}

#[derive(serde::Deserialize)]
struct UploadQuery {
    #[serde(rename = "type")]
    content_type: String,
    length: u64,
    expires: i64,
    sig: String,
}

/// `PUT /uploads/{key}`: the browser sends a photo here with the URL the server signed for it.
#[tracing::instrument(skip_all, fields(key = %key))]
async fn upload(
    State(state): State<AppState>,
    Path(key): Path<String>,
    query: Result<Query<UploadQuery>, QueryRejection>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<StatusCode, AppError> {
    let Query(q) = query.map_err(|_| AppError::Forbidden)?;
    let photos = state
        .photos
        .local()
        .ok_or_else(|| AppError::NotFound("uploads".into()))?;
    let now = super::store::now_ms();
    photos.check_upload(&key, &q.content_type, q.length, q.expires, &q.sig, now)?;
    let sent_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if sent_type != q.content_type {
        return Err(AppError::invalid(
            "photo",
            "The upload's type does not match the one it was signed for.",
        ));
    }
    if body.len() as u64 != q.length {
        return Err(AppError::invalid(
            "photo",
            "The upload's size does not match the one it was signed for.",
        ));
    }
    photos.store_upload(&key, &body).await?;
    Ok(StatusCode::CREATED)
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> Response {
    if state.store.ping().await {
        (StatusCode::OK, "ready").into_response()
    } else {
        AppError::Unavailable.into_response()
    }
}

/// Serialises `value`; answers `304 Not Modified` when the client already has these exact bytes.
/// The ETag is a hash of the body, so it changes exactly when the answer does.
pub fn json_with_etag<T: Serialize>(headers: &HeaderMap, value: &T) -> Response {
    let body = match serde_json::to_vec(value) {
        Ok(body) => body,
        Err(err) => {
            tracing::error!(error = %err, "could not serialise an API response");
            return AppError::Internal.into_response();
        }
    };
    let digest = Sha256::digest(&body);
    let etag = format!("\"{}\"", super::hex(&digest[..16]));
    let etag_value = HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"0\""));
    let cache = HeaderValue::from_static("no-cache");
    if if_none_match(headers, &etag) {
        return (
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, etag_value), (header::CACHE_CONTROL, cache)],
        )
            .into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::ETAG, etag_value),
            (header::CACHE_CONTROL, cache),
        ],
        body,
    )
        .into_response()
}

/// RFC 9110 weak comparison against every tag in `If-None-Match` (or `*`).
fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == "*" || tag == etag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_accepts_lists_weak_tags_and_star() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"a\", W/\"b\""),
        );
        assert!(if_none_match(&headers, "\"b\""));
        assert!(!if_none_match(&headers, "\"c\""));
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(if_none_match(&headers, "\"c\""));
        assert!(!if_none_match(&HeaderMap::new(), "\"c\""));
    }
}
