//! The host's night: its stats and shopping list, and closing the party.

use crate::error::AppError;
use crate::model::{Night, NightStats};
use leptos::prelude::*;

/// The stats of the night that closed at `closed_at`, or of the current one.
#[server(output = crate::api::Answer, endpoint = "stats/night")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "night_stats", skip_all))]
pub async fn load_night_stats(closed_at: Option<i64>) -> Result<NightStats, AppError> {
    super::as_host(async |state| {
        let east = crate::backend::pages::host_clock_east();
        let locale = crate::backend::language::of_request();
        state.bar().night_stats(closed_at, east, locale).await
    })
    .await
}

/// Ends the party: guests signed out, invites withdrawn, the board empty; the stats stay.
#[server(output = crate::api::Answer, endpoint = "stats/close_party")]
#[cfg_attr(feature = "ssr", tracing::instrument(name = "close_party", skip_all))]
pub async fn close_party() -> Result<Night, AppError> {
    super::as_host(async |state| state.bar().close_party().await).await
}
