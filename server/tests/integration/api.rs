//! `/api/v1`, `/healthz`, `/readyz`.

use crate::common::db_test;

db_test!(sections_are_listed_in_menu_order, |app| {
    let (status, body) = app.get_json("/api/v1/sections").await;
    assert_eq!(status, 200);
    let names: Vec<_> = body["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Classics",
            "Sours & Fizzes",
            "Tall & Tropical",
            "Alcohol-free"
        ]
    );
});

db_test!(ingredient_search_is_case_insensitive, |app| {
    let mut names = app.drink_names("ingredient=TEQUILA").await;
    names.sort();
    assert_eq!(names, ["Margarita", "Paloma"]);
    assert_eq!(app.drink_names("ingredient=tequila").await.len(), 2);
});

db_test!(text_search_covers_names_and_ingredients, |app| {
    // Descriptions count too: the Boulevardier is "the Negroni's warmer cousin".
    assert_eq!(
        app.drink_names("q=negroni").await,
        ["Negroni", "Boulevardier", "Mezcal Negroni"]
    );
    let lime = app.drink_names("q=Lime").await;
    assert!(
        lime.contains(&"Margarita".to_string()) && lime.contains(&"Nojito".to_string()),
        "{lime:?}"
    );
    assert!(!lime.contains(&"Negroni".to_string()));
    assert!(app.drink_names("q=no+such+drink").await.is_empty());
    // Whole words: gin is not found in the Penicillin's ginger; a half-typed word still finds.
    let gin = app.drink_names("q=gin").await;
    assert!(gin.contains(&"Negroni".to_string()), "{gin:?}");
    assert!(
        !gin.iter()
            .any(|name| name == "Penicillin" || name == "Moscow Mule"),
        "{gin:?}"
    );
    let ging = app.drink_names("q=ging").await;
    assert!(
        ging.contains(&"Penicillin".to_string()) && ging.contains(&"Moscow Mule".to_string()),
        "{ging:?}"
    );
});

db_test!(
    alcohol_free_filter_returns_only_alcohol_free_drinks,
    |app| {
        let (_, body) = app.get_json("/api/v1/drinks?alcohol_free=true").await;
        let drinks = body["drinks"].as_array().unwrap();
        assert_eq!(drinks.len(), 6);
        assert!(drinks
            .iter()
            .all(|d| d["alcohol_free"] == true && d["abv"] == 0.0));
        let (_, body) = app.get_json("/api/v1/drinks?alcohol_free=false").await;
        assert!(body["drinks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["alcohol_free"] == false));
    }
);

db_test!(
    out_of_stock_ingredient_marks_drinks_unavailable_until_restocked,
    |app| {
        // The demo bar is out of absinthe, so the Sazerac shows but is unavailable.
        assert_eq!(app.drink_names("available=false").await, ["Sazerac"]);
        app.set_in_stock("Campari", false).await;
        let mut unavailable = app.drink_names("available=false").await;
        unavailable.sort();
        assert_eq!(
            unavailable,
            ["Boulevardier", "Mezcal Negroni", "Negroni", "Sazerac"]
        );
        let (_, negroni) = app
            .get_json(&format!("/api/v1/drinks/{}", app.drink_id("Negroni")))
            .await;
        assert_eq!(negroni["available"], false);
        // An optional ingredient never blocks a drink: no orange peel, Negroni back once Campari is.
        app.set_in_stock("Orange peel", false).await;
        app.set_in_stock("Campari", true).await;
        assert_eq!(app.drink_names("available=false").await, ["Sazerac"]);
    }
);

db_test!(
    one_drink_has_its_recipe_and_an_unknown_id_is_a_json_404,
    |app| {
        let (status, body) = app
            .get_json(&format!("/api/v1/drinks/{}", app.drink_id("Negroni")))
            .await;
        assert_eq!(status, 200);
        let lines = body["ingredients"].as_array().unwrap();
        assert_eq!(lines[0]["name"], "Gin");
        assert_eq!(lines[0]["amount"], 30.0);
        assert_eq!(lines[0]["unit"], "ml");
        assert_eq!(body["steps"].as_array().unwrap().len(), 3);
        let (status, body) = app.get_json("/api/v1/drinks/not-a-drink").await;
        assert_eq!(status, 404);
        assert_eq!(body["code"], "not_found");
    }
);

db_test!(bad_query_values_get_a_400_with_a_message, |app| {
    let (status, body) = app.get_json("/api/v1/drinks?alcohol_free=yes").await;
    assert_eq!(status, 400);
    assert_eq!(body["field"], "alcohol_free");
    assert!(
        body["message"].as_str().unwrap().contains("true or false"),
        "{body}"
    );
    let long = "x".repeat(101);
    let (status, body) = app.get_json(&format!("/api/v1/drinks?q={long}")).await;
    assert_eq!(status, 400);
    assert_eq!(body["field"], "q");
});

db_test!(etag_gives_304_until_the_menu_changes, |app| {
    let first = app.get("/api/v1/drinks").await;
    assert_eq!(first.status(), 200);
    let etag = first.headers()["etag"].to_str().unwrap().to_string();
    let again = app.get_if_none_match("/api/v1/drinks", &etag).await;
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
    assert!(again.bytes().await.unwrap().is_empty());
    // A different answer has a different tag.
    let filtered = app.get("/api/v1/drinks?alcohol_free=true").await;
    assert_ne!(filtered.headers()["etag"].to_str().unwrap(), etag);
    // A stock change is a menu change: the old tag no longer matches.
    app.set_in_stock("Gin", false).await;
    let changed = app.get_if_none_match("/api/v1/drinks", &etag).await;
    assert_eq!(changed.status(), 200);
    assert_ne!(changed.headers()["etag"].to_str().unwrap(), etag);
    for path in [
        "/api/v1/sections",
        &format!("/api/v1/drinks/{}", app.drink_id("Mojito")),
    ] {
        let r = app.get(path).await;
        let tag = r.headers()["etag"].to_str().unwrap().to_string();
        let r = app.get_if_none_match(path, &tag).await;
        assert_eq!(r.status(), 304, "{path}");
    }
});

db_test!(health_is_ok_and_readiness_follows_the_database, |app| {
    assert_eq!(app.get("/healthz").await.status(), 200);
    assert_eq!(app.get("/readyz").await.status(), 200);
    app.state.store.pool().close().await;
    assert_eq!(app.get("/readyz").await.status(), 503);
    assert_eq!(app.get("/healthz").await.status(), 200);
});
