//! Web Push for guests: a browser subscribes after the guest taps "Notify me when it's ready", and
//! the outbox worker tells it when a drink is ready or the host reminds them. A subscription goes
//! when its push service says it is gone, on "Forget me" and when the guest is removed.

use super::Bar;
use crate::backend::push::{Delivery, Notice};
use crate::backend::store::outbox::{self, Task};
use crate::backend::store::push::PushSubscriptionRow;
use crate::error::AppError;
use crate::i18n::{td_string, I18nLocaleTrait as _, Locale};
use crate::model::{pick_up_sentence, ready_sentence, OrderStatus};
use crate::says;

/// Browsers one guest may have subscribed at once.
const MAX_SUBSCRIPTIONS: i64 = 10;

impl Bar {
    /// The key browsers subscribe with, if this bar sends notifications.
    pub fn push_key(&self) -> Option<String> {
        self.pusher.as_ref().map(|p| p.public_key().to_string())
    }

    /// Keeps a browser's push subscription for the guest.
    #[tracing::instrument(skip_all, fields(guest = %guest_id))]
    pub async fn subscribe_push(
        &self,
        guest_id: &str,
        subscription: &PushSubscriptionRow,
    ) -> Result<(), AppError> {
        let pusher = self
            .pusher
            .as_ref()
            .ok_or_else(|| AppError::Conflict(says!(errors.push_off)))?;
        pusher
            .check(subscription)
            .map_err(|err| AppError::invalid("subscription", err.to_string()))?;
        let mine = self.store.push_subscriptions(guest_id).await?;
        let known = mine.iter().any(|s| s.endpoint == subscription.endpoint);
        if !known && mine.len() as i64 >= MAX_SUBSCRIPTIONS {
            return Err(AppError::Conflict(says!(errors.push_too_many)));
        }
        self.store
            .save_push_subscription(guest_id, subscription)
            .await?;
        tracing::info!("push subscription kept");
        Ok(())
    }

    /// The guest turns notifications off for one browser.
    #[tracing::instrument(skip_all, fields(guest = %guest_id))]
    pub async fn unsubscribe_push(&self, guest_id: &str, endpoint: &str) -> Result<(), AppError> {
        self.store
            .delete_push_subscription(Some(guest_id), endpoint)
            .await?;
        Ok(())
    }

    /// Whether this browser (`endpoint`) is subscribed for the guest.
    pub async fn push_subscribed(&self, guest_id: &str, endpoint: &str) -> Result<bool, AppError> {
        Ok(self
            .store
            .push_subscriptions(guest_id)
            .await?
            .iter()
            .any(|s| s.endpoint == endpoint))
    }

    /// Asks the worker to tell the guest's browsers about this order (inside the transaction that
    /// made it ready, so the job exists exactly when the change does).
    pub(super) async fn enqueue_push(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        order_id: &str,
        reminder: bool,
    ) -> Result<bool, sqlx::Error> {
        if self.pusher.is_none() {
            return Ok(false);
        }
        let task = Task::Push {
            order_id: order_id.to_string(),
            reminder,
        };
        outbox::enqueue(tx, &task, order_id).await?;
        Ok(true)
    }

    /// The worker's half: encrypts the notice for each of the guest's browsers and hands it to
    /// their push services. A browser whose service says it is gone is forgotten. Fails (to be
    /// tried again) only when no browser could be reached at all.
    #[tracing::instrument(skip(self))]
    pub async fn deliver_push(&self, order_id: &str, reminder: bool) -> Result<usize, String> {
        let Some(pusher) = &self.pusher else {
            return Ok(0);
        };
        let order = match self.store.order(order_id).await {
            Ok(Some(order)) => order,
            Ok(None) => return Ok(0),
            Err(err) => return Err(err.to_string()),
        };
        // Collected (or cancelled) meanwhile: old news.
        if order.status != OrderStatus::Ready {
            return Ok(0);
        }
        let place = self.pickup_place().await.map_err(|e| e.to_string())?;
        // Each browser in the language its guest used when turning notifications on.
        let notice = |locale: Locale| {
            let ready = ready_sentence(locale, &order);
            Notice {
                title: if reminder {
                    td_string!(locale, notify.still_waiting, ready).to_string()
                } else {
                    ready
                },
                body: pick_up_sentence(locale, &place),
                url: "/orders".into(),
                tag: order.id.clone(),
            }
        };
        let browsers = self
            .store
            .push_subscriptions(&order.guest_id)
            .await
            .map_err(|e| e.to_string())?;
        let (mut sent, mut failed) = (0, Vec::new());
        for browser in &browsers {
            let locale = crate::language::ALL
                .into_iter()
                .find(|l| l.as_str() == browser.lang)
                .unwrap_or_default();
            match pusher.send(browser, &notice(locale)).await {
                Ok(Delivery::Sent) => sent += 1,
                Ok(Delivery::Gone) => {
                    tracing::info!("push subscription gone; forgetting it");
                    if let Err(err) = self
                        .store
                        .delete_push_subscription(None, &browser.endpoint)
                        .await
                    {
                        tracing::warn!(error = %err, "could not forget a gone push subscription");
                    }
                }
                Err(err) => {
                    tracing::warn!(error = %err, "push not delivered");
                    failed.push(err.to_string());
                }
            }
        }
        if sent == 0 && !failed.is_empty() {
            return Err(failed.join("; "));
        }
        Ok(sent)
    }
}
