//! The host runs the bar: ingredients on the shelf, invites, guests, API keys, the wish list. Each
//! is a door to one use case in `backend::bar`.

use crate::error::AppError;
use crate::model::{
    ApiKeyList, BartenderSettings, GuestSummary, Ingredient, Invite, NewApiKey, WishList,
};
use leptos::prelude::*;

#[server(output = crate::api::Answer, endpoint = "admin_bar/ingredients")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "ingredients", skip_all))]
pub async fn ingredients() -> Result<Vec<Ingredient>, AppError> {
    super::as_host(async |state| state.bar().ingredients().await).await
}

/// Puts an ingredient on or off the shelf; every drink that needs it follows, everywhere, at once.
#[server(output = crate::api::Answer, endpoint = "admin_bar/set_in_stock")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "set_in_stock", skip_all, fields(id = %ingredient_id, in_stock)))]
pub async fn set_in_stock(ingredient_id: String, in_stock: bool) -> Result<(), AppError> {
    super::as_host(async |state| state.bar().set_in_stock(&ingredient_id, in_stock).await).await
}

#[server(output = crate::api::Answer, endpoint = "admin_bar/invites")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "invites", skip_all))]
pub async fn invites() -> Result<Vec<Invite>, AppError> {
    super::as_host(async |state| {
        let rows = state.bar().usable_invites().await?;
        Ok(rows.into_iter().map(|row| to_invite(state, row)).collect())
    })
    .await
}

/// The party's name, as the host gave it (the join page greets guests with it).
#[server(output = crate::api::Answer, endpoint = "admin_bar/party_name")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "party_name", skip_all))]
pub async fn party_name() -> Result<Option<String>, AppError> {
    super::as_host(async |state| state.bar().party_name().await).await
}

#[server(output = crate::api::Answer, endpoint = "admin_bar/set_party_name")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "set_party_name", skip_all)
)]
pub async fn set_party_name(party: String) -> Result<Option<String>, AppError> {
    super::as_host(async |state| state.bar().set_party_name(&party).await).await
}

#[server(output = crate::api::Answer, endpoint = "admin_bar/create_invite")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "create_invite", skip_all))]
pub async fn create_invite(uses: i64, hours: i64, note: String) -> Result<Invite, AppError> {
    super::as_host(async |state| {
        let row = state.bar().create_invite(uses, hours, &note).await?;
        Ok(to_invite(state, row))
    })
    .await
}

#[server(output = crate::api::Answer, endpoint = "admin_bar/revoke_invite")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "revoke_invite", skip_all))]
pub async fn revoke_invite(code: String) -> Result<(), AppError> {
    super::as_host(async |state| {
        let code = crate::domain::InviteCode::parse(&code)?;
        state.bar().revoke_invite(&code).await
    })
    .await
}

#[server(output = crate::api::Answer, endpoint = "admin_bar/guests")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "guests", skip_all))]
pub async fn guests() -> Result<Vec<GuestSummary>, AppError> {
    super::as_host(async |state| state.bar().guest_summaries().await).await
}

/// An invite as the Invites page shows it: with its join link and that link as a QR code.
#[cfg(feature = "ssr")]
fn to_invite(
    state: &crate::backend::AppState,
    row: crate::backend::store::invites::InviteRow,
) -> Invite {
    let join_url = state.join_url(&row.code);
    Invite {
        qr_svg: crate::backend::qr::qr_svg(&join_url),
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
#[server(output = crate::api::Answer, endpoint = "admin_bar/api_keys")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "api_keys", skip_all))]
pub async fn api_keys() -> Result<ApiKeyList, AppError> {
    super::as_host(async |state| {
        let keys = state.bar().api_keys().await?;
        Ok(ApiKeyList {
            keys: keys.into_iter().map(to_api_key).collect(),
            required: state.config.api_keys == crate::backend::config::ApiKeys::Required,
        })
    })
    .await
}

/// Creates a key for an integration; the answer is the only time the key itself is shown.
#[server(output = crate::api::Answer, endpoint = "admin_bar/create_api_key")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "create_api_key", skip_all)
)]
pub async fn create_api_key(name: String, daily_quota: i64) -> Result<NewApiKey, AppError> {
    super::as_host(async |state| {
        let (row, secret) = state.bar().create_api_key(&name, daily_quota).await?;
        Ok(NewApiKey {
            key: to_api_key(row),
            secret,
        })
    })
    .await
}

/// Revokes a key: calls with it are refused from now on, on every server.
#[server(output = crate::api::Answer, endpoint = "admin_bar/revoke_api_key")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "revoke_api_key", skip_all, fields(id = %id)))]
pub async fn revoke_api_key(id: String) -> Result<(), AppError> {
    super::as_host(async |state| state.bar().revoke_api_key(&id).await).await
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

/// Drinks guests asked the bartender for that are not on the menu.
#[server(output = crate::api::Answer, endpoint = "admin_bar/load_wishes")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "load_wishes", skip_all))]
pub async fn load_wishes() -> Result<WishList, AppError> {
    super::as_host(async |state| state.bar().wish_list().await).await
}

/// Who answers guests, the models to choose from, and the tokens each has used.
#[server(output = crate::api::Answer, endpoint = "admin_bar/bartender")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "bartender_settings", skip_all)
)]
pub async fn load_bartender_settings() -> Result<BartenderSettings, AppError> {
    super::as_host(async |state| state.bar().bartender_settings().await).await
}

/// Picks who answers guests from their next message: `house` or a configured model's id.
#[server(output = crate::api::Answer, endpoint = "admin_bar/set_bartender")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "set_bartender", skip_all, fields(%model)))]
pub async fn set_bartender(model: String) -> Result<BartenderSettings, AppError> {
    super::as_host(async |state| state.bar().set_bartender(&model).await).await
}
