//! The outbox: background jobs written in the same transaction as the change that needs them, so
//! a job exists exactly when its change committed. Workers claim a job with a compare-and-set
//! lease (safe with several workers or processes), and a job whose worker died is claimed again
//! once its lease runs out.

use super::{new_id, now_ms, Store};
use crate::model::JobState;
use sqlx::{Any, Transaction};

/// What a job does, with what it needs: an outbox row's `kind` and `payload`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Task {
    /// Learns the guest's taste from one of their chat messages.
    Learn { message_id: String },
    /// Writes the photo prompt for a new drink.
    ImagePrompt { drink_id: String },
    /// Makes a proposed photo from the drink's prompt (with an image model).
    ProposePhoto { drink_id: String },
    /// Embeds the drink for retrieval (with an embedding model), unless its text is unchanged.
    Embed { drink_id: String },
    /// The daily purge of `day` (days since 1970-01-01 UTC).
    Purge { day: i64 },
    /// Tells the guest's browsers by Web Push that their drink is ready (or, `reminder`, that it
    /// still waits).
    Push { order_id: String, reminder: bool },
}

/// The kinds of job, for looking jobs up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobKind {
    Learn,
    ImagePrompt,
    ProposePhoto,
    Embed,
    Purge,
    Push,
}

impl JobKind {
    /// As the `kind` column (and `Task`'s tag) writes it.
    pub const fn as_str(self) -> &'static str {
        match self {
            JobKind::Learn => "learn",
            JobKind::ImagePrompt => "image_prompt",
            JobKind::ProposePhoto => "propose_photo",
            JobKind::Embed => "embed",
            JobKind::Purge => "purge",
            JobKind::Push => "push",
        }
    }
}

impl Task {
    pub fn kind(&self) -> JobKind {
        match self {
            Task::Learn { .. } => JobKind::Learn,
            Task::ImagePrompt { .. } => JobKind::ImagePrompt,
            Task::ProposePhoto { .. } => JobKind::ProposePhoto,
            Task::Embed { .. } => JobKind::Embed,
            Task::Purge { .. } => JobKind::Purge,
            Task::Push { .. } => JobKind::Push,
        }
    }

    /// The `payload` column: the task's fields, as JSON.
    pub(super) fn payload(&self) -> String {
        let mut fields = serde_json::to_value(self).unwrap_or_default();
        if let Some(fields) = fields.as_object_mut() {
            fields.remove("kind");
        }
        fields.to_string()
    }

