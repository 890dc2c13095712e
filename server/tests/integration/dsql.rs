//! The Aurora DSQL rules, checked against PostgreSQL: write transactions are retried on
//! serialization conflicts (SQLSTATE 40001, DSQL's OC000/OC001) with backoff, at most five times,
//! and never on any other error.

use crate::common::{fresh_database, spawn_app_on, Db};
use app::backend::store::{retrying, Store, MAX_TRIES};
use std::sync::atomic::{AtomicU32, Ordering};

const CONFLICT: &str =
    "do $$ begin raise exception 'injected conflict' using errcode = '40001'; end $$";
const DUPLICATE: &str =
    "do $$ begin raise exception 'injected duplicate' using errcode = '23505'; end $$";

async fn attempts_until(
    store: &Store,
    failures: u32,
    statement: &str,
) -> (u32, Result<(), sqlx::Error>) {
    let calls = AtomicU32::new(0);
    let result = retrying(|| async {
        let call = calls.fetch_add(1, Ordering::SeqCst) + 1;
        let sql = if call <= failures {
            statement
        } else {
            "select 1"
        };
        sqlx::query(sql).execute(store.pool()).await.map(drop)
    })
    .await;
    (calls.load(Ordering::SeqCst), result)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serialization_conflicts_are_retried_at_most_five_times_and_nothing_else_is() {
    let Some(db) = fresh_database(Db::Postgres).await else {
        return;
    };
    let store = Store::connect(&db.url).await.unwrap();

    let (calls, result) = attempts_until(&store, 2, CONFLICT).await;
    assert!(result.is_ok());
    assert_eq!(calls, 3, "two conflicts, then success");

    let (calls, result) = attempts_until(&store, 100, CONFLICT).await;
    assert_eq!(calls, MAX_TRIES);
    let err = result.unwrap_err();
    assert_eq!(
        err.as_database_error().and_then(|e| e.code()).as_deref(),
        Some("40001")
    );

    let (calls, result) = attempts_until(&store, 100, DUPLICATE).await;
    assert_eq!(calls, 1, "other errors are not retried");
    assert!(result.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_that_meets_conflicts_is_placed_once_after_retrying() {
    let Some(db) = fresh_database(Db::Postgres).await else {
        return;
    };
    let app = spawn_app_on(db, |_| {}).await;
    let guest = app.join("Patient").await;
    // The database refuses the first two order inserts as serialization conflicts. A sequence
    // counts the attempts because it is not rolled back with them.
    for sql in [
        "create sequence order_attempts",
        "create function flaky_orders() returns trigger language plpgsql as $$ begin \
           if nextval('order_attempts') <= 2 then \
             raise exception 'injected conflict' using errcode = '40001'; \
           end if; return new; end $$",
        "create trigger flaky_orders before insert on orders for each row execute function flaky_orders()",
    ] {
        sqlx::query(sql).execute(app.state.store.pool()).await.unwrap();
    }
    let order = app
        .place(&guest, "Mojito", "patient-0001")
        .await
        .expect("placed after retries");
    let (attempts,): (i64,) = sqlx::query_as("select last_value from order_attempts")
        .fetch_one(app.state.store.pool())
        .await
        .unwrap();
    assert_eq!(attempts, 3);
    assert_eq!(
        app.order_count(&order.guest_id).await,
        1,
        "exactly one order"
    );
    let history = app.state.store.order_history(&order.id).await.unwrap();
    assert_eq!(history.len(), 1, "one status event: {history:?}");
}

/// The password (the IAM auth token) new connections of the pool log in with.
fn login_token(store: &Store) -> String {
    let options = store.pool().connect_options();
    let password = options.database_url.password().unwrap_or_default();
    form_urlencoded::parse(format!("t={password}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dsql_mode_logs_in_with_iam_tokens_and_refreshes_them_before_they_expire() {
    let Some(db) = fresh_database(Db::Postgres).await else {
        return;
    };
    // The local PostgreSQL stands in for the cluster: it speaks the same protocol and, with trust
    // auth, accepts the token as a password. (DSQL itself always gets TLS verify-full.)
    let mut config = app::backend::store::dsql::DsqlConfig::new("127.0.0.1");
    config.database = db.url.rsplit('/').next().unwrap().to_string();
    config.user = "postgres".into();
    config.region = Some("us-east-1".into());
    config.credentials = Some(("AKIDBARBACKTEST".into(), "barback-test-secret".into()));
    config.sslmode = "disable".into();
    config.token_lifetime = std::time::Duration::from_secs(1);
    let store = Store::connect_dsql(&config).await.unwrap();
    assert!(store.is_dsql());

    let first = login_token(&store);
    for part in [
        "127.0.0.1/?Action=DbConnect&",
        "X-Amz-Expires=1",
        "X-Amz-Signature=",
        "us-east-1%2Fdsql%2Faws4_request",
    ] {
        assert!(first.contains(part), "{part} not in {first}");
    }
    let (user,): (String,) = sqlx::query_as("select current_user::text")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(user, "postgres");

    tokio::time::sleep(std::time::Duration::from_millis(1800)).await;
    let second = login_token(&store);
    assert_ne!(first, second, "a fresh token before the first expired");
    // New connections log in with it: open several at once.
    let queries = (0..6).map(|_| sqlx::query("select pg_sleep(0.05)").execute(store.pool()));
    for result in futures::future::join_all(queries).await {
        result.unwrap();
    }
    assert!(store.pool().size() > 1);
}

#[test]
fn dsql_is_chosen_by_url_or_by_barback_db() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("migrate")
        .env("BARBACK_DB", "dsql")
        .env_remove("BARBACK_DSQL_ENDPOINT")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr)
        .contains("BARBACK_DB=dsql needs BARBACK_DSQL_ENDPOINT"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dsql_mode_insists_on_a_verified_tls_connection() {
    if crate::common::fresh_database(Db::Postgres).await.is_none() {
        return;
    }
    // The local server has no certificate for "127.0.0.1" from a public CA (or no TLS at all):
    // with verify-full, the connection must be refused rather than made in the clear.
    let mut config = app::backend::store::dsql::DsqlConfig::new("127.0.0.1");
    config.user = "postgres".into();
    config.region = Some("us-east-1".into());
    config.credentials = Some(("AKIDBARBACKTEST".into(), "barback-test-secret".into()));
    let err = Store::connect_dsql(&config).await.unwrap_err().to_string();
    assert!(!err.contains("without TLS support"), "{err}");
    assert!(
        err.to_lowercase().contains("tls")
            || err.to_lowercase().contains("certificate")
            || err.to_lowercase().contains("ssl"),
        "{err}"
    );
}
