//! Joining the party, and who is signed in.

use crate::error::AppError;
use crate::model::Viewer;
use leptos::prelude::*;

/// Checks an invite before the guest types a name: when it can be used, the party's name (if the
/// host gave one).
#[server(output = crate::api::Answer, endpoint = "guests/check_invite")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "check_invite", skip_all))]
pub async fn check_invite(code: String) -> Result<Option<String>, AppError> {
    super::answer(
        async move {
            let state = crate::backend::AppState::from_context()?;
            let code = crate::domain::InviteCode::parse(&code)?;
            state.bar().check_invite(&code).await?;
            state.bar().party_name().await
        }
        .await,
    )
}

#[server(output = crate::api::Answer, endpoint = "guests/join_party")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "join_party", skip_all))]
pub async fn join_party(code: String, name: String) -> Result<(), AppError> {
    super::answer(
        async move {
            use crate::backend::auth;
            use crate::domain::{GuestName, InviteCode};
            let state = crate::backend::AppState::from_context()?;
            // Every try counts, a refused one too: codes cannot be guessed, nor guests minted,
            // from one address without end.
            if let Some(client) = auth::request_client() {
                state.limits.check_join(client).map_err(|wait| {
                    tracing::warn!(%client, "too many tries at joining");
                    AppError::RateLimited {
                        retry_after_secs: crate::backend::limits::retry_after_secs(wait),
                    }
                })?;
            }
            let code = InviteCode::parse(&code)?;
            let name = GuestName::parse(&name)?;
            let (token, token_hash) = auth::new_token();
            let session_ms = i64::from(state.config.guest_session_hours) * 3_600_000;
            state
                .bar()
                .join(&code, &name, &token_hash, session_ms)
                .await?;
            auth::append_cookie(state.cookies.set(auth::GUEST, &token, session_ms / 1000));
            leptos_axum::redirect("/");
            Ok(())
        }
        .await,
    )
}

/// Who is calling: a guest, an admin, or nobody yet.
#[server(output = crate::api::Answer, endpoint = "guests/whoami")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "whoami", skip_all))]
pub async fn whoami() -> Result<Viewer, AppError> {
    super::answer(
        async move {
            use crate::backend::auth;
            let state = crate::backend::AppState::from_context()?;
            let headers = auth::request_headers();
            if let Some(guest) = auth::guest_from_headers(&state, &headers).await? {
                let (on_the_way, most_on_the_way) =
                    state.bar().orders_on_the_way(&guest.id).await?;
                return Ok(Viewer::Guest {
                    id: guest.id,
                    name: guest.name,
                    on_the_way,
                    most_on_the_way,
                });
            }
            if let Some(admin) = auth::admin_from_headers(&state, &headers).await? {
                return Ok(Viewer::Admin {
                    username: admin.username,
                });
            }
            Ok(Viewer::Anonymous)
        }
        .await,
    )
}