    /// The task a claimed job is to do.
    pub fn of(job: &Job) -> Result<Task, String> {
        let mut fields: serde_json::Value = serde_json::from_str(&job.payload)
            .map_err(|err| format!("unreadable {:?} job: {err}", job.kind))?;
        let Some(object) = fields.as_object_mut() else {
            return Err(format!("unreadable {:?} job: not an object", job.kind));
        };
        object.insert("kind".into(), job.kind.clone().into());
        serde_json::from_value(fields)
            .map_err(|err| format!("unreadable {:?} job: {err}", job.kind))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Job {
    pub id: String,
    pub kind: String,
    pub subject: String,
    pub payload: String,
    pub state: String,
    pub attempts: i64,
    pub run_at: i64,
    pub last_error: Option<String>,
}

const SELECT_JOB: &str =
    "select id, kind, subject, payload, state, attempts, run_at, last_error from outbox";

/// Adds a job about `subject` inside the caller's transaction.
pub async fn enqueue(
    tx: &mut Transaction<'_, Any>,
    task: &Task,
    subject: &str,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    let now = now_ms();
    sqlx::query(
        "insert into outbox (id, kind, subject, payload, state, attempts, run_at, locked_until, created_at, updated_at)
         values ($1, $2, $3, $4, 'pending', 0, $5, 0, $5, $5)",
    )
    .bind(&id)
    .bind(task.kind().as_str())
    .bind(subject)
    .bind(task.payload())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

impl Store {
    /// Claims up to `limit` due jobs for `lease_ms`; each claim counts as an attempt.
    #[tracing::instrument(skip(self))]
    pub async fn claim_jobs(&self, lease_ms: i64, limit: i64) -> Result<Vec<Job>, sqlx::Error> {
        let now = now_ms();
        let due: Vec<(String,)> = sqlx::query_as(
            "select id from outbox where state = 'pending' and run_at <= $1 and locked_until <= $1
              order by run_at limit $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut claimed = Vec::new();
        for (id,) in due {
            let done = sqlx::query(
                "update outbox set locked_until = $1, attempts = attempts + 1, updated_at = $2
                  where id = $3 and state = 'pending' and locked_until <= $2",
            )
            .bind(now + lease_ms)
            .bind(now)
            .bind(&id)
            .execute(&self.pool)
            .await?;
            if done.rows_affected() == 1 {
                let sql = format!("{SELECT_JOB} where id = $1");
                claimed.push(
                    sqlx::query_as::<_, Job>(&sql)
                        .bind(&id)
                        .fetch_one(&self.pool)
                        .await?,
                );
            }
        }
        Ok(claimed)
    }

    pub async fn finish_job(&self, id: &str) -> Result<(), sqlx::Error> {
        sqlx::query("update outbox set state = 'done', last_error = null, locked_until = 0, updated_at = $1 where id = $2")
            .bind(now_ms())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The job failed this time: it runs again at `run_at`.
    pub async fn retry_job(&self, id: &str, run_at: i64, error: &str) -> Result<(), sqlx::Error> {
        self.job_failed(id, "pending", run_at, error).await
    }

    /// The job has failed for good; its last error stays for the host to read.
    pub async fn fail_job(&self, id: &str, error: &str) -> Result<(), sqlx::Error> {
        self.job_failed(id, "failed", now_ms(), error).await
    }

    async fn job_failed(
        &self,
        id: &str,
        state: &str,
        run_at: i64,
        error: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "update outbox set state = $1, run_at = $2, last_error = $3, locked_until = 0, updated_at = $4
              where id = $5",
        )
        .bind(state)
        .bind(run_at)
        .bind(error)
        .bind(now_ms())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Every job about `subject` of a kind, oldest first.
    pub async fn jobs_for(&self, kind: JobKind, subject: &str) -> Result<Vec<Job>, sqlx::Error> {
        let sql = format!("{SELECT_JOB} where kind = $1 and subject = $2 order by created_at, id");
        sqlx::query_as(&sql)
            .bind(kind.as_str())
            .bind(subject)
            .fetch_all(&self.pool)
            .await
    }

    /// How many jobs are in each state (for the metrics).
    pub async fn outbox_counts(&self) -> Result<Vec<(String, i64)>, sqlx::Error> {
        sqlx::query_as("select state, count(*) from outbox group by state order by state")
            .fetch_all(&self.pool)
            .await
    }

    /// The state of the newest job about `subject`, as the host sees it.
    pub async fn job_state(
        &self,
        kind: JobKind,
        subject: &str,
    ) -> Result<Option<JobState>, sqlx::Error> {
        Ok(self
            .jobs_for(kind, subject)
            .await?
            .pop()
            .map(|job| match job.state.as_str() {
                "done" => JobState::Done,
                "failed" => JobState::Failed {
                    attempts: job.attempts,
                    error: job.last_error.unwrap_or_default(),
                },
                _ => JobState::Pending {
                    attempts: job.attempts,
                },
            }))
    }
}

#[cfg(test)]
mod tests {
    use super::{Job, JobKind, Task};

    fn row(kind: &str, payload: &str) -> Job {
        Job {
            id: "j1".into(),
            kind: kind.into(),
            subject: String::new(),
            payload: payload.into(),
            state: "pending".into(),
            attempts: 1,
            run_at: 0,
            last_error: None,
        }
    }

    #[test]
    fn tasks_read_back_as_they_were_written() {
        for task in [
            Task::Learn {
                message_id: "m1".into(),
            },
            Task::ImagePrompt {
                drink_id: "d1".into(),
            },
            Task::Purge { day: 20_000 },
        ] {
            let job = row(task.kind().as_str(), &task.payload());
            assert!(!job.payload.contains("kind"), "{}", job.payload);
            assert_eq!(Task::of(&job), Ok(task));
        }
        // Rows written before the tasks were typed read the same.
        assert_eq!(
            Task::of(&row("image_prompt", r#"{"drink_id":"d2"}"#)),
            Ok(Task::ImagePrompt {
                drink_id: "d2".into()
            })
        );
        assert_eq!(JobKind::ImagePrompt.as_str(), "image_prompt");
    }

    #[test]
    fn a_job_of_an_unknown_kind_or_without_its_fields_is_an_error() {
        assert!(Task::of(&row("gossip", "{}")).is_err());
        assert!(Task::of(&row("learn", "{}")).is_err());
        assert!(Task::of(&row("learn", "not json")).is_err());
    }
}
