//! The read-only JSON API for integrations (`/api/v1`, described by `/api/v1/openapi.json`), its
//! API keys and their daily quotas, the operator probes, and photo uploads. `routes` also wires the
//! server's other routes that are not pages: the live stream (`/events`, in `events.rs`), the
//! Cognito sign-in (`cognito.rs`) and the drink illustrations (`illustration.rs`).

use super::config::ApiKeys;
use super::store::api_keys::{self, Spend};
use super::AppState;
use crate::error::AppError;
use crate::model::{Drink, DrinkOption, MenuFilter, RecipeLine, Section};
use axum::extract::{rejection::QueryRejection, Path, Query, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::OpenApi as _;

pub fn routes(state: &AppState) -> Router<AppState> {
    let keyed = Router::new()
        .route("/api/v1/sections", get(sections))
        .route("/api/v1/drinks", get(drinks))
        .route("/api/v1/drinks/{id}", get(drink))
        .route_layer(middleware::from_fn_with_state(state.clone(), api_key_gate));
    Router::new()
        .merge(keyed)
        .route("/api/v1/openapi.json", get(openapi))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(super::metrics::serve))
        .route("/admin/shopping-list.csv", get(shopping_list_csv))
        .route("/events", get(super::events::events))
        .route(
            super::offline::WORKER_PATH,
            get(super::offline::service_worker),
        )
        .route("/illustration.svg", get(super::illustration::serve))
        .route("/auth/cognito/login", get(super::cognito::login))
        .route("/auth/cognito/callback", get(super::cognito::callback))
        .route("/uploads/{key}", put(upload))
        .route("/language", post(super::language::choose))
}

/// The header that carries an API key.
pub const API_KEY_HEADER: &str = "x-api-key";
const LIMIT_HEADER: HeaderName = HeaderName::from_static("x-ratelimit-limit");
const REMAINING_HEADER: HeaderName = HeaderName::from_static("x-ratelimit-remaining");

/// The body of a refused `/api/v1` call (401, 429), as API gateways word it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Message {
    message: String,
}

fn message(status: StatusCode, message: &str) -> Response {
    (
        status,
        axum::Json(Message {
            message: message.to_string(),
        }),
    )
        .into_response()
}

/// Checks the caller's API key and counts the call against its daily quota: without a key the
/// call is served only when keys are optional; a key that is unknown, malformed or revoked gets
/// 401; over the quota, 429 `{"message":"Limit Exceeded"}` until midnight UTC.
async fn api_key_gate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let key = match request.headers().get(API_KEY_HEADER) {
        None if state.config.api_keys == ApiKeys::Optional => return next.run(request).await,
        None => {
            return message(
                StatusCode::UNAUTHORIZED,
                "This API needs a key: send it in the x-api-key header.",
            )
        }
        Some(value) => value.to_str().unwrap_or_default().trim().to_string(),
    };
    let spend = match state.store.spend_api_call(&key).await {
        Ok(spend) => spend,
        Err(err) => return AppError::from(err).into_response(),
    };
    let (quota, used) = match spend {
        Spend::Unknown => {
            tracing::warn!(path = %request.uri().path(), "API call with an unknown or revoked key");
            return message(
                StatusCode::UNAUTHORIZED,
                "This API key is not valid (or has been revoked).",
            );
        }
        Spend::OverQuota { quota } => {
            let (_, retry_after) = api_keys::today(super::store::now_ms());
            let mut response = message(StatusCode::TOO_MANY_REQUESTS, "Limit Exceeded");
            let headers = response.headers_mut();
            headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            headers.insert(LIMIT_HEADER, HeaderValue::from(quota));
            headers.insert(REMAINING_HEADER, HeaderValue::from(0));
            return response;
        }
        Spend::Allowed { quota, used } => (quota, used),
    };
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(LIMIT_HEADER, HeaderValue::from(quota));
    headers.insert(REMAINING_HEADER, HeaderValue::from((quota - used).max(0)));
    response
}

/// The OpenAPI document, built from the handlers' `#[utoipa::path]` attributes and the types
/// they return, so it cannot drift from the code.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Barback API",
        description = "Tonight's menu for integrations: sections and drinks, with what can be made \
                       right now. Answers carry an ETag; send it back in If-None-Match to get \
                       304 Not Modified while nothing changed."
    ),
    paths(sections, drinks, drink),
    components(schemas(SectionList, DrinkList, Section, Drink, DrinkOption, RecipeLine, Message)),
    modifiers(&KeyedCalls),
    tags((name = "menu", description = "The menu as guests see it"))
)]
pub struct ApiDoc;

/// Adds what every keyed operation shares: the `x-api-key` scheme and the 401 and 429 answers.
struct KeyedCalls;

