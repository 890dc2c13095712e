//! Least-privilege database roles on PostgreSQL: `server db roles` prints and applies them; the
//! reader cannot write, the writer cannot change the schema, and a server works as the two.

use crate::cli::{server, server_with};
use crate::common::{fresh_database, postgres_admin_url, spawn_app_on, Db};
use sqlx::{AnyPool, Executor};

const PASSWORD: &str = "roles-test-password";

/// `url` logging in as `role`.
fn as_role(url: &str, role: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let host = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
    format!("{scheme}://{role}:{PASSWORD}@{host}")
}

fn apply(url: &str, reader: &str, writer: &str) -> String {
    server_with(
        url,
        &[
            "db", "roles", "--apply", "--reader", reader, "--writer", writer,
        ],
        &[
            ("BARBACK_DB_READER_PASSWORD", PASSWORD),
            ("BARBACK_DB_WRITER_PASSWORD", PASSWORD),
        ],
    )
}

async fn refused(pool: &AnyPool, sql: &str) {
    let err = pool.execute(sql).await.expect_err(sql).to_string();
    assert!(
        err.contains("permission denied") || err.contains("must be owner"),
        "{sql}: {err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reader_cannot_write_and_the_writer_cannot_change_the_schema() {
    let Some(db) = fresh_database(Db::Postgres).await else {
        return;
    };
    // Roles belong to the whole PostgreSQL server: names of this test's own.
    let tag = &db.url[db.url.len() - 10..];
    let (reader, writer) = (format!("r_{tag}"), format!("w_{tag}"));
    server(&db.url, &["seed"]);

    let printed = server(
        &db.url,
        &["db", "roles", "--reader", &reader, "--writer", &writer],
    );
    assert!(
        printed.contains(&format!("create role {reader} login;")),
        "{printed}"
    );
    assert!(printed.contains(&format!("to {reader};")));
    let select = printed
        .lines()
        .find(|line| {
            line.starts_with("grant select on ") && line.ends_with(&format!("to {reader};"))
        })
        .expect("the reader's grant");
    for table in ["drinks", "orders", "guests", "outbox", "bar_settings"] {
        assert!(select.contains(table), "{table} missing from {select}");
    }
    assert!(!select.contains("schema_migrations"));
    assert!(printed.contains("grant select, insert, update, delete on "));
    assert!(
        !printed.contains("password"),
        "printed statements carry no password"
    );

    assert!(apply(&db.url, &reader, &writer).contains("Applied"));
    // Again: the roles are there, so only the grants run (and change nothing).
    apply(&db.url, &reader, &writer);

    let as_reader = AnyPool::connect(&as_role(&db.url, &reader)).await.unwrap();
    let (drinks,): (i64,) = sqlx::query_as("select count(*) from drinks")
        .fetch_one(&as_reader)
        .await
        .unwrap();
    assert_eq!(drinks, 30);
    for sql in [
        "insert into bar_settings (name, value, updated_at) values ('x', 'y', 1)",
        "update drinks set name = 'Water'",
        "delete from orders",
        "create table sneaky (id text)",
    ] {
        refused(&as_reader, sql).await;
    }

    let as_writer = AnyPool::connect(&as_role(&db.url, &writer)).await.unwrap();
    as_writer
        .execute("insert into bar_settings (name, value, updated_at) values ('x', 'y', 1)")
        .await
        .unwrap();
    as_writer
        .execute("delete from bar_settings where name = 'x'")
        .await
        .unwrap();
    for sql in [
        "create table sneaky (id text)",
        "drop table orders",
        "alter table drinks add column sneaky text",
        "delete from schema_migrations",
    ] {
        refused(&as_writer, sql).await;
    }
    as_reader.close().await;
    as_writer.close().await;

    // A server working as the writer (the schema is up to date, so it makes no tables) and
    // reading the menu as the reader: guests browse, join and order.
    let (writer_url, reader_url) = (as_role(&db.url, &writer), as_role(&db.url, &reader));
    let app = spawn_app_on(db, |config| {
        config.database_url = writer_url;
        config.database_reader_url = Some(reader_url);
    })
    .await;
    assert_eq!(app.drink_names("").await.len(), 30);
    let mia = app.join("Mia").await;
    app.place(&mia, "Negroni", "mia-key-0001").await.unwrap();
    drop(app);

    // The database went with the app; the roles go too.
    let admin = AnyPool::connect(&format!("{}/postgres", postgres_admin_url()))
        .await
        .unwrap();
    for role in [&reader, &writer] {
        admin
            .execute(format!("drop role if exists {role}").as_str())
            .await
            .unwrap();
    }
}
