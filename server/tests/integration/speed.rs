//! What makes the bar fast on a phone, seen from outside: shared pages from memory with a fresh
//! CSP nonce and 304s, site files from memory with long-lived caching and precompressed variants,
//! and admin pages that redirect instead of rendering empty.

use crate::common::{db_test, spawn_app_with, Db, TestApp};
use reqwest::header::HeaderMap;

fn nonce_of(headers: &HeaderMap) -> String {
    headers["content-security-policy"]
        .to_str()
        .unwrap()
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce")
        .to_string()
}

/// `GET path` with `client`, as the holder of `cookie`.
async fn get_as(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    cookie: Option<&str>,
) -> reqwest::Response {
    let mut request = client.get(app.url(path));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

/// ETag, nonce and body of a fresh (200) answer.
async fn page(app: &TestApp, path: &str, cookie: Option<&str>) -> (String, String, String) {
    let response = get_as(app, &app.client, path, cookie).await;
    assert_eq!(response.status(), 200, "{path}");
    let etag = response
        .headers()
        .get("etag")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let nonce = nonce_of(response.headers());
    let body = response.text().await.unwrap();
    (etag, nonce, body)
}

db_test!(
    the_menu_is_served_from_memory_with_a_fresh_nonce_and_a_304_until_it_changes,
    |app| {
        let (etag, first_nonce, first) = page(&app, "/", None).await;
        assert!(etag.starts_with("W/\""), "{etag}");
        let (again_etag, second_nonce, second) = page(&app, "/", None).await;
        assert_eq!(etag, again_etag);
        assert_ne!(first_nonce, second_nonce, "a fresh nonce for every answer");
        assert!(second.contains(&format!("nonce=\"{second_nonce}\"")));
        assert!(!second.contains(&first_nonce));
        assert_eq!(
            first.replace(&first_nonce, "N"),
            second.replace(&second_nonce, "N"),
            "the same page"
        );

        let unchanged = app.get_if_none_match("/", &etag).await;
        assert_eq!(unchanged.status(), 304);
        assert!(
            unchanged.headers().get("content-security-policy").is_none(),
            "a 304 keeps the policy stored with the browser's copy"
        );
        assert_eq!(unchanged.headers()["etag"], etag.as_str());

        // A guest sees the same menu, from the same memory.
        let guest = app.join("Mia").await;
        let (guest_etag, _, _) = page(&app, "/", Some(&guest.0)).await;
        assert_eq!(guest_etag, etag);

        // Out of rum: the menu changes, and so does the page.
        app.set_in_stock("White rum", false).await;
        app.state.menu_changed().await.unwrap();
        let changed = app.get_if_none_match("/", &etag).await;
        assert_eq!(changed.status(), 200);
        assert_ne!(changed.headers()["etag"], etag.as_str());
        let html = changed.text().await.unwrap();
        let mojito = html.split("Mojito").nth(1).unwrap_or_default();
        assert!(
            mojito[..mojito.find("</li>").unwrap()].contains("Unavailable"),
            "the Mojito is shown as unavailable"
        );
    }
);

db_test!(
    a_visitors_drink_page_comes_from_memory_and_a_guests_is_rendered_for_them,
    |app| {
        let path = format!("/drinks/{}", app.drink_id("Paloma"));
        let (visitor_etag, _, visitor) = page(&app, &path, None).await;
        assert!(!visitor_etag.is_empty());
        assert!(visitor.contains("Join the party to order"));
        let response = app.get(&path).await;
        assert_eq!(response.headers()["vary"], "accept-language, cookie");

        let guest = app.join("Noa").await;
        let (guest_etag, _, first) = page(&app, &path, Some(&guest.0)).await;
        assert!(guest_etag.is_empty(), "a guest's page is theirs alone");
        let (_, _, second) = page(&app, &path, Some(&guest.0)).await;
        let key = |html: &str| {
            html.split("name=\"idempotency_key\" value=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .expect("the order form")
                .to_string()
        };
        assert_ne!(key(&first), key(&second), "every render its own order key");

        // Unknown drinks are not kept: each answers 404.
        for _ in 0..2 {
            let missing = app.get("/drinks/no-such-drink").await;
            assert_eq!(missing.status(), 404);
            assert!(missing.headers().get("etag").is_none());
        }
    }
);

db_test!(signed_out_admin_pages_redirect_to_sign_in, |app| {
    let client = TestApp::no_redirects();
    for path in [
        "/admin",
        "/admin/board",
        "/admin/menu",
        "/admin/ingredients",
        "/admin/invites",
        "/admin/guests",
        "/admin/wishes",
        "/admin/api-keys",
        &format!("/admin/menu/drinks/{}", app.drink_id("Negroni")),
    ] {
        let response = get_as(&app, &client, path, None).await;
        assert_eq!(response.status(), 303, "{path}");
        assert_eq!(response.headers()["location"], "/admin/login", "{path}");
    }
    let login = get_as(&app, &client, "/admin/login", None).await;
    assert_eq!(login.status(), 200);

    let admin = app.admin().await;
    let home = get_as(&app, &client, "/admin", Some(&admin.0)).await;
    assert_eq!(home.status(), 303);
    assert_eq!(home.headers()["location"], "/admin/board");
    let board = get_as(&app, &client, "/admin/board", Some(&admin.0)).await;
    assert_eq!(board.status(), 200);
    // A guest is not a host.
    let guest = app.join("Ivy").await;
    let refused = get_as(&app, &client, "/admin/board", Some(&guest.0)).await;
    assert_eq!(refused.status(), 303);
});

/// A built site in miniature: hashed bundles with their precompressed variants, and a public file.
fn site_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("barback.0123abcd.wasm"), vec![7u8; 4096]).unwrap();
    std::fs::write(pkg.join("barback.0123abcd.wasm.br"), b"brotli bytes").unwrap();
    std::fs::write(pkg.join("barback.0123abcd.wasm.gz"), b"gzip bytes").unwrap();
    std::fs::write(pkg.join("barback.0123abcd.css"), "body{color:red}").unwrap();
    std::fs::write(
        dir.path().join("favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn site_files_are_served_precompressed_with_long_lived_caching() {
    let site = site_dir();
    let root = site.path().display().to_string();
    let app = spawn_app_with(Db::Sqlite, |c| c.site_root = root)
        .await
        .unwrap();
    let wasm = "/pkg/barback.0123abcd.wasm";
    let br = app
        .client
        .get(app.url(wasm))
        .header("accept-encoding", "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(br.status(), 200);
    assert_eq!(br.headers()["content-encoding"], "br");
    assert_eq!(br.headers()["content-type"], "application/wasm");
    // Only a build that hashed the names (cargo-leptos writes `hash.txt` beside the server) makes
    // them immutable; here they are revalidated (the release build is checked in Playwright).
    assert_eq!(br.headers()["cache-control"], "no-cache");
    assert!(br.headers().contains_key("etag"));
    assert_eq!(br.headers()["x-content-type-options"], "nosniff");
    assert_eq!(br.bytes().await.unwrap().as_ref(), b"brotli bytes");
    let plain = app.get(wasm).await;
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.bytes().await.unwrap().len(), 4096);

    let icon = app.get("/favicon.svg").await;
    assert_eq!(icon.status(), 200);
    let etag = icon.headers()["etag"].to_str().unwrap().to_string();
    assert!(icon.headers()["cache-control"]
        .to_str()
        .unwrap()
        .starts_with("public, max-age="));
    assert_eq!(
        app.get_if_none_match("/favicon.svg", &etag).await.status(),
        304
    );

    // Pages link the hashed stylesheet and name the build their code belongs to.
    let (_, html) = app.get_html("/").await;
    assert!(
        html.contains("href=\"/pkg/barback.0123abcd.css\""),
        "{html}"
    );
    let build = app.state.site.build();
    assert_ne!(build, "dev");
    assert!(html.contains(&format!("name=\"barback-build\" content=\"{build}\"")));
}
