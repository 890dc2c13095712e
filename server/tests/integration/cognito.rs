//! Admin sign-in through Cognito, against a local issuer that serves a JWKS and a token endpoint
//! and signs the tokens itself: only a valid ID token of an `admin` group member gets in.

use crate::common::{spawn_app_with, Db, TestApp};
use app::backend::cognito::CognitoConfig;
use axum::extract::{Form, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use jsonwebtoken::{encode, EncodingKey, Header};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

const CLIENT_ID: &str = "test-client";
const POOL_KEY: &str = include_str!("../fixtures/cognito-test-key.pem");
const ATTACKER_KEY: &str = include_str!("../fixtures/attacker-key.pem");
const JWKS: &str = include_str!("../fixtures/cognito-test-jwks.json");

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn sign(key_pem: &str, claims: &Value) -> String {
    let mut header = Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = Some("test-key-1".into());
    encode(
        &header,
        claims,
        &EncodingKey::from_rsa_pem(key_pem.as_bytes()).unwrap(),
    )
    .unwrap()
}

/// The ID token the issuer hands out for each test "code".
fn token_for(code: &str, issuer: &str) -> String {
    let mut claims = json!({
        "sub": "user-123",
        "iss": issuer,
        "aud": CLIENT_ID,
        "token_use": "id",
        "exp": now() + 600,
        "iat": now(),
        "cognito:username": "hosty",
        "cognito:groups": ["admin"],
    });
    match code {
        "admin" => sign(POOL_KEY, &claims),
        "member" => {
            claims["cognito:groups"] = json!(["guests"]);
            sign(POOL_KEY, &claims)
        }
        "expired" => {
            claims["exp"] = json!(now() - 3600);
            sign(POOL_KEY, &claims)
        }
        "wrong-issuer" => {
            claims["iss"] = json!("https://cognito-idp.example/other-pool");
            sign(POOL_KEY, &claims)
        }
        "wrong-audience" => {
            claims["aud"] = json!("someone-else");
            sign(POOL_KEY, &claims)
        }
        "access-token" => {
            claims["token_use"] = json!("access");
            sign(POOL_KEY, &claims)
        }
        "forged" => sign(ATTACKER_KEY, &claims),
        "alg-none" => {
            let header =
                URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT","kid":"test-key-1"}"#);
            let body = URL_SAFE_NO_PAD.encode(claims.to_string());
            format!("{header}.{body}.")
        }
        "unknown-kid" => {
            let mut header = Header::new(jsonwebtoken::Algorithm::RS256);
            header.kid = Some("rotated-away".into());
            encode(
                &header,
                &claims,
                &EncodingKey::from_rsa_pem(POOL_KEY.as_bytes()).unwrap(),
            )
            .unwrap()
        }
        other => panic!("no token for {other}"),
    }
}

/// A local stand-in for the user pool: JWKS, and a token endpoint that checks PKCE.
async fn issuer() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = Router::new()
        .route(
            "/.well-known/jwks.json",
            get(|| async { Json(serde_json::from_str::<Value>(JWKS).unwrap()) }),
        )
        .route(
            "/oauth2/token",
            post(
                |State(base): State<String>, Form(form): Form<HashMap<String, String>>| async move {
                    assert_eq!(
                        form.get("grant_type").map(String::as_str),
                        Some("authorization_code")
                    );
                    assert_eq!(form.get("client_id").map(String::as_str), Some(CLIENT_ID));
                    assert!(
                        form.get("code_verifier").is_some_and(|v| v.len() >= 43),
                        "PKCE verifier sent"
                    );
                    let code = form.get("code").cloned().unwrap_or_default();
                    if code == "bad-code" {
                        return (
                            http::StatusCode::BAD_REQUEST,
                            Json(json!({"error": "invalid_grant"})),
                        );
                    }
                    (
                        http::StatusCode::OK,
                        Json(
                            json!({ "id_token": token_for(&code, &base), "token_type": "Bearer" }),
                        ),
                    )
                },
            ),
        )
        .with_state(base.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });
    base
}

