//! The one background worker: it drains the outbox for every kind of job. A job that fails is
//! tried again later (each wait twice the last), and given up as failed, with its error kept for
//! the host, after the configured number of attempts.

use super::ai::{local, PromptDrink, Recommender};
use super::store::now_ms;
use super::store::outbox::{Job, Task};
use super::store::purge::DAY_MS;
use super::AppState;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify};

/// How long `stop` waits for the job in hand.
pub const STOP_GRACE: Duration = Duration::from_secs(5);

/// Wakes the worker when a job was just committed, so it need not wait for its next poll.
#[derive(Clone, Debug, Default)]
pub struct Jobs {
    wake: Arc<Notify>,
}

impl Jobs {
    pub fn nudge(&self) {
        self.wake.notify_one();
    }
}

/// A background task (the worker, the follower) that stops when asked.
#[derive(Debug)]
pub struct Background {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Background {
    /// Runs `task`, which must end soon after its receiver turns true.
    pub fn spawn<F, Fut>(task: F) -> Self
    where
        F: FnOnce(watch::Receiver<bool>) -> Fut,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let (stop, stopped) = watch::channel(false);
        Background {
            stop,
            task: tokio::spawn(task(stopped)),
        }
    }

    /// Asks the task to stop and waits at most `STOP_GRACE`; the worker's job cut off then is
    /// claimed again when its lease runs out, so nothing is lost.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let mut task = self.task;
        if tokio::time::timeout(STOP_GRACE, &mut task).await.is_err() {
            tracing::warn!("a background task did not stop in time");
            task.abort();
        }
    }
}

pub fn spawn(state: AppState) -> Background {
    Background::spawn(|stopped| run(state, stopped))
}

async fn run(state: AppState, mut stopped: watch::Receiver<bool>) {
    let config = state.config.jobs.clone();
    let lease_ms = config.lease.as_millis() as i64;
    tracing::info!("background worker started");
    // Today's purge, if no process has scheduled it yet; each purge schedules the next day's.
    if let Err(err) = state.store.schedule_purge(now_ms() / DAY_MS).await {
        tracing::warn!(error = %err, "could not schedule the daily purge");
    }
    // With retrieval: drinks from before it was turned on are embedded too.
    if let Some(embedder) = state.ai.embedder() {
        match state
            .store
            .schedule_missing_embeddings(embedder.model_id())
            .await
        {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "drinks to embed"),
            Err(err) => tracing::warn!(error = %err, "could not schedule the drinks' embeddings"),
        }
    }
    loop {
        if *stopped.borrow() {
            break;
        }
        let mut busy = false;
        match state.store.claim_jobs(lease_ms, 10).await {
            Ok(jobs) => {
                busy = !jobs.is_empty();
                for job in jobs {
                    process(&state, job).await;
                }
            }
            Err(err) => tracing::warn!(error = %err, "could not read the outbox"),
        }
        if busy {
            continue;
        }
        tokio::select! {
            () = state.jobs.wake.notified() => {}
            () = tokio::time::sleep(config.poll) => {}
            _ = stopped.changed() => {}
        }
    }
    tracing::info!("background worker stopped");
}

/// The wait before the next attempt: backoff, 2×, 4×… at most five minutes.
pub fn backoff(base: Duration, attempts: i64) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 16)).unwrap_or(16);
    base.saturating_mul(2u32.saturating_pow(doublings))
        .min(Duration::from_secs(300))
}

#[tracing::instrument(skip_all, fields(job = %job.id, kind = %job.kind, attempt = job.attempts))]
async fn process(state: &AppState, job: Job) {
    let max_attempts = i64::from(state.config.jobs.max_attempts);
    let outcome = run_job(state, &job).await;
    let saved = match outcome {
        Ok(()) => state.store.finish_job(&job.id).await,
        Err(error) if job.attempts >= max_attempts => {
            tracing::error!(%error, "job failed for good");
            state.store.fail_job(&job.id, &error).await
        }
        Err(error) => {
            let wait = backoff(state.config.jobs.backoff, job.attempts);
            tracing::warn!(%error, retry_in_ms = wait.as_millis() as u64, "job failed; will retry");
            state
                .store
                .retry_job(&job.id, now_ms() + wait.as_millis() as i64, &error)
                .await
        }
    };
    if let Err(err) = saved {
        // The lease runs out and the job is claimed again: nothing is lost.
        tracing::error!(error = %err, "could not record the job's outcome");
    }
}

async fn run_job(state: &AppState, job: &Job) -> Result<(), String> {
    match Task::of(job)? {
        Task::Learn { message_id } => learn_from_message(state, &message_id).await,
        Task::ImagePrompt { drink_id } => write_image_prompt(state, &drink_id).await,
        Task::ProposePhoto { drink_id } => propose_photo(state, &drink_id).await,
        Task::Embed { drink_id } => embed_drink(state, &drink_id).await,
        Task::Purge { .. } => purge(state).await.map(|_| ()),
        Task::Push { order_id, reminder } => state
            .bar()
            .deliver_push(&order_id, reminder)
            .await
            .map(|_| ()),
    }
}

/// The daily purge (`store::purge`), uploads never attached to a drink included; then the next
/// day's is scheduled.
pub async fn purge(state: &AppState) -> Result<super::store::purge::Purged, String> {
    let now = now_ms();
    let mut purged = state.store.purge(now).await.map_err(|e| e.to_string())?;
    if let Some(local) = state.photos.local() {
        // An upload link lives ten minutes; an hour later its file is surely abandoned.
        let age =
            Duration::from_millis(super::images::UPLOAD_TTL_MS as u64) + Duration::from_secs(3600);
        purged.uploads = local.purge_uploads(age).await;
    }
    state
        .store
        .schedule_purge(now / DAY_MS + 1)
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!(?purged, "daily purge done");
    Ok(purged)
}

