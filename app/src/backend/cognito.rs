//! Admin sign-in through Amazon Cognito's hosted UI (`BARBACK_ADMIN_AUTH=cognito`): the OAuth
//! authorization-code flow with PKCE and state; the ID token is verified against the user pool's
//! JWKS (RS256 only; `iss`, `token_use`, `aud`, `exp` checked), and only members of the `admin`
//! group get in. The app then keeps its own session cookie.

use crate::error::AppError;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use jsonwebtoken::{decode, decode_header, jwk::JwkSet, Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::time::{Duration, Instant};
use tokio::sync::RwLock;

/// How often an unknown `kid` may trigger a JWKS refetch.
const REFRESH_EVERY: Duration = Duration::from_secs(60);
pub const ADMIN_GROUP: &str = "admin";

#[derive(Clone, Debug)]
pub struct CognitoConfig {
    /// The hosted UI, e.g. `https://bar.auth.eu-west-1.amazoncognito.com`.
    pub domain: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    /// The user pool, e.g. `https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc123`.
    pub issuer: String,
    /// Defaults to `<issuer>/.well-known/jwks.json`.
    pub jwks_url: String,
}

#[derive(Debug)]
pub struct Cognito {
    config: CognitoConfig,
    http: reqwest::Client,
    keys: RwLock<Keys>,
}

#[derive(Debug, Default)]
struct Keys {
    by_kid: HashMap<String, DecodingKey>,
    fetched: Option<Instant>,
}

/// Who signed in, from a verified ID token.
#[derive(Clone, Debug, PartialEq)]
pub struct CognitoUser {
    pub sub: String,
    pub username: String,
}

#[derive(Deserialize)]
struct Claims {
    sub: String,
    token_use: String,
    #[serde(rename = "cognito:username", default)]
    username: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(rename = "cognito:groups", default)]
    groups: Vec<String>,
}

/// A PKCE verifier and its S256 challenge.
pub fn pkce_pair() -> (String, String) {
    let (verifier, _) = super::auth::new_token();
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

fn refused(why: &str) -> AppError {
    tracing::warn!(why, "Cognito sign-in refused");
    AppError::Unauthorized
}

impl Cognito {
    pub fn new(config: CognitoConfig) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_default();
        Cognito {
            config,
            http,
            keys: RwLock::new(Keys::default()),
        }
    }

    pub fn authorize_url(&self, redirect_uri: &str, state: &str, challenge: &str) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.config.client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("scope", "openid email profile")
            .append_pair("state", state)
            .append_pair("code_challenge", challenge)
            .append_pair("code_challenge_method", "S256");
        format!("{}/oauth2/authorize?{}", self.config.domain, query.finish())
    }

    /// Exchanges the authorization code for the ID token.
    pub async fn exchange(
        &self,
        code: &str,
        verifier: &str,
        redirect_uri: &str,
    ) -> Result<String, AppError> {
        #[derive(Deserialize)]
        struct Tokens {
            id_token: String,
        }
        let mut request = self
            .http
            .post(format!("{}/oauth2/token", self.config.domain))
            .form(&[
                ("grant_type", "authorization_code"),
                ("client_id", self.config.client_id.as_str()),
                ("code", code),
                ("redirect_uri", redirect_uri),
                ("code_verifier", verifier),
            ]);
        if let Some(secret) = &self.config.client_secret {
            request = request.basic_auth(&self.config.client_id, Some(secret));
        }
        let response = request.send().await.map_err(|err| {
            tracing::error!(error = %err, "Cognito token endpoint unreachable");
            AppError::Unavailable
        })?;
        if !response.status().is_success() {
            return Err(refused("the code was not accepted"));
        }
        let tokens: Tokens = response
            .json()
            .await
            .map_err(|_| refused("no ID token in the answer"))?;
        Ok(tokens.id_token)
    }

    /// Verifies an ID token; Ok only for a member of the `admin` group.
    pub async fn verify(&self, token: &str) -> Result<CognitoUser, AppError> {
        let header = decode_header(token).map_err(|_| refused("malformed token"))?;
        if header.alg != Algorithm::RS256 {
            return Err(refused("algorithm is not RS256"));
        }
        let kid = header.kid.ok_or_else(|| refused("no kid"))?;
        let key = self
            .key(&kid)
            .await?
            .ok_or_else(|| refused("unknown kid"))?;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&[&self.config.issuer]);
        validation.set_audience(&[&self.config.client_id]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 30;
        let claims = decode::<Claims>(token, &key, &validation)
            .map_err(|err| refused(&format!("invalid token: {err}")))?
            .claims;
        if claims.token_use != "id" {
            return Err(refused("not an ID token"));
        }
        if !claims.groups.iter().any(|g| g == ADMIN_GROUP) {
            tracing::warn!(sub = %claims.sub, "Cognito user is not in the admin group");
            return Err(AppError::Forbidden);
        }
        Ok(CognitoUser {
            username: claims
                .username
                .or(claims.email)
                .unwrap_or_else(|| claims.sub.clone()),
            sub: claims.sub,
        })
    }

    /// The key for `kid`, refetching the JWKS when it is unknown (at most once a minute).
    async fn key(&self, kid: &str) -> Result<Option<DecodingKey>, AppError> {
        {
            let keys = self.keys.read().await;
            if let Some(key) = keys.by_kid.get(kid) {
                return Ok(Some(key.clone()));
            }
            if keys.fetched.is_some_and(|at| at.elapsed() < REFRESH_EVERY) {
                return Ok(None);
            }
        }
        let mut keys = self.keys.write().await;
        if keys.fetched.is_some_and(|at| at.elapsed() < REFRESH_EVERY) {
            return Ok(keys.by_kid.get(kid).cloned());
        }
        keys.fetched = Some(Instant::now());
        let set: JwkSet = self
            .http
            .get(&self.config.jwks_url)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|err| {
                tracing::error!(error = %err, "JWKS unreachable");
                AppError::Unavailable
            })?
            .json()
            .await
            .map_err(|err| {
                tracing::error!(error = %err, "JWKS unreadable");
                AppError::Unavailable
            })?;
        keys.by_kid = set
            .keys
            .iter()
            .filter_map(|jwk| Some((jwk.common.key_id.clone()?, DecodingKey::from_jwk(jwk).ok()?)))
            .collect();
        tracing::info!(keys = keys.by_kid.len(), "JWKS loaded");
        Ok(keys.by_kid.get(kid).cloned())
    }
}

