//! Nights: closing one (guests signed out, invites withdrawn, the board left to the next), and
//! what a night's stats are computed from.

use sqlx::{Any, Transaction};

use super::{new_id, Store};
use crate::model::Night;

/// When the current night began: the last close, or 0 before the first. For queries that show
/// the current night only.
pub const NIGHT_START: &str = "(select coalesce(max(closed_at), 0) from nights)";

/// An order as the stats see it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct NightOrder {
    pub guest_id: String,
    pub guest_name: String,
    pub drink_id: String,
    pub drink_name: String,
    pub quantity: i64,
    pub status: String,
    pub created_at: i64,
    /// When it became ready, if it did.
    pub ready_at: Option<i64>,
}

/// A bartender's answer as the stats see it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct NightAnswer {
    pub guest_id: String,
    /// The cards as stored (JSON).
    pub cards: String,
    pub note: Option<String>,
    pub created_at: i64,
}

impl Store {
    pub async fn night_start(&self) -> Result<i64, sqlx::Error> {
        let (start,): (i64,) = sqlx::query_as(&format!("select {NIGHT_START}"))
            .fetch_one(&self.pool)
            .await?;
        Ok(start)
    }

    /// The closed nights, newest first.
    pub async fn closed_nights(&self) -> Result<Vec<Night>, sqlx::Error> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "select started_at, closed_at from nights order by closed_at desc limit 60",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(started_at, closed_at)| Night {
                started_at,
                closed_at: Some(closed_at),
                label: String::new(),
            })
            .collect())
    }

    /// The orders placed in `[from, to)`, oldest first.
    pub async fn night_orders(&self, from: i64, to: i64) -> Result<Vec<NightOrder>, sqlx::Error> {
        sqlx::query_as(
            "select o.guest_id, g.name as guest_name, o.drink_id, o.drink_name, o.quantity, o.status,
                    o.created_at,
                    (select min(e.at) from order_events e
                      where e.order_id = o.id and e.status = 'ready') as ready_at
               from orders o join guests g on g.id = o.guest_id
              where o.created_at >= $1 and o.created_at < $2
              order by o.created_at, o.id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await
    }

    /// The bartender's answers in `[from, to)`, oldest first.
    pub async fn night_answers(&self, from: i64, to: i64) -> Result<Vec<NightAnswer>, sqlx::Error> {
        sqlx::query_as(
            "select guest_id, cards, note, created_at from chat_messages
              where role = 'bartender' and created_at >= $1 and created_at < $2
              order by created_at, id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await
    }

    /// Drinks wished for in `[from, to)`, by how many guests asked, most first.
    pub async fn night_wishes(
        &self,
        from: i64,
        to: i64,
    ) -> Result<Vec<(String, i64)>, sqlx::Error> {
        sqlx::query_as(
            "select min(drink), count(*) from wishes
              where created_at >= $1 and created_at < $2
              group by drink_key order by count(*) desc, min(drink) limit 20",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await
    }

    /// The ingredients off the shelf, by name.
    pub async fn out_of_stock(&self) -> Result<Vec<String>, sqlx::Error> {
        let rows: Vec<(String,)> =
            sqlx::query_as("select name from ingredients where in_stock = 0 order by name")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|(name,)| name).collect())
    }
}

/// Closes the current night at `now`: every guest is signed out (and their names are free for
/// the next party), every invite is withdrawn, push subscriptions go with their guests, and a
/// pause or last call ends.
/// Returns when the night began, and the guests signed out.
pub async fn close_night(
    tx: &mut Transaction<'_, Any>,
    now: i64,
) -> Result<(i64, Vec<String>), sqlx::Error> {
    let (start,): (i64,) = sqlx::query_as(&format!("select {NIGHT_START}"))
        .fetch_one(&mut **tx)
        .await?;
    sqlx::query("insert into nights (id, started_at, closed_at) values ($1, $2, $3)")
        .bind(new_id())
        .bind(start)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    let guests: Vec<(String,)> = sqlx::query_as("select id from guests where removed_at is null")
        .fetch_all(&mut **tx)
        .await?;
    sqlx::query("update guests set removed_at = $1, updated_at = $1 where removed_at is null")
        .bind(now)
        .execute(&mut **tx)
        .await?;
    sqlx::query("delete from guest_names")
        .execute(&mut **tx)
        .await?;
    sqlx::query("delete from push_subscriptions")
        .execute(&mut **tx)
        .await?;
    sqlx::query("update invite_codes set revoked_at = $1 where revoked_at is null")
        .bind(now)
        .execute(&mut **tx)
        .await?;
    // The next party starts with the bar open.
    sqlx::query("delete from bar_settings where name in ($1, $2)")
        .bind(super::controls::ORDERS_PAUSED)
        .bind(super::controls::LAST_CALL_AT)
        .execute(&mut **tx)
        .await?;
    Ok((start, guests.into_iter().map(|(id,)| id).collect()))
}

/// One line of a drink's recipe, for what a night used.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RecipeUse {
    pub drink_id: String,
    pub ingredient: String,
    pub amount: f64,
    pub unit: String,
}

impl Store {
    /// Every drink's recipe (deleted drinks too: they may have been ordered that night).
    pub async fn recipe_uses(&self) -> Result<Vec<RecipeUse>, sqlx::Error> {
        sqlx::query_as(
            "select di.drink_id, i.name as ingredient, di.amount, di.unit
               from drink_ingredients di join ingredients i on i.id = di.ingredient_id
              order by di.drink_id, di.position",
        )
        .fetch_all(&self.pool)
        .await
    }
}
