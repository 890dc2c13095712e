//! The host: signing in and out, the bar board, removing guests.

use crate::error::AppError;
use crate::model::{Board, Order, OrderStatus};
use leptos::prelude::*;

/// How long an admin stays signed in.
#[cfg(feature = "ssr")]
const ADMIN_SESSION_SECS: i64 = 12 * 3600;

#[server(output = crate::api::Answer, endpoint = "admin/admin_login")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "admin_login", skip_all))]
pub async fn admin_login(username: String, password: String) -> Result<(), AppError> {
    super::answer(
        async move {
            use crate::backend::auth;
            let state = crate::backend::AppState::from_context()?;
            if state.cognito.is_some() {
                return Err(AppError::invalid(
                    "password",
                    crate::says!(errors.cognito_only),
                ));
            }
            let client = auth::request_client();
            let wait_secs = crate::backend::limits::retry_after_secs;
            if let Err(wait) = state.signin.may_try(client, &username) {
                return Err(AppError::RateLimited {
                    retry_after_secs: wait_secs(wait),
                });
            }
            let Some(_turn) = state.signin.turn().await else {
                tracing::warn!("too many sign-ins waiting for a password check");
                return Err(AppError::Unavailable);
            };
            let Some(admin) = state
                .bar()
                .check_admin_password(&username, &password)
                .await?
            else {
                let wait = state.signin.failed(client, &username);
                tracing::warn!(
                    username = %username.chars().take(40).collect::<String>(),
                    client = ?client,
                    wait = ?wait,
                    "failed admin sign-in"
                );
                return Err(match wait {
                    Some(wait) => AppError::RateLimited {
                        retry_after_secs: wait_secs(wait),
                    },
                    None => AppError::invalid("password", crate::says!(errors.wrong_password)),
                });
            };
            state.signin.succeeded(client, &username);
            let (token, token_hash) = auth::new_token();
            let expires = crate::backend::store::now_ms() + ADMIN_SESSION_SECS * 1000;
            state
                .store
                .insert_admin_session(&token_hash, &admin.id, expires)
                .await?;
            auth::append_cookie(state.cookies.set(auth::ADMIN, &token, ADMIN_SESSION_SECS));
            tracing::info!(admin = %admin.username, "admin signed in");
            leptos_axum::redirect("/admin/board");
            Ok(())
        }
        .await,
    )
}

#[server(output = crate::api::Answer, endpoint = "admin/admin_logout")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "admin_logout", skip_all))]
pub async fn admin_logout() -> Result<(), AppError> {
    super::answer(
        async move {
            use crate::backend::auth;
            let state = crate::backend::AppState::from_context()?;
            let headers = auth::request_headers();
            if let Some(token) = state.cookies.read(&headers, auth::ADMIN) {
                state
                    .store
                    .delete_admin_session(&auth::token_hash(&token))
                    .await?;
            }
            auth::append_cookie(state.cookies.set(auth::ADMIN, "", 0));
            leptos_axum::redirect("/admin/login");
            Ok(())
        }
        .await,
    )
}

#[server(output = crate::api::Answer, endpoint = "admin/get_board")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "get_board", skip_all))]
pub async fn get_board() -> Result<Board, AppError> {
    super::as_host(async |state| state.bar().board().await).await
}

/// Moves an order on (or cancels it): `status` is the status it should get.
#[server(output = crate::api::Answer, endpoint = "admin/advance_order")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "advance_order", skip_all, fields(order_id = %order_id, status = ?status)))]
pub async fn advance_order(order_id: String, status: OrderStatus) -> Result<Order, AppError> {
    super::as_host(async |state| state.bar().advance_order(&order_id, status).await).await
}

/// Removes a guest from the party: their session stops working at once.
#[server(output = crate::api::Answer, endpoint = "admin/remove_guest")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "remove_guest", skip_all, fields(guest_id = %guest_id)))]
pub async fn remove_guest(guest_id: String) -> Result<(), AppError> {
    super::as_host(async |state| state.bar().remove_guest(&guest_id).await.map(drop)).await
}

/// Lets a removed guest back: their name is free again, so they can join anew with an invite.
#[server(output = crate::api::Answer, endpoint = "admin/let_guest_back")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "let_guest_back", skip_all, fields(guest_id = %guest_id)))]
pub async fn let_guest_back(guest_id: String) -> Result<(), AppError> {
    super::as_host(async |state| state.bar().let_guest_back(&guest_id).await).await
}

/// True when admins sign in through Cognito's hosted UI rather than with a local password.
#[server(output = crate::api::Answer, endpoint = "admin/uses_cognito")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "uses_cognito", skip_all))]
pub async fn uses_cognito() -> Result<bool, AppError> {
    let state = crate::backend::AppState::from_context()?;
    Ok(state.cognito.is_some())
}
