//! The `server` binary's database commands.

use crate::common::db_test;
use crate::store::dump;
use app::backend::store::Store;
use std::process::Command;

fn server(database_url: &str, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run server");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

db_test!(server_seed_twice_changes_nothing, |db: TestDb| {
    assert!(server(&db.url, &["migrate"]).contains("up to date"));
    assert!(server(&db.url, &["seed"]).contains("Seeded the demo bar: 4 sections, 30 drinks"));
    let store = Store::connect(&db.url).await.unwrap();
    let before = dump(&store).await;
    assert!(server(&db.url, &["seed"]).contains("nothing seeded"));
    assert_eq!(dump(&store).await, before);
});

#[test]
fn an_unknown_database_scheme_is_a_clear_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["migrate"])
        .env("DATABASE_URL", "mysql://localhost/bar")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr)
        .contains("DATABASE_URL must start with sqlite: or postgres://"));
}