/// Stated likes, dislikes and allergies go into the profile; off-menu drinks onto the wish list.
async fn learn_from_message(state: &AppState, message_id: &str) -> Result<(), String> {
    let Some((guest_id, text)) = state
        .store
        .guest_message(message_id)
        .await
        .map_err(|e| e.to_string())?
    else {
        return Ok(()); // the guest said "Forget me" in the meantime
    };
    let menu = state.menu.snapshot();
    let recommender = recommender(state).await?;
    let mut learned = match recommender.learn(text.clone(), menu.clone()).await {
        Ok(learned) => learned,
        Err(err) => {
            tracing::warn!(error = %err, "the model could not learn from the message: house rules instead");
            local::learn(&text, &menu)
        }
    };
    // Allergies the house rules can read are kept whatever the model made of the message.
    for allergy in local::learn(&text, &menu).allergies {
        if !learned.allergies.contains(&allergy) {
            learned.allergies.push(allergy);
        }
    }
    state
        .store
        .learn_taste(&guest_id, &learned)
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// The recommender the host picked (a model, or the house alone) does the background work too.
async fn recommender(state: &AppState) -> Result<Arc<dyn Recommender>, String> {
    let chosen = state.bar().bartender().await.map_err(|e| e.to_string())?;
    Ok(chosen.recommender)
}

async fn write_image_prompt(state: &AppState, drink_id: &str) -> Result<(), String> {
    let form = match state.store.drink_form(drink_id).await {
        Ok(Some(form)) => form,
        Ok(None) => return Ok(()), // deleted before its prompt was written
        Err(err) => return Err(err.to_string()),
    };
    let drink = PromptDrink {
        name: form.name.clone(),
        description: form.description.clone(),
        glass: form.glass.clone(),
        color: form.color.clone(),
        ingredients: form.lines.iter().map(|l| l.ingredient.clone()).collect(),
    };
    let recommender = recommender(state).await?;
    let prompt = recommender
        .image_prompt(drink)
        .await
        .map_err(|e| e.to_string())?;
    // With an image model, the photo is made next, by its own job (a failed image does not cost
    // the prompt again).
    let then = state.ai.image_maker().map(|_| Task::ProposePhoto {
        drink_id: drink_id.to_string(),
    });
    state
        .store
        .save_image_prompt(drink_id, &prompt, recommender.source(), then.as_ref())
        .await
        .map_err(|e| e.to_string())?;
    if let super::images::Photos::S3(s3) = &state.photos {
        let document = serde_json::json!({
            "drink_id": drink_id,
            "name": form.name,
            "prompt": prompt,
            "source": recommender.source(),
            "created_at": now_ms(),
        });
        s3.put_json(&format!("prompts/{drink_id}.json"), &document)
            .await?;
    }
    tracing::info!(drink = %drink_id, "photo prompt written");
    Ok(())
}

/// Makes a photo from the drink's prompt with the image model and proposes it to the host.
async fn propose_photo(state: &AppState, drink_id: &str) -> Result<(), String> {
    let Some(maker) = state.ai.image_maker() else {
        return Ok(()); // the image model was turned off since
    };
    let prompt = state
        .store
        .photo_prompt(drink_id)
        .await
        .map_err(|e| e.to_string())?;
    let Some(prompt) = prompt else {
        return Err("the drink has no photo prompt yet".into());
    };
    if state
        .store
        .drink_form(drink_id)
        .await
        .map_err(|e| e.to_string())?
        .is_none()
    {
        return Ok(()); // deleted before its photo was made
    }
    let bytes = maker.make(&prompt).await.map_err(|e| e.to_string())?;
    state
        .bar()
        .propose_photo(drink_id, &prompt, maker.model_id(), bytes)
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Embeds a drink for retrieval, unless its text is what its vector was made from.
async fn embed_drink(state: &AppState, drink_id: &str) -> Result<(), String> {
    use super::ai::embeddings::{drink_text, text_hash};
    let Some(embedder) = state.ai.embedder() else {
        return Ok(()); // retrieval was turned off since
    };
    let form = match state.store.drink_form(drink_id).await {
        Ok(Some(form)) => form,
        Ok(None) => return Ok(()), // deleted meanwhile
        Err(err) => return Err(err.to_string()),
    };
    let text = drink_text(
        &form.name,
        &form.description,
        form.tags.split(','),
        form.lines.iter().map(|l| l.ingredient.as_str()),
    );
    let hash = text_hash(&text);
    let model = embedder.model_id();
    let stored = state
        .store
        .embedding_hash(drink_id, model)
        .await
        .map_err(|e| e.to_string())?;
    if stored.as_deref() == Some(hash.as_str()) {
        return Ok(());
    }
    let vector = embedder.embed(&text).await.map_err(|e| e.to_string())?;
    state
        .store
        .save_embedding(drink_id, model, &hash, &vector)
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!(drink = %drink_id, "drink embedded");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let base = Duration::from_secs(2);
        assert_eq!(backoff(base, 1), Duration::from_secs(2));
        assert_eq!(backoff(base, 2), Duration::from_secs(4));
        assert_eq!(backoff(base, 4), Duration::from_secs(16));
        assert_eq!(backoff(base, 40), Duration::from_secs(300));
    }
}
