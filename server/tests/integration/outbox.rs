//! The outbox: jobs commit with their change, survive a restart before they run, run once even
//! with several workers, and back off then end as failed with their error.

use crate::bedrock_stub::{BedrockStub, Mode};
use crate::common::{eventually, spawn_app_with, Db};
use app::backend::store::chat::IMAGE_PROMPT_JOB;
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
        .jobs_for(IMAGE_PROMPT_JOB, drink_id)
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
        .jobs_for(IMAGE_PROMPT_JOB, &id)
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
