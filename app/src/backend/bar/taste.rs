//! What the bartender knows about a guest: the taste profile they edit, "Forget me", and the
//! wish list (drinks guests asked for that are not on the menu) the host reads.

use super::Bar;
use crate::error::AppError;
use crate::model::{TasteProfile, WishList};

impl Bar {
    /// Replaces the guest's own likes, dislikes, allergies and limits (what the bartender learned
    /// stays).
    #[tracing::instrument(skip(self, profile))]
    pub async fn save_taste(&self, guest_id: &str, profile: &TasteProfile) -> Result<(), AppError> {
        Ok(self.store.save_taste_profile(guest_id, profile).await?)
    }

    /// Removes one term (a like, dislike, allergy, or something learned) from the profile.
    #[tracing::instrument(skip(self, term))]
    pub async fn forget_taste_term(&self, guest_id: &str, term: &str) -> Result<(), AppError> {
        Ok(self.store.forget_taste_term(guest_id, term.trim()).await?)
    }

    /// "Forget me": the guest's words, taste profile, wishes and push subscriptions are deleted.
    /// What they spent of the bartender's hourly budget is not: that ledger holds no words.
    #[tracing::instrument(skip(self))]
    pub async fn forget_me(&self, guest_id: &str) -> Result<(), AppError> {
        self.store.forget_guest_chat(guest_id).await?;
        self.store.delete_guest_push_subscriptions(guest_id).await?;
        tracing::info!("guest asked to be forgotten");
        Ok(())
    }

    /// Drinks guests asked the bartender for that are not on the menu, by drink and by guest.
    #[tracing::instrument(skip_all)]
    pub async fn wish_list(&self) -> Result<WishList, AppError> {
        Ok(self.store.wish_list().await?)
    }
}
