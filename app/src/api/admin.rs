//! The host: signing in and out, the bar board, removing guests.

use crate::error::AppError;
use crate::model::{Board, Order};
use leptos::prelude::*;

/// How long an admin stays signed in.
#[cfg(feature = "ssr")]
const ADMIN_SESSION_SECS: i64 = 12 * 3600;

#[server(endpoint = "admin/admin_login")]
pub async fn admin_login(username: String, password: String) -> Result<(), AppError> {
    super::answer(async move {
        use crate::backend::auth;
        let state = crate::backend::AppState::from_context()?;
        if state.cognito.is_some() {
            return Err(AppError::invalid(
                "password",
                "This bar signs hosts in through Cognito: use \"Sign in\".",
            ));
        }
        let Some(admin) = state
            .store
            .check_admin_password(&username, &password)
            .await?
        else {
            tracing::warn!(username = %username.chars().take(40).collect::<String>(), "failed admin sign-in");
            return Err(AppError::invalid("password", "Wrong username or password."));
        };
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
    .await)
}

#[server(endpoint = "admin/admin_logout")]
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

#[server(endpoint = "admin/get_board")]
pub async fn get_board() -> Result<Board, AppError> {
    super::answer(
        async move {
            let (state, _) = crate::backend::auth::require_admin().await?;
            Ok(state.store.board().await?)
        }
        .await,
    )
}

/// Moves an order on (or cancels it): `status` is the status it should get.
#[server(endpoint = "admin/advance_order")]
pub async fn advance_order(order_id: String, status: String) -> Result<Order, AppError> {
    super::answer(async move {
        use crate::model::{Actor, OrderStatus};
        let (state, admin) = crate::backend::auth::require_admin().await?;
        let next = OrderStatus::parse(&status).ok_or_else(|| {
            AppError::invalid("status", format!("{status:?} is not an order status."))
        })?;
        let order = state
            .store
            .transition(&order_id, next, Actor::Host, None)
            .await?;
        tracing::info!(order = %order.id, status = next.as_str(), admin = %admin.username, "order moved");
        state.hub.order_changed(&order);
        Ok(order)
    }
    .await)
}

/// Removes a guest from the party: their session stops working at once.
#[server(endpoint = "admin/remove_guest")]
pub async fn remove_guest(guest_id: String) -> Result<(), AppError> {
    super::answer(
        async move {
            let (state, admin) = crate::backend::auth::require_admin().await?;
            let guest = state
                .store
                .remove_guest(&guest_id)
                .await?
                .ok_or_else(|| AppError::NotFound("That guest".into()))?;
            tracing::info!(guest = %guest.id, admin = %admin.username, "guest removed");
            state.hub.guest_removed(&guest.id);
            Ok(())
        }
        .await,
    )
}

/// True when admins sign in through Cognito's hosted UI rather than with a local password.
#[server(endpoint = "admin/uses_cognito")]
pub async fn uses_cognito() -> Result<bool, AppError> {
    let state = crate::backend::AppState::from_context()?;
    Ok(state.cognito.is_some())
}
