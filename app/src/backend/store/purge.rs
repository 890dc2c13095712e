//! The daily purge: what nobody will read again goes. It runs as an outbox job, one per UTC day
//! (the job's id names the day, so several workers or processes schedule it once), and each run
//! schedules the next.

use super::outbox::{JobKind, Task};
use super::{now_ms, Store};

pub const DAY_MS: i64 = 24 * 3600 * 1000;
/// Finished jobs are kept this long (the host's job list shows recent ones).
pub const KEEP_DONE_JOBS_MS: i64 = 7 * DAY_MS;
/// What the bartender's budget spent is kept this long (the budget looks back an hour).
pub const KEEP_SPEND_MS: i64 = DAY_MS;

/// What one purge removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub admin_sessions: u64,
    pub done_jobs: u64,
    pub bartender_spend: u64,
    pub uploads: u64,
}

/// The outbox id of `day`'s purge: one per day, whoever schedules it.
pub fn purge_job_id(day: i64) -> String {
    format!("{}-{day}", JobKind::Purge.as_str())
}

impl Store {
    /// Schedules the purge of `day` (days since 1970-01-01 UTC) at that day's start, unless it is
    /// scheduled already.
    pub async fn schedule_purge(&self, day: i64) -> Result<(), sqlx::Error> {
        let now = now_ms();
        sqlx::query(
            "insert into outbox (id, kind, subject, payload, state, attempts, run_at, locked_until, created_at, updated_at)
             values ($1, $2, '', $3, 'pending', 0, $4, 0, $5, $5)
             on conflict (id) do nothing",
        )
        .bind(purge_job_id(day))
        .bind(JobKind::Purge.as_str())
        .bind(Task::Purge { day }.payload())
        .bind(day * DAY_MS)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Deletes expired host sessions, jobs done more than a week ago and budget entries older
    /// than a day, as of `now`.
    pub async fn purge(&self, now: i64) -> Result<Purged, sqlx::Error> {
        let mut purged = Purged::default();
        for (sql, bound, count) in [
            (
                "delete from admin_sessions where expires_at <= $1",
                now,
                &mut purged.admin_sessions,
            ),
            (
                "delete from outbox where state = 'done' and updated_at < $1",
                now - KEEP_DONE_JOBS_MS,
                &mut purged.done_jobs,
            ),
            (
                "delete from bartender_spend where spent_at < $1",
                now - KEEP_SPEND_MS,
                &mut purged.bartender_spend,
            ),
        ] {
            *count = sqlx::query(sql)
                .bind(bound)
                .execute(&self.pool)
                .await?
                .rows_affected();
        }
        Ok(purged)
    }
}