// ---- The two routes of the sign-in flow ----

use super::auth::{self, ADMIN};
use super::AppState;
use crate::i18n::{td_string, I18nLocaleTrait as _, Locale};
use axum::extract::{Query, State};
use axum::response::{AppendHeaders, Html, IntoResponse, Redirect, Response};
use http::{header, HeaderMap, StatusCode};

/// Holds `state.verifier` for the ten minutes a sign-in may take.
const OAUTH: &str = "barback_oauth";
pub const ADMIN_SESSION_SECS: i64 = 12 * 3600;

fn callback_url(state: &AppState) -> String {
    format!("{}/auth/cognito/callback", state.config.public_url)
}

/// `GET /auth/cognito/login`: off to the hosted UI.
pub async fn login(State(state): State<AppState>) -> Response {
    let Some(cognito) = &state.cognito else {
        return AppError::NotFound("Cognito sign-in".into()).into_response();
    };
    let (nonce, _) = auth::new_token();
    let (verifier, challenge) = pkce_pair();
    let url = cognito.authorize_url(&callback_url(&state), &nonce, &challenge);
    let cookie = state
        .cookies
        .set(OAUTH, &format!("{nonce}.{verifier}"), 600);
    ([(header::SET_COOKIE, cookie)], Redirect::to(&url)).into_response()
}

#[derive(Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
}

/// `GET /auth/cognito/callback`: check state, exchange the code, verify the token, sign in.
pub async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<Callback>,
) -> Response {
    let Some(cognito) = &state.cognito else {
        return AppError::NotFound("Cognito sign-in".into()).into_response();
    };
    let clear = state.cookies.set(OAUTH, "", 0);
    let expected = state.cookies.read(&headers, OAUTH);
    let locale = super::language::from_headers(&state, &headers);
    let incomplete = td_string!(locale, errors.sign_in_incomplete);
    let (Some(code), Some(returned), Some(expected)) = (query.code, query.state, expected) else {
        return page(locale, StatusCode::UNAUTHORIZED, incomplete, clear);
    };
    let Some((nonce, verifier)) = expected.split_once('.') else {
        return page(locale, StatusCode::UNAUTHORIZED, incomplete, clear);
    };
    if nonce != returned {
        tracing::warn!("Cognito callback with a mismatched state");
        return page(locale, StatusCode::UNAUTHORIZED, incomplete, clear);
    }
    let result = async {
        let token = cognito
            .exchange(&code, verifier, &callback_url(&state))
            .await?;
        let user = cognito.verify(&token).await?;
        let admin_id = state.store.external_admin(&user.sub).await?;
        let (session, session_hash) = auth::new_token();
        let expires = super::store::now_ms() + ADMIN_SESSION_SECS * 1000;
        state
            .store
            .insert_admin_session(&session_hash, &admin_id, expires)
            .await?;
        tracing::info!(user = %user.username, "admin signed in through Cognito");
        Ok::<_, AppError>(session)
    }
    .await;
    match result {
        Ok(session) => {
            let cookie = state.cookies.set(ADMIN, &session, ADMIN_SESSION_SECS);
            (
                // Two cookies: a plain header array would let the second replace the first.
                AppendHeaders([(header::SET_COOKIE, cookie), (header::SET_COOKIE, clear)]),
                Redirect::to("/admin/board"),
            )
                .into_response()
        }
        Err(AppError::Forbidden) => page(
            locale,
            StatusCode::FORBIDDEN,
            td_string!(locale, errors.sign_in_not_admin),
            clear,
        ),
        Err(AppError::Unavailable) => page(
            locale,
            StatusCode::SERVICE_UNAVAILABLE,
            td_string!(locale, errors.sign_in_unreachable),
            clear,
        ),
        Err(_) => page(
            locale,
            StatusCode::UNAUTHORIZED,
            td_string!(locale, errors.sign_in_failed),
            clear,
        ),
    }
}

/// The page a failed sign-in ends on, in the host's language (the words are the bar's own: no
/// escaping needed).
fn page(locale: Locale, status: StatusCode, message: &str, clear: http::HeaderValue) -> Response {
    let lang = locale.as_str();
    let title = td_string!(locale, errors.sign_in_title);
    let back = td_string!(locale, errors.sign_in_back);
    let body = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>{title} · Barback</title></head><body \
         style=\"font-family:system-ui;max-width:30rem;margin:3rem auto;padding:0 1rem\"><h1>{title}</h1>\
         <p role=\"alert\">{message}</p><p><a href=\"/admin/login\">{back}</a></p></body></html>"
    );
    (status, [(header::SET_COOKIE, clear)], Html(body)).into_response()
}
