//! The `server` binary's database commands.

use crate::common::db_test;
use crate::store::dump;
use app::backend::bar::Bar;
use app::backend::store::Store;
use std::process::Command;

/// Runs the `server` binary with `args` against `database_url`; its standard output.
pub(crate) fn server(database_url: &str, args: &[&str]) -> String {
    server_with(database_url, args, &[])
}

/// `server`, with more environment variables.
pub(crate) fn server_with(database_url: &str, args: &[&str], env: &[(&str, &str)]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .envs(env.iter().copied())
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

fn server_with_stdin(database_url: &str, args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .env("BARBACK_PUBLIC_URL", "http://192.168.1.20:3000")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn server");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

db_test!(
    first_seed_creates_an_admin_once_and_prints_a_join_link,
    |db: TestDb| {
        let first = server(&db.url, &["seed"]);
        assert!(
            first.contains("username:  admin") && first.contains("password:"),
            "{first}"
        );
        let link = |out: &str| {
            out.lines()
                .find(|l| l.starts_with("Guests join at"))
                .unwrap()
                .to_string()
        };
        let second = server(&db.url, &["seed"]);
        assert!(
            !second.contains("password:"),
            "the password is shown only once"
        );
        assert_eq!(
            link(&first),
            link(&second),
            "the same demo invite is reused"
        );
        let password = first
            .lines()
            .find_map(|l| l.trim().strip_prefix("password:"))
            .unwrap()
            .trim()
            .to_string();
        let (host, _) = Bar::for_command(Store::connect(&db.url).await.unwrap());
        assert!(host
            .check_admin_password("admin", &password)
            .await
            .unwrap()
            .is_some());
    }
);

db_test!(
    admin_create_takes_the_password_from_stdin_and_refuses_duplicates,
    |db: TestDb| {
        let out = server_with_stdin(
            &db.url,
            &["admin", "create", "--username", "Host"],
            "velvet-otter-carries-lemons\n",
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !String::from_utf8_lossy(&out.stdout).contains("otter"),
            "a given password is not echoed"
        );
        let store = Store::connect(&db.url).await.unwrap();
        let (host, _) = Bar::for_command(store.clone());
        assert!(host
            .check_admin_password("host", "velvet-otter-carries-lemons")
            .await
            .unwrap()
            .is_some());
        let again = server_with_stdin(
            &db.url,
            &["admin", "create", "--username", "host"],
            "quiet-harbor-spins-copper\n",
        );
        assert!(!again.status.success());
        assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
        for weak in ["short\n", "password123\n", "otherother1\n"] {
            let refused =
                server_with_stdin(&db.url, &["admin", "create", "--username", "other"], weak);
            assert!(!refused.status.success(), "{weak}");
            let stderr = String::from_utf8_lossy(&refused.stderr);
            assert!(
                stderr.contains("too easy to guess") || stderr.contains("at least 8"),
                "{stderr}"
            );
        }
        assert!(store.admin_by_username("other").await.unwrap().is_none());
    }
);

db_test!(
    invite_create_prints_the_code_and_join_url_and_guest_remove_signs_out,
    |db: TestDb| {
        let out = server_with_stdin(
            &db.url,
            &[
                "invite", "create", "--uses", "3", "--hours", "2", "--note", "kitchen",
            ],
            "",
        );
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let code = text
            .lines()
            .find_map(|l| l.strip_prefix("Invite code: "))
            .unwrap()
            .trim()
            .to_string();
        assert!(
            text.contains(&format!(
                "Join URL:    http://192.168.1.20:3000/join/{code}"
            )),
            "{text}"
        );
        let store = Store::connect(&db.url).await.unwrap();
        let invite = store.invite(&code).await.unwrap().unwrap();
        assert_eq!((invite.max_uses, invite.note.as_str()), (3, "kitchen"));
        let bad = server_with_stdin(&db.url, &["invite", "create", "--uses", "0"], "");
        assert!(!bad.status.success());
        // A guest joins, then the host removes them by name from the command line.
        let name = app::domain::GuestName::parse("Zoë").unwrap();
        let code = app::domain::InviteCode::parse(&code).unwrap();
        let (_, hash) = app::backend::auth::new_token();
        let (bar, _) = Bar::for_command(store.clone());
        bar.join(&code, &name, &hash, 3_600_000).await.unwrap();
        assert!(store.guest_by_token(&hash).await.unwrap().is_some());
        let removed = server_with_stdin(&db.url, &["guest", "remove", "zoë"], "");
        assert!(
            removed.status.success(),
            "{}",
            String::from_utf8_lossy(&removed.stderr)
        );
        assert!(store.guest_by_token(&hash).await.unwrap().is_none());
        let missing = server_with_stdin(&db.url, &["guest", "remove", "Nobody"], "");
        assert!(!missing.status.success());
    }
);

#[test]
fn cognito_mode_without_its_settings_is_a_clear_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("DATABASE_URL", "sqlite::memory:")
        .env("BARBACK_ADMIN_AUTH", "cognito")
        .env("BARBACK_COGNITO_DOMAIN", "https://bar.auth.example")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("needs BARBACK_COGNITO_"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn s3_mode_without_a_bucket_is_a_clear_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("DATABASE_URL", "sqlite::memory:")
        .env("BARBACK_IMAGES", "s3")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("needs BARBACK_S3_BUCKET"));
}

db_test!(
    guest_remove_from_the_command_line_closes_their_open_pages_at_once,
    |db: TestDb| {
        let url = db.url.clone();
        let app = crate::common::spawn_app_on(db, |_| {}).await;
        let guest = app.join("Zoë").await;
        let mut events = crate::common::EventReader::new(app.events(Some(&guest)).await);
        assert_eq!(
            events.next(LIVE).await.map(|(event, _)| event),
            Some("hello".into())
        );
        let removed = tokio::task::spawn_blocking(move || {
            server_with_stdin(&url, &["guest", "remove", "zoë"], "")
        })
        .await
        .unwrap();
        assert!(
            removed.status.success(),
            "{}",
            String::from_utf8_lossy(&removed.stderr)
        );
        // Sooner than the stream's own session check (every 30 s): the command told the server.
        assert!(
            events.ended_within(LIVE).await,
            "the removed guest's live stream stays open"
        );
    }
);

/// Well within the streams' own session check.
const LIVE: std::time::Duration = std::time::Duration::from_secs(5);
