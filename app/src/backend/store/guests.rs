//! Guests: joining with an invite code, sessions, removal.

use super::{now_ms, retrying, Store};
use crate::domain::{GuestName, InviteCode};
use sqlx::{Any, Transaction};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct GuestRow {
    pub id: String,
    pub name: String,
    pub expires_at: i64,
}

/// Holds the guest's row for the rest of the transaction (a row lock on PostgreSQL, the write
/// lock on SQLite), so one guest's orders and messages are checked and written one at a time. False when the
/// guest is removed or their session has run out.
pub async fn hold_guest(
    tx: &mut Transaction<'_, Any>,
    guest_id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let held = sqlx::query(
        "update guests set updated_at = $1 where id = $2 and removed_at is null and expires_at > $1",
    )
    .bind(now)
    .bind(guest_id)
    .execute(&mut **tx)
    .await?;
    Ok(held.rows_affected() > 0)
}

/// Takes one use of the invite if it can still be used; the conditional update both checks and
/// takes, so concurrent joins can never overdraw it. Returns the invite's id when it was taken.
pub async fn take_invite_use(
    tx: &mut Transaction<'_, Any>,
    code: &InviteCode,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    let took = sqlx::query(
        "update invite_codes set uses = uses + 1
         where code = $1 and revoked_at is null and expires_at > $2 and uses < max_uses",
    )
    .bind(code.as_str())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    if took.rows_affected() == 0 {
        return Ok(None);
    }
    let (invite_id,): (String,) = sqlx::query_as("select id from invite_codes where code = $1")
        .bind(code.as_str())
        .fetch_one(&mut **tx)
        .await?;
    Ok(Some(invite_id))
}

/// Who holds a name, if anyone may not take it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameHeld {
    /// Claimed for the new guest.
    Claimed,
    /// An active guest has it.
    ByGuest,
    /// A removed guest has it, until the host lets them back.
    ByRemovedGuest,
}

/// Claims `name` for the guest `guest_id` is about to be. A name held by a guest whose session
/// ran out is free again; a removed guest's stays taken.
pub async fn claim_name(
    tx: &mut Transaction<'_, Any>,
    name: &GuestName,
    guest_id: &str,
    now: i64,
) -> Result<NameHeld, sqlx::Error> {
    let key = name.key();
    sqlx::query(
        "delete from guest_names where name_key = $1 and guest_id in
           (select id from guests where removed_at is null and expires_at <= $2)",
    )
    .bind(&key)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let claimed = sqlx::query(
        "insert into guest_names (name_key, guest_id) values ($1, $2) on conflict (name_key) do nothing",
    )
    .bind(&key)
    .bind(guest_id)
    .execute(&mut **tx)
    .await?;
    if claimed.rows_affected() > 0 {
        return Ok(NameHeld::Claimed);
    }
    let (removed,): (i64,) = sqlx::query_as(
        "select count(*) from guest_names n join guests g on g.id = n.guest_id
          where n.name_key = $1 and g.removed_at is not null",
    )
    .bind(&key)
    .fetch_one(&mut **tx)
    .await?;
    Ok(if removed > 0 {
        NameHeld::ByRemovedGuest
    } else {
        NameHeld::ByGuest
    })
}

/// A new guest's row.
pub struct NewGuest<'a> {
    pub id: &'a str,
    pub name: &'a GuestName,
    pub invite_id: &'a str,
    pub token_hash: &'a str,
    pub expires_at: i64,
}

pub async fn insert_guest(
    tx: &mut Transaction<'_, Any>,
    guest: &NewGuest<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into guests (id, name, invite_id, token_hash, created_at, expires_at, removed_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, null, $5)",
    )
    .bind(guest.id)
    .bind(guest.name.as_str())
    .bind(guest.invite_id)
    .bind(guest.token_hash)
    .bind(now)
    .bind(guest.expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// The guest holding this session, unless removed or expired.
    pub async fn guest_by_token(&self, token_hash: &str) -> Result<Option<GuestRow>, sqlx::Error> {
        sqlx::query_as(
            "select id, name, expires_at from guests
             where token_hash = $1 and removed_at is null and expires_at > $2",
        )
        .bind(token_hash)
        .bind(now_ms())
        .fetch_optional(&self.pool)
        .await
    }

    /// Active guests, oldest first.
    pub async fn active_guests(&self) -> Result<Vec<GuestRow>, sqlx::Error> {
        sqlx::query_as(
            "select id, name, expires_at from guests where removed_at is null and expires_at > $1
             order by created_at",
        )
        .bind(now_ms())
        .fetch_all(&self.pool)
        .await
    }

    /// Removes a guest: their session stops working at once, and their name stays taken (nobody
    /// can join under it, them included) until the host lets them back.
    /// Returns the guest, or `None` when there is no such active guest.
    #[tracing::instrument(skip(self))]
    pub async fn remove_guest(&self, guest_id: &str) -> Result<Option<GuestRow>, sqlx::Error> {
        retrying(|| self.try_remove_guest(guest_id)).await
    }

    async fn try_remove_guest(&self, guest_id: &str) -> Result<Option<GuestRow>, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let guest: Option<GuestRow> = sqlx::query_as(
            "select id, name, expires_at from guests where id = $1 and removed_at is null",
        )
        .bind(guest_id)
        .fetch_optional(&mut *tx)
        .await?;
        if guest.is_some() {
            sqlx::query("update guests set removed_at = $1, updated_at = $1 where id = $2")
                .bind(now_ms())
                .bind(guest_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(guest)
    }

    /// Lets a removed guest back: their name is free again, so they can join anew with an
    /// invite. Returns whether there was such a guest holding a name.
    #[tracing::instrument(skip(self))]
    pub async fn let_guest_back(&self, guest_id: &str) -> Result<bool, sqlx::Error> {
        let freed = sqlx::query(
            "delete from guest_names where guest_id = $1
               and guest_id in (select id from guests where removed_at is not null)",
        )
        .bind(guest_id)
        .execute(&self.pool)
        .await?;
        Ok(freed.rows_affected() > 0)
    }

    /// The active guest with this name (case-insensitive).
    pub async fn guest_id_by_name(&self, name: &GuestName) -> Result<Option<String>, sqlx::Error> {
        let row: Option<(String,)> = sqlx::query_as(
            "select g.id from guest_names n join guests g on g.id = n.guest_id
             where n.name_key = $1 and g.removed_at is null",
        )
        .bind(name.key())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(id,)| id))
    }
}

static GUEST_SUMMARIES: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "select g.id, g.name,
                (select count(*) from orders o
                  where o.guest_id = g.id and o.status in {}),
                case when g.removed_at is null then 0 else 1 end
           from guests g
          where (g.removed_at is null and g.expires_at > $1)
             or (g.removed_at is not null
                 and exists (select 1 from guest_names n where n.guest_id = g.id))
          order by g.created_at",
        *super::orders::ACTIVE
    )
});

impl Store {
    /// Active guests with how many open orders each has, then removed guests whose name is still
    /// held; oldest first.
    pub async fn guest_summaries(&self) -> Result<Vec<crate::model::GuestSummary>, sqlx::Error> {
        let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(&GUEST_SUMMARIES)
            .bind(now_ms())
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, active, removed)| crate::model::GuestSummary {
                id,
                name,
                active_orders: active.clamp(0, u32::MAX.into()) as u32,
                removed: removed != 0,
            })
            .collect())
    }
}