async fn cognito_app(db: Db) -> Option<TestApp> {
    let base = issuer().await;
    spawn_app_with(db, |config| {
        config.cognito = Some(CognitoConfig {
            domain: base.clone(),
            client_id: CLIENT_ID.into(),
            client_secret: None,
            issuer: base.clone(),
            jwks_url: format!("{base}/.well-known/jwks.json"),
        });
    })
    .await
}

/// Runs the browser's side of the flow; returns the callback's status and the admin cookie, if any.
async fn sign_in(app: &TestApp, code: &str) -> (u16, Option<String>) {
    let client = TestApp::no_redirects();
    let start = client
        .get(app.url("/auth/cognito/login"))
        .send()
        .await
        .unwrap();
    assert_eq!(start.status(), 303);
    let location = start.headers()["location"].to_str().unwrap().to_string();
    assert!(
        location.contains("/oauth2/authorize?") && location.contains("code_challenge_method=S256"),
        "{location}"
    );
    assert!(location.contains(&format!("client_id={CLIENT_ID}")));
    let state = location
        .split("state=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string();
    let oauth_cookie = crate::common::session_cookie(start.headers());
    let callback = client
        .get(app.url(&format!("/auth/cognito/callback?code={code}&state={state}")))
        .header("cookie", &oauth_cookie)
        .send()
        .await
        .unwrap();
    let status = callback.status().as_u16();
    let name = app.state.cookies.name(app::backend::auth::ADMIN);
    let admin = callback
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap().to_string())
        .find(|c| c.starts_with(&format!("{name}=")) && !c.ends_with('='));
    (status, admin)
}

#[tokio::test]
async fn an_admin_group_member_signs_in_and_reaches_the_board() {
    let app = cognito_app(Db::Sqlite).await.unwrap();
    let (status, cookie) = sign_in(&app, "admin").await;
    assert_eq!(status, 303);
    let cookie = crate::common::Session(cookie.expect("admin session"));
    let (board, _) = app
        .call::<app::api::admin::GetBoard, app::model::Board>(Some(&cookie), &[])
        .await;
    assert!(board.is_ok());
    // Signing in again reuses the same admin account.
    sign_in(&app, "admin").await;
    assert_eq!(app.state.store.count_admins().await.unwrap(), 1);
}

#[tokio::test]
async fn every_bad_token_is_refused_and_signs_nobody_in() {
    let app = cognito_app(Db::Sqlite).await.unwrap();
    for (code, expected) in [
        ("member", 403),
        ("expired", 401),
        ("wrong-issuer", 401),
        ("wrong-audience", 401),
        ("access-token", 401),
        ("forged", 401),
        ("alg-none", 401),
        ("unknown-kid", 401),
        ("bad-code", 401),
    ] {
        let (status, cookie) = sign_in(&app, code).await;
        assert_eq!(status, expected, "{code}");
        assert!(cookie.is_none(), "{code} must not sign anyone in");
    }
    let (sessions,): (i64,) = sqlx::query_as("select count(*) from admin_sessions")
        .fetch_one(app.state.store.pool())
        .await
        .unwrap();
    assert_eq!(sessions, 0);
}

#[tokio::test]
async fn a_callback_without_the_matching_state_is_refused() {
    let app = cognito_app(Db::Sqlite).await.unwrap();
    let client = TestApp::no_redirects();
    let start = client
        .get(app.url("/auth/cognito/login"))
        .send()
        .await
        .unwrap();
    let oauth_cookie = crate::common::session_cookie(start.headers());
    let forged = client
        .get(app.url("/auth/cognito/callback?code=admin&state=not-the-state"))
        .header("cookie", &oauth_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 401);
    let no_cookie = client
        .get(app.url("/auth/cognito/callback?code=admin&state=x"))
        .send()
        .await
        .unwrap();
    assert_eq!(no_cookie.status(), 401);
    // And the local password form is closed while Cognito is configured.
    let (local, _) = app
        .call::<app::api::admin::AdminLogin, ()>(
            None,
            &[("username", "admin"), ("password", "whatever")],
        )
        .await;
    assert!(local.unwrap_err().to_string().contains("Cognito"));
}
