//! Web Push subscriptions: the browsers a guest allowed to notify them.

use super::{new_id, now_ms, Store};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PushSubscriptionRow {
    pub endpoint: String,
    /// The browser's public key (P-256, uncompressed, base64url).
    pub p256dh: String,
    /// The browser's authentication secret (16 bytes, base64url).
    pub auth: String,
    /// The language its notifications are written in ("en", "es").
    pub lang: String,
}

impl Store {
    /// Keeps a browser's subscription for `guest_id`, in one statement: the same browser
    /// subscribing again (or for another guest, after "Forget me") replaces its row.
    pub async fn save_push_subscription(
        &self,
        guest_id: &str,
        subscription: &PushSubscriptionRow,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "insert into push_subscriptions (id, guest_id, endpoint, p256dh, auth, created_at, lang)
             values ($1, $2, $3, $4, $5, $6, $7)
             on conflict (endpoint) do update set guest_id = excluded.guest_id,
               p256dh = excluded.p256dh, auth = excluded.auth, created_at = excluded.created_at,
               lang = excluded.lang",
        )
        .bind(new_id())
        .bind(guest_id)
        .bind(&subscription.endpoint)
        .bind(&subscription.p256dh)
        .bind(&subscription.auth)
        .bind(now_ms())
        .bind(&subscription.lang)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn push_subscriptions(
        &self,
        guest_id: &str,
    ) -> Result<Vec<PushSubscriptionRow>, sqlx::Error> {
        sqlx::query_as(
            "select endpoint, p256dh, auth, coalesce(lang, 'en') as lang from push_subscriptions
             where guest_id = $1 order by created_at, id",
        )
        .bind(guest_id)
        .fetch_all(&self.pool)
        .await
    }

    /// Forgets one browser's subscription (the push service said it is gone, or the guest
    /// turned notifications off), if it is this guest's.
    pub async fn delete_push_subscription(
        &self,
        guest_id: Option<&str>,
        endpoint: &str,
    ) -> Result<bool, sqlx::Error> {
        let done = match guest_id {
            Some(guest_id) => {
                sqlx::query("delete from push_subscriptions where endpoint = $1 and guest_id = $2")
                    .bind(endpoint)
                    .bind(guest_id)
                    .execute(&self.pool)
                    .await?
            }
            None => {
                sqlx::query("delete from push_subscriptions where endpoint = $1")
                    .bind(endpoint)
                    .execute(&self.pool)
                    .await?
            }
        };
        Ok(done.rows_affected() > 0)
    }

    /// Forgets every browser of a guest ("Forget me", removal).
    pub async fn delete_guest_push_subscriptions(
        &self,
        guest_id: &str,
    ) -> Result<u64, sqlx::Error> {
        let done = sqlx::query("delete from push_subscriptions where guest_id = $1")
            .bind(guest_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
