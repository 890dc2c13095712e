//! Server-rendered pages, read as a browser without JavaScript would.

use crate::common::db_test;

/// The text of every drink card's heading on a page.
fn card_names(html: &str) -> Vec<String> {
    html.split("data-testid=\"drink-card\"")
        .skip(1)
        .filter_map(|card| {
            let start = card.find("<h3")?;
            let open_end = start + card[start..].find('>')? + 1;
            let close = open_end + card[open_end..].find("</h3>")?;
            Some(card[open_end..close].to_string())
        })
        .collect()
}

db_test!(
    the_menu_renders_every_section_and_drink_on_the_server,
    |app| {
        let (status, html) = app.get_html("/").await;
        assert_eq!(status, 200);
        for section in [
            "Classics",
            "Sours &amp; Fizzes",
            "Tall &amp; Tropical",
            "Alcohol-free",
        ] {
            assert!(html.contains(section), "missing {section}");
        }
        assert_eq!(card_names(&html).len(), 30);
        assert!(html.contains("/demo/negroni.svg"));
        assert!(html.contains(">Alcohol-free</span>"));
        assert!(
            html.contains(">Unavailable</span>"),
            "the Sazerac is shown as unavailable"
        );
        assert!(html.contains("/pkg/barback.js"), "the page hydrates");
    }
);

db_test!(menu_search_and_filter_work_without_javascript, |app| {
    let (status, html) = app.get_html("/?q=tequila").await;
    assert_eq!(status, 200);
    assert_eq!(card_names(&html), ["Margarita", "Paloma"]);
    assert!(
        html.contains("value=\"tequila\"") || html.contains("tequila"),
        "the box keeps the search"
    );
    let (_, html) = app.get_html("/?alcohol_free=true").await;
    assert_eq!(card_names(&html).len(), 6);
    assert!(!card_names(&html).contains(&"Negroni".to_string()));
    let (_, html) = app.get_html("/?q=lime&alcohol_free=true").await;
    let names = card_names(&html);
    assert!(
        names.contains(&"Nojito".to_string()) && !names.contains(&"Mojito".to_string()),
        "{names:?}"
    );
    let (status, html) = app.get_html("/?q=zzzz").await;
    assert_eq!(status, 200);
    assert!(html.contains("No drinks match your search."));
});

db_test!(a_bad_search_is_refused_with_a_message, |app| {
    let (status, html) = app.get_html("/?alcohol_free=maybe").await;
    assert_eq!(status, 400);
    assert!(html.contains("The alcohol_free filter must be true or false"));
});

db_test!(
    the_drink_page_shows_ingredients_amounts_steps_and_abv,
    |app| {
        let (status, html) = app
            .get_html(&format!("/drinks/{}", app.drink_id("Margarita")))
            .await;
        assert_eq!(status, 200);
        for text in [
            "Margarita",
            "Blanco tequila",
            "50 ml",
            "Triple sec",
            "20 ml",
            "(optional)",
            "about 22% ABV",
            "Shake tequila",
        ] {
            assert!(html.contains(text), "missing {text}");
        }
        let (_, html) = app
            .get_html(&format!("/drinks/{}", app.drink_id("Sazerac")))
            .await;
        assert!(html.contains("Unavailable right now: the bar is out of Absinthe."));
        assert!(html.contains("out of stock"));
    }
);

db_test!(unknown_drinks_and_pages_answer_404, |app| {
    let (status, html) = app.get_html("/drinks/no-such-drink").await;
    assert_eq!(status, 404);
    assert!(html.contains("That drink was not found"));
    let (status, html) = app.get_html("/no/such/page").await;
    assert_eq!(status, 404);
    assert!(html.contains("Nothing on this shelf"));
});

db_test!(pages_reflect_a_stock_change_immediately, |app| {
    let id = app.drink_id("Daiquiri");
    let (_, html) = app.get_html(&format!("/drinks/{id}")).await;
    assert!(!html.contains("Unavailable right now"));
    app.set_in_stock("White rum", false).await;
    let (_, html) = app.get_html(&format!("/drinks/{id}")).await;
    assert!(html.contains("Unavailable right now: the bar is out of White rum."));
});

