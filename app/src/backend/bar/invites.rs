//! Invite codes: the host makes them (on the Invites page or from the command line), guests join
//! with them, and the host withdraws them.

use super::Bar;
use crate::backend::store::invites::{self, InviteRow};
use crate::backend::store::now_ms;
use crate::domain::{invite_hint, InviteCode};
use crate::error::AppError;
use crate::says;

/// The note on the invite `server seed` prints, so seeding twice prints the same link.
const DEMO_NOTE: &str = "demo";

impl Bar {
    /// A new code for `uses` guests, valid for `hours`, with the host's note; or, for a request
    /// out of bounds, the field and what is allowed.
    #[tracing::instrument(skip(self, note))]
    pub async fn create_invite(
        &self,
        uses: i64,
        hours: i64,
        note: &str,
    ) -> Result<InviteRow, AppError> {
        if !(1..=10_000).contains(&uses) {
            return Err(AppError::invalid("uses", says!(errors.invite_uses)));
        }
        if !(1..=24 * 30).contains(&hours) {
            return Err(AppError::invalid("hours", says!(errors.invite_hours)));
        }
        let note = note.trim();
        if note.chars().count() > 100 || note.chars().any(char::is_control) {
            return Err(AppError::invalid("note", says!(errors.invite_note)));
        }
        let row = InviteRow {
            code: invites::generate_code(),
            note: note.to_string(),
            max_uses: uses,
            uses: 0,
            expires_at: now_ms() + hours * 3_600_000,
            revoked_at: None,
        };
        self.store.insert_invite(&row).await?;
        tracing::info!(code = %invite_hint(&row.code), "invite created");
        Ok(row)
    }

    /// Ok when a guest can join with `code` now; else why not, in the guest's words.
    #[tracing::instrument(skip_all, fields(code = %code.hint()))]
    pub async fn check_invite(&self, code: &InviteCode) -> Result<(), AppError> {
        let why = match self.store.invite(code.as_str()).await? {
            Some(invite) => match invite.refusal(now_ms()) {
                Some(why) => why,
                None => return Ok(()),
            },
            // What a guest reads for a code that was never made.
            None => says!(errors.invite_unknown),
        };
        Err(AppError::invalid("code", why))
    }

    /// The party's name, as the host gave it ("Mia's birthday"), for the join page.
    pub async fn party_name(&self) -> Result<Option<String>, AppError> {
        Ok(self
            .store
            .setting(invites::PARTY_NAME)
            .await?
            .filter(|name| !name.is_empty()))
    }

    /// The host names the party; an empty name takes it away.
    #[tracing::instrument(skip(self, name))]
    pub async fn set_party_name(&self, name: &str) -> Result<Option<String>, AppError> {
        let name = parse_party_name(name)?;
        self.store
            .set_setting(invites::PARTY_NAME, name.as_deref().unwrap_or_default())
            .await?;
        tracing::info!(named = name.is_some(), "party name changed");
        Ok(name)
    }

    /// Codes that can still be used, newest first.
    #[tracing::instrument(skip_all)]
    pub async fn usable_invites(&self) -> Result<Vec<InviteRow>, AppError> {
        Ok(self.store.usable_invites().await?)
    }

    /// The demo bar's invite (100 guests, a day), made the first time it is asked for.
    #[tracing::instrument(skip_all)]
    pub async fn demo_invite(&self) -> Result<InviteRow, AppError> {
        let usable = self.store.usable_invites().await?;
        match usable.into_iter().find(|invite| invite.note == DEMO_NOTE) {
            Some(invite) => Ok(invite),
            None => self.create_invite(100, 24, DEMO_NOTE).await,
        }
    }

    /// Withdraws a code: nobody can join with it from now on (guests who joined stay).
    #[tracing::instrument(skip_all, fields(code = %code.hint()))]
    pub async fn revoke_invite(&self, code: &InviteCode) -> Result<(), AppError> {
        if !self.store.revoke_invite(code.as_str()).await? {
            return Err(AppError::NotFound(says!(errors.that_invite)));
        }
        tracing::info!("invite revoked");
        Ok(())
    }
}

fn parse_party_name(name: &str) -> Result<Option<String>, AppError> {
    let name = name.trim();
    if name.chars().count() > 60 || name.chars().any(char::is_control) {
        return Err(AppError::invalid("party", says!(errors.party_name_rule)));
    }
    Ok((!name.is_empty()).then(|| name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::parse_party_name;

    #[test]
    fn a_party_name_is_one_short_line_or_nothing() {
        assert_eq!(
            parse_party_name("  Mia's birthday ").unwrap().as_deref(),
            Some("Mia's birthday")
        );
        assert_eq!(parse_party_name("   ").unwrap(), None);
        assert!(parse_party_name("two\nlines").is_err());
        assert!(parse_party_name(&"x".repeat(61)).is_err());
    }
}
