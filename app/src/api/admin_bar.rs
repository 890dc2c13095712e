//! The host runs the bar: stock, invites, guests, API keys.

use crate::error::AppError;
use crate::model::{ApiKeyList, GuestSummary, Invite, NewApiKey, StockItem};
use leptos::prelude::*;

#[server(endpoint = "admin_bar/stock")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "stock", skip_all))]
pub async fn stock() -> Result<Vec<StockItem>, AppError> {
    super::answer(
        async move {
            let (state, _) = crate::backend::auth::require_admin().await?;
            let menu = state.menu.snapshot();
            let rows = state.store.ingredients().await?;
            Ok(rows
                .into_iter()
                .map(|row| StockItem {
                    needed_by: menu
                        .drinks
                        .iter()
                        .filter(|d| {
                            d.ingredients
                                .iter()
                                .any(|l| l.ingredient_id == row.id && !l.optional)
                        })
                        .map(|d| d.name.clone())
                        .collect(),
                    in_stock: row.in_stock != 0,
                    id: row.id,
                    name: row.name,
                })
                .collect())
        }
        .await,
    )
}

/// Puts an ingredient on or off the shelf; every drink that needs it follows, everywhere, at once.
#[server(endpoint = "admin_bar/set_stock")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "set_stock", skip_all))]
pub async fn set_stock(ingredient_id: String, in_stock: bool) -> Result<(), AppError> {
    super::answer(
        async move {
            let (state, admin) = crate::backend::auth::require_admin().await?;
            if !state.store.set_in_stock(&ingredient_id, in_stock).await? {
                return Err(AppError::NotFound("That ingredient".into()));
            }
            tracing::info!(ingredient = %ingredient_id, in_stock, admin = %admin.username, "stock changed");
            state.menu_changed().await
        }
        .await,
    )
}

#[server(endpoint = "admin_bar/invites")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "invites", skip_all))]
pub async fn invites() -> Result<Vec<Invite>, AppError> {
    super::answer(
        async move {
            let (state, _) = crate::backend::auth::require_admin().await?;
            let rows = state.store.usable_invites().await?;
            Ok(rows.into_iter().map(|row| to_invite(&state, row)).collect())
        }
        .await,
    )
}

#[server(endpoint = "admin_bar/create_invite")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "create_invite", skip_all))]
pub async fn create_invite(uses: i64, hours: i64, note: String) -> Result<Invite, AppError> {
    super::answer(
        async move {
            let (state, admin) = crate::backend::auth::require_admin().await?;
            let row = state.store.create_invite(uses, hours, &note).await?;
            tracing::info!(code = %crate::domain::invite_hint(&row.code), admin = %admin.username, "invite created");
            Ok(to_invite(&state, row))
        }
        .await,
    )
}

#[server(endpoint = "admin_bar/revoke_invite")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "revoke_invite", skip_all))]
pub async fn revoke_invite(code: String) -> Result<(), AppError> {
    super::answer(
        async move {
            let (state, _) = crate::backend::auth::require_admin().await?;
            let code = crate::domain::InviteCode::parse(&code)?;
            if !state.store.revoke_invite(code.as_str()).await? {
                return Err(AppError::NotFound("That invite".into()));
            }
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "admin_bar/guests")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "guests", skip_all))]
pub async fn guests() -> Result<Vec<GuestSummary>, AppError> {
    super::answer(
        async move {
            let (state, _) = crate::backend::auth::require_admin().await?;
            Ok(state.store.guest_summaries().await?)
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn to_invite(
    state: &crate::backend::AppState,
    row: crate::backend::store::invites::InviteRow,
) -> Invite {
    let join_url = state.join_url(&row.code);
    Invite {
        qr_svg: qr_svg(&join_url),
        code: row.code,
        note: row.note,
        max_uses: row.max_uses,
        uses: row.uses,
        expires_at: row.expires_at,
        revoked: row.revoked_at.is_some(),
        join_url,
    }
}

/// Every API key, active ones first, with today's calls.
#[server(endpoint = "admin_bar/api_keys")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "api_keys", skip_all))]
pub async fn api_keys() -> Result<ApiKeyList, AppError> {
    super::answer(
        async move {
            let (state, _) = crate::backend::auth::require_admin().await?;
            let keys = state.store.api_keys().await?;
            Ok(ApiKeyList {
                keys: keys.into_iter().map(to_api_key).collect(),
                required: state.config.api_keys == crate::backend::config::ApiKeys::Required,
            })
        }
        .await,
    )
}

/// Creates a key for an integration; the answer is the only time the key itself is shown.
#[server(endpoint = "admin_bar/create_api_key")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "create_api_key", skip_all)
)]
pub async fn create_api_key(name: String, daily_quota: i64) -> Result<NewApiKey, AppError> {
    super::answer(
        async move {
            let (state, admin) = crate::backend::auth::require_admin().await?;
            let (row, secret) = state.store.create_api_key(&name, daily_quota).await?;
            tracing::info!(key = %row.prefix, daily_quota, admin = %admin.username, "API key created");
            Ok(NewApiKey {
                key: to_api_key(row),
                secret,
            })
        }
        .await,
    )
}

/// Revokes a key: calls with it are refused from now on, on every server.
#[server(endpoint = "admin_bar/revoke_api_key")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "revoke_api_key", skip_all, fields(id = %id)))]
pub async fn revoke_api_key(id: String) -> Result<(), AppError> {
    super::answer(
        async move {
            let (state, admin) = crate::backend::auth::require_admin().await?;
            if !state.store.revoke_api_key(&id).await? {
                return Err(AppError::NotFound("That API key".into()));
            }
            tracing::info!(key = %id, admin = %admin.username, "API key revoked");
            Ok(())
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn to_api_key(row: crate::backend::store::api_keys::ApiKeyRow) -> crate::model::ApiKey {
    crate::model::ApiKey {
        id: row.id,
        name: row.name,
        prefix: row.prefix,
        daily_quota: row.daily_quota,
        used_today: row.used_today,
        created_at: row.created_at,
        revoked: row.revoked_at.is_some(),
    }
}

/// The URL as an SVG QR code that scales to its box.
#[cfg(feature = "ssr")]
pub fn qr_svg(url: &str) -> String {
    use qrcode::{render::svg, EcLevel, QrCode};
    match QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M) {
        Ok(code) => code
            .render::<svg::Color>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
        Err(err) => {
            tracing::error!(error = %err, "could not make a QR code");
            String::new()
        }
    }
}

/// Drinks guests asked the bartender for that are not on the menu.
#[server(endpoint = "admin_bar/load_wishes")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "load_wishes", skip_all))]
pub async fn load_wishes() -> Result<crate::model::WishList, AppError> {
    super::answer(
        async move {
            let (state, _) = crate::backend::auth::require_admin().await?;
            Ok(state.store.wish_list().await?)
        }
        .await,
    )
}