/// Building a router lists the app's routes, which once paused every page being rendered in the
/// same process for good (leptos-rs/leptos#4773); the list is now made once per process.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_render_while_more_routers_are_built_in_the_process() {
    let app = crate::common::spawn_app(crate::common::Db::Sqlite)
        .await
        .expect("sqlite app");
    let id = app.drink_id("Margarita");
    let state = app.state.clone();
    let building = tokio::task::spawn_blocking(move || {
        for _ in 0..200 {
            drop(server::router(state.clone()));
        }
    });
    // A query string keeps the pages out of the page cache: each one is rendered.
    for round in 0..40 {
        let (status, html) = app.get_html(&format!("/drinks/{id}?round={round}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("Blanco tequila"), "round {round}");
        let (status, html) = app.get_html(&format!("/?q=lime&round={round}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("Daiquiri"), "round {round}");
    }
    building.await.expect("routers");
}

db_test!(
    every_page_names_the_manifest_and_installs_a_worker_written_for_this_build,
    |app| {
        let (_, html) = app.get_html("/").await;
        assert!(
            html.contains(r#"rel="manifest""#) && html.contains(r#"href="/manifest.webmanifest""#)
        );
        assert!(html.contains("navigator.serviceWorker.register('/sw.js')"));
        let build = app.state.site.build().to_string();

        let worker = app.get("/sw.js").await;
        assert_eq!(worker.status(), 200);
        assert_eq!(
            worker.headers()["content-type"],
            "text/javascript; charset=utf-8"
        );
        // The browser asks for it on every visit, so a deploy reaches every phone.
        assert_eq!(worker.headers()["cache-control"], "no-cache");
        let source = worker.text().await.unwrap();
        assert!(
            source.starts_with(&format!("const BUILD = \"{build}\";")),
            "{}",
            &source[..80]
        );
        for kept in ["\"/\"", "\"/offline\""] {
            assert!(source.contains(kept), "the shell keeps {kept}");
        }

        // What a page the phone has not kept shows offline.
        let (status, offline) = app.get_html("/offline").await;
        assert_eq!(status, 200);
        assert!(offline.contains("You&#x27;re offline") || offline.contains("You're offline"));
    }
);

/// The menu fingerprint a page names in `<meta name="barback-menu">`.
fn menu_named_by(html: &str) -> String {
    let tag = html
        .split("<meta ")
        .find(|tag| tag.contains("name=\"barback-menu\""))
        .expect("the page names its menu");
    let content = tag.split("content=\"").nth(1).expect("a content attribute");
    content[..content.find('"').expect("a closing quote")].to_string()
}

/// The menu fingerprint a fresh live stream's greeting names.
async fn menu_greeted_with(app: &crate::common::TestApp) -> String {
    let mut events = crate::common::EventReader::new(app.events(None).await);
    let (event, hello) = events
        .next(std::time::Duration::from_secs(5))
        .await
        .expect("hello");
    assert_eq!(event, "hello");
    let hello: serde_json::Value = serde_json::from_str(&hello).unwrap();
    hello["menu"]
        .as_str()
        .expect("the greeting names the menu")
        .to_string()
}

db_test!(
    a_page_and_the_live_greeting_name_the_same_menu_until_it_changes,
    |app| {
        use app::api::admin_bar::SetInStock;
        // What lets an open menu skip refetching when its stream opens (`components::live`).
        let (_, html) = app.get_html("/").await;
        let rendered = menu_named_by(&html);
        assert_eq!(rendered.len(), 32, "{rendered}");
        assert_eq!(menu_greeted_with(&app).await, rendered);
        let (_, other_page) = app.get_html("/offline").await;
        assert_eq!(menu_named_by(&other_page), rendered, "every page names it");

        let admin = app.admin().await;
        let rum = crate::bar::stock_item(&app, &admin, "White rum").await;
        let set = |in_stock: &'static str| {
            let (app, admin, id) = (&app, &admin, rum.id.clone());
            async move {
                let (done, _) = app
                    .call::<SetInStock, ()>(
                        Some(admin),
                        &[("ingredient_id", &id), ("in_stock", in_stock)],
                    )
                    .await;
                done.unwrap();
            }
        };
        set("false").await;
        let (_, html) = app.get_html("/").await;
        let changed = menu_named_by(&html);
        assert_ne!(changed, rendered, "a stock change is a menu change");
        assert_eq!(menu_greeted_with(&app).await, changed);

        set("true").await;
        let (_, html) = app.get_html("/").await;
        assert_eq!(
            menu_named_by(&html),
            rendered,
            "the same menu, the same name"
        );
        assert_eq!(menu_greeted_with(&app).await, rendered);
    }
);