impl utoipa::Modify for KeyedCalls {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::header::HeaderBuilder;
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder, Type};
        if let Some(components) = doc.components.as_mut() {
            components.add_security_scheme(
                "api_key",
                SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                    API_KEY_HEADER,
                    "A key the host created under Admin → API keys; each has a daily quota.",
                ))),
            );
        }
        let json = || {
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Message")))
                .build()
        };
        let count = |description: &str| {
            HeaderBuilder::new()
                .schema(utoipa::openapi::ObjectBuilder::new().schema_type(Type::Integer))
                .description(Some(description))
                .build()
        };
        for item in doc.paths.paths.values_mut() {
            let Some(operation) = item.get.as_mut() else {
                continue;
            };
            let responses = &mut operation.responses.responses;
            responses.insert(
                "401".into(),
                ResponseBuilder::new()
                    .description("No valid API key (when keys are required), or a wrong one")
                    .content("application/json", json())
                    .build()
                    .into(),
            );
            responses.insert(
                "429".into(),
                ResponseBuilder::new()
                    .description(
                        "The key's daily quota is spent (`Limit Exceeded`), or too many calls \
                         from one address",
                    )
                    .content("application/json", json())
                    .header(
                        "Retry-After",
                        count("Seconds until the call may be made again"),
                    )
                    .build()
                    .into(),
            );
            responses.entry("200".into()).and_modify(|ok| {
                if let utoipa::openapi::RefOr::T(ok) = ok {
                    ok.headers.insert(
                        LIMIT_HEADER.as_str().to_string(),
                        count("The key's daily quota"),
                    );
                    ok.headers.insert(
                        REMAINING_HEADER.as_str().to_string(),
                        count("Calls left today (UTC) with this key"),
                    );
                }
            });
        }
    }
}

/// The document as this server serves it: its own address, and the key as optional or required.
pub fn openapi_document(state: &AppState) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::security::SecurityRequirement;
    let mut doc = ApiDoc::openapi();
    doc.servers = Some(vec![utoipa::openapi::Server::new(
        state.config.public_url.clone(),
    )]);
    let keyed = SecurityRequirement::new("api_key", Vec::<String>::new());
    doc.security = Some(match state.config.api_keys {
        ApiKeys::Required => vec![keyed],
        ApiKeys::Optional => vec![SecurityRequirement::default(), keyed],
    });
    doc
}

async fn openapi(State(state): State<AppState>, headers: HeaderMap) -> Response {
    json_with_etag(&headers, &openapi_document(&state))
}

#[derive(Serialize, utoipa::ToSchema)]
struct SectionList<'a> {
    #[schema(value_type = Vec<Section>)]
    sections: &'a [Section],
}

#[derive(Serialize, utoipa::ToSchema)]
struct DrinkList<'a> {
    #[schema(value_type = Vec<Drink>)]
    drinks: Vec<&'a Drink>,
}

/// The menu's sections, in menu order.
#[utoipa::path(get, path = "/api/v1/sections", tag = "menu",
    responses((status = 200, description = "The sections", body = SectionList),
              (status = 304, description = "Not modified since the ETag sent")))]
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

/// Drinks in menu order, optionally filtered. Unavailable drinks are listed too, with
/// `available: false`.
#[utoipa::path(get, path = "/api/v1/drinks", tag = "menu", params(MenuFilter),
    responses((status = 200, description = "The drinks that match", body = DrinkList),
              (status = 304, description = "Not modified since the ETag sent"),
              (status = 400, description = "A filter could not be understood")))]
#[tracing::instrument(skip_all)]
async fn drinks(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, AppError> {
    let Query(params) = query.map_err(|err| AppError::invalid("query", err.body_text()))?;
    let filter = MenuFilter::from_query(params.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    let menu = state.menu.snapshot();
    let drinks = menu.matching(&filter);
    Ok(json_with_etag(&headers, &DrinkList { drinks }))
}

/// One drink, with its recipe and whether it can be made now.
#[utoipa::path(get, path = "/api/v1/drinks/{id}", tag = "menu",
    params(("id" = String, Path, description = "The drink's id")),
    responses((status = 200, description = "The drink", body = Drink),
              (status = 304, description = "Not modified since the ETag sent"),
              (status = 404, description = "No such drink")))]
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
    body: axum::body::Body,
) -> Result<StatusCode, AppError> {
    // Everything is checked before one byte of the body is read: a refused upload never
    // streams in (and a client that sent `Expect: 100-continue` never sends it at all).
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
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared != Some(q.length) {
        return Err(super::images::size_mismatch());
    }
    photos
        .store_upload(&key, body.into_data_stream(), q.length)
        .await?;
    Ok(StatusCode::CREATED)
}

#[derive(Debug, Default, serde::Deserialize)]
struct NightQuery {
    night: Option<i64>,
}

/// The night's shopping list as CSV, for a signed-in host.
async fn shopping_list_csv(
    State(state): State<AppState>,
    Query(query): Query<NightQuery>,
    headers: HeaderMap,
) -> Response {
    match super::auth::admin_from_headers(&state, &headers).await {
        Ok(Some(_)) => {}
        Ok(None) => return AppError::Unauthorized.into_response(),
        Err(err) => return err.into_response(),
    }
    match state.bar().night_shopping_list(query.night).await {
        Ok(list) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"shopping-list.csv\"",
                ),
            ],
            list.to_csv(),
        )
            .into_response(),
        Err(err) => err.into_response(),
    }
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
