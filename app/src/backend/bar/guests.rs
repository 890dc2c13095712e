//! Guests: removal by the host (from the board or the command line) and letting them back.

use super::Bar;
use crate::backend::store::guests::GuestRow;
use crate::domain::GuestName;
use crate::error::AppError;

impl Bar {
    /// Removes a guest from the party: their session stops working and their open pages stop
    /// listening at once, and their name stays taken until the host lets them back.
    #[tracing::instrument(skip(self))]
    pub async fn remove_guest(&self, guest_id: &str) -> Result<GuestRow, AppError> {
        let guest = self
            .store
            .remove_guest(guest_id)
            .await?
            .ok_or_else(|| AppError::NotFound("That guest".into()))?;
        self.hub.guest_removed(&guest.id);
        Ok(guest)
    }

    /// `remove_guest`, for the active guest with this name.
    pub async fn remove_guest_named(&self, name: &GuestName) -> Result<GuestRow, AppError> {
        let id = self
            .store
            .guest_id_by_name(name)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("An active guest called {name}")))?;
        self.remove_guest(&id).await
    }

    /// Lets a removed guest back: their name is free again, so they can join anew with an invite.
    #[tracing::instrument(skip(self))]
    pub async fn let_guest_back(&self, guest_id: &str) -> Result<(), AppError> {
        if self.store.let_guest_back(guest_id).await? {
            Ok(())
        } else {
            Err(AppError::NotFound("That removed guest".into()))
        }
    }
}
