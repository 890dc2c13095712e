//! Guests: joining with an invite, removal by the host (from the board or the command line) and
//! letting them back.

use super::Bar;
use crate::backend::store::guests::{self, GuestRow, NameHeld, NewGuest};
use crate::backend::store::{new_id, now_ms, retrying, TxError};
use crate::domain::{GuestName, InviteCode};
use crate::error::AppError;
use crate::says;

impl Bar {
    /// Uses one place on the invite and lets the guest in under `name` with the session whose
    /// token hashes to `token_hash`, or changes nothing and says why.
    #[tracing::instrument(skip(self, code, token_hash), fields(code = %code.hint()))]
    pub async fn join(
        &self,
        code: &InviteCode,
        name: &GuestName,
        token_hash: &str,
        session_ms: i64,
    ) -> Result<GuestRow, AppError> {
        let guest = retrying(|| self.try_join(code, name, token_hash, session_ms)).await?;
        tracing::info!(guest = %guest.id, "guest joined");
        Ok(guest)
    }

    async fn try_join(
        &self,
        code: &InviteCode,
        name: &GuestName,
        token_hash: &str,
        session_ms: i64,
    ) -> Result<GuestRow, TxError> {
        let now = now_ms();
        let mut tx = self.store.begin_write().await?;
        let Some(invite_id) = guests::take_invite_use(&mut tx, code, now).await? else {
            tx.rollback().await?;
            let refused = self
                .check_invite(code)
                .await
                .err()
                .unwrap_or_else(|| AppError::invalid("code", says!(errors.invite_unusable)));
            return Err(refused.into());
        };
        let id = new_id();
        let why = match guests::claim_name(&mut tx, name, &id, now).await? {
            NameHeld::Claimed => None,
            NameHeld::ByRemovedGuest => Some(says!(errors.guest_removed, name = name.as_str())),
            NameHeld::ByGuest => Some(says!(errors.name_here, name = name.as_str())),
        };
        if let Some(why) = why {
            tx.rollback().await?;
            return Err(AppError::invalid("name", why).into());
        }
        let expires_at = now + session_ms;
        let guest = NewGuest {
            id: &id,
            name,
            invite_id: &invite_id,
            token_hash,
            expires_at,
        };
        guests::insert_guest(&mut tx, &guest, now).await?;
        tx.commit().await?;
        Ok(GuestRow {
            id,
            name: name.to_string(),
            expires_at,
        })
    }

    /// Removes a guest from the party: their session stops working and their open pages stop
    /// listening at once, and their name stays taken until the host lets them back.
    #[tracing::instrument(skip(self))]
    pub async fn remove_guest(&self, guest_id: &str) -> Result<GuestRow, AppError> {
        let guest = self
            .store
            .remove_guest(guest_id)
            .await?
            .ok_or_else(|| AppError::NotFound(says!(errors.that_guest)))?;
        self.store
            .delete_guest_push_subscriptions(&guest.id)
            .await?;
        tracing::info!("guest removed");
        self.hub.guest_removed(&guest.id);
        Ok(guest)
    }

    /// `remove_guest`, for the active guest with this name.
    #[tracing::instrument(skip(self))]
    pub async fn remove_guest_named(&self, name: &GuestName) -> Result<GuestRow, AppError> {
        let id = self
            .store
            .guest_id_by_name(name)
            .await?
            .ok_or_else(|| AppError::NotFound(says!(errors.active_guest_called, name)))?;
        self.remove_guest(&id).await
    }

    /// Lets a removed guest back: their name is free again, so they can join anew with an invite.
    #[tracing::instrument(skip(self))]
    pub async fn let_guest_back(&self, guest_id: &str) -> Result<(), AppError> {
        if self.store.let_guest_back(guest_id).await? {
            tracing::info!("removed guest let back");
            Ok(())
        } else {
            Err(AppError::NotFound(says!(errors.that_removed_guest)))
        }
    }

    /// Every guest as the host sees them: orders on the way, drinks had, and removed ones too.
    #[tracing::instrument(skip_all)]
    pub async fn guest_summaries(&self) -> Result<Vec<crate::model::GuestSummary>, AppError> {
        Ok(self.store.guest_summaries().await?)
    }
}
