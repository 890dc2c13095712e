//! The outbox: jobs commit with their change, survive a restart before they run, run once even
//! with several workers, and back off then end as failed with their error.

use crate::bedrock_stub::{BedrockStub, Mode};
use crate::common::{eventually, spawn_app_with, Db};
use app::backend::store::outbox::JobKind;
use app::backend::worker;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(15);

/// The one photo-prompt job of a new drink.
async fn prompt_job(
    app: &crate::common::TestApp,
    drink_id: &str,
) -> app::backend::store::outbox::Job {
    let mut jobs = app
        .state
        .store
        .jobs_for(JobKind::ImagePrompt, drink_id)
        .await
        .unwrap();
    assert_eq!(jobs.len(), 1, "one job per new drink");
    jobs.remove(0)
}

async fn job_outcome_test(db: Db) {
    let stub = BedrockStub::start(Mode::Answer).await;
    let bedrock = stub.config("amazon.nova-lite-v1:0");
    // The worker is off: the server "stops" between the commit and the processing.
    let Some(app) = spawn_app_with(db, move |c| {
        c.bedrock = Some(bedrock);
        c.jobs.run_worker = false;
    })
    .await
    else {
        return;
    };
    let admin = app.admin().await;
    let id = app.create_drink(&admin, "Hugo").await;
    let jobs = app
        .state
        .store
        .jobs_for(JobKind::ImagePrompt, &id)
        .await
        .unwrap();
    assert_eq!(jobs.len(), 1, "the job committed with the drink");
    assert_eq!((jobs[0].state.as_str(), jobs[0].attempts), ("pending", 0));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(app
        .state
        .store
        .image_prompt(&id)
        .await
        .unwrap()
        .prompt
        .is_none());
    assert!(stub.calls_of("converse").is_empty());

    // "Restart" with two workers racing for the same job (two processes on one database).
    let first = worker::spawn(app.state.clone());
    let second = worker::spawn(app.state.clone());
    eventually("the job to run", WAIT, || async {
        prompt_job(&app, &id).await.state == "done"
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    first.stop().await;
    second.stop().await;
    let job = prompt_job(&app, &id).await;
    assert_eq!(job.attempts, 1, "processed once");
    assert_eq!(
        stub.calls_of("converse").len(),
        1,
        "the model was asked once"
    );
    let prompt = app
        .state
        .store
        .image_prompt(&id)
        .await
        .unwrap()
        .prompt
        .unwrap();
    assert!(prompt.starts_with("A test photo prompt"), "{prompt}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_survives_a_restart_and_runs_once_sqlite() {
    job_outcome_test(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_survives_a_restart_and_runs_once_postgres() {
    job_outcome_test(Db::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_job_backs_off_and_ends_failed_with_its_error() {
    let stub = BedrockStub::start(Mode::Error).await;
    let bedrock = stub.config("amazon.nova-lite-v1:0");
    let app = spawn_app_with(Db::Sqlite, move |c| {
        c.bedrock = Some(bedrock);
        c.jobs.backoff = Duration::from_millis(100);
        c.jobs.poll = Duration::from_millis(20);
        c.jobs.max_attempts = 3;
    })
    .await
    .unwrap();
    let admin = app.admin().await;
    let id = app.create_drink(&admin, "Hugo").await;
    eventually("the job to fail for good", WAIT, || async {
        prompt_job(&app, &id).await.state == "failed"
    })
    .await;
    let job = prompt_job(&app, &id).await;
    assert_eq!(job.attempts, 3);
    let error = job.last_error.clone().unwrap();
    assert!(error.contains("the stub was told to fail"), "{error}");
    let calls = stub.calls_of("converse");
    assert_eq!(calls.len(), 3, "no attempts after giving up");
    let gaps: Vec<Duration> = calls.windows(2).map(|w| w[1].at - w[0].at).collect();
    assert!(gaps[0] >= Duration::from_millis(100), "{gaps:?}");
    assert!(
        gaps[1] >= Duration::from_millis(200),
        "backoff doubles: {gaps:?}"
    );
    // The host sees why.
    let prompt = app.state.store.image_prompt(&id).await.unwrap();
    match prompt.job {
        Some(app::model::JobState::Failed { attempts, error }) => {
            assert_eq!(attempts, 3);
            assert!(error.contains("the stub was told to fail"));
        }
        other => panic!("expected a failed job, got {other:?}"),
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(stub.calls_of("converse").len(), 3);
}

crate::common::db_test!(
    the_daily_purge_clears_what_nobody_reads_again_and_schedules_the_next,
    |app| {
        use app::backend::store::now_ms;
        use app::backend::store::purge::{purge_job_id, DAY_MS, KEEP_DONE_JOBS_MS};
        let pool = app.state.store.pool();
        let now = now_ms();
        // The worker scheduled (and ran) today's purge when it started.
        let today = purge_job_id(now / DAY_MS);
        crate::common::eventually("today's purge", WAIT, || async {
            let jobs = app.state.store.jobs_for(JobKind::Purge, "").await.unwrap();
            jobs.iter().any(|j| j.id == today && j.state == "done")
        })
        .await;
        let scheduled = app.state.store.jobs_for(JobKind::Purge, "").await.unwrap();
        assert!(scheduled
            .iter()
            .any(|j| j.id == purge_job_id(now / DAY_MS + 1)));
        // An expired host session and a live one; a job done long ago and one done today;
        // budget spent yesterday and just now; an abandoned upload and a fresh one.
        let admin = app.admin().await;
        let admin_id: (String,) = sqlx::query_as("select admin_id from admin_sessions limit 1")
            .fetch_one(pool)
            .await
            .unwrap();
        app.state
            .store
            .insert_admin_session("expired-hash", &admin_id.0, now - 1000)
            .await
            .unwrap();
        for (id, updated) in [
            ("old-job", now - KEEP_DONE_JOBS_MS - 1000),
            ("new-job", now),
        ] {
            sqlx::query(
                "insert into outbox (id, kind, subject, payload, state, attempts, run_at, locked_until, created_at, updated_at)
                 values ($1, 'learn', 'x', '{}', 'done', 1, $2, 0, $2, $2)",
            )
            .bind(id)
            .bind(updated)
            .execute(pool)
            .await
            .unwrap();
        }
        for (id, at) in [("old-spend", now - 2 * DAY_MS), ("new-spend", now)] {
            sqlx::query(
                "insert into bartender_spend (id, guest_id, spent_at) values ($1, 'g', $2)",
            )
            .bind(id)
            .bind(at)
            .execute(pool)
            .await
            .unwrap();
        }
        let uploads = app.files.path().join("uploads");
        let abandoned = uploads.join("0123456789abcdef0123456789abcdef");
        std::fs::write(&abandoned, b"photo").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&abandoned)
            .unwrap()
            .set_modified(std::time::SystemTime::now() - Duration::from_secs(3 * 3600))
            .unwrap();
        let fresh = uploads.join("fedcba9876543210fedcba9876543210");
        std::fs::write(&fresh, b"photo").unwrap();

        let purged = worker::purge(&app.state).await.unwrap();
        assert_eq!(purged.admin_sessions, 1);
        assert_eq!(purged.done_jobs, 1);
        assert_eq!(purged.bartender_spend, 1);
        assert_eq!(purged.uploads, 1);
        assert!(!abandoned.exists() && fresh.exists());
        let left: Vec<(String,)> =
            sqlx::query_as("select id from outbox where id in ('old-job', 'new-job')")
                .fetch_all(pool)
                .await
                .unwrap();
        assert_eq!(left, [("new-job".to_string(),)]);
        // The host's own session survived.
        assert!(app
            .state
            .store
            .admin_by_session(&app::backend::auth::token_hash(
                admin.0.split('=').nth(1).unwrap()
            ))
            .await
            .unwrap()
            .is_some());
    }
);
