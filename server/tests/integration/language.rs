//! English and Spanish: the page's language from `Accept-Language` or the guest's choice (`POST
//! /language`, kept in a cookie), one cached copy of a shared page per language, and the
//! bartender answering in the guest's language.

use crate::common::{db_test, session_cookie, Session, TestApp};
use app::model::ChatChunk;

/// `GET path` with these extra headers: (status, `<html lang>`, body, ETag).
async fn page(
    app: &TestApp,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, String, String, String) {
    let mut request = app.client.get(app.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    assert_eq!(
        response.headers()["vary"],
        "accept-language, cookie",
        "{path}"
    );
    let etag = response.headers()["etag"].to_str().unwrap().to_string();
    let body = response.text().await.unwrap();
    let lang = body
        .split("<html lang=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("<html lang>")
        .to_string();
    (status, lang, body, etag)
}

/// Chooses a language as the switch does; the `name=value` of the cookie that keeps it.
async fn choose(app: &TestApp, lang: &str, back: &str) -> (u16, String, String) {
    let response = TestApp::no_redirects()
        .post(app.url("/language"))
        .header("sec-fetch-site", "same-origin")
        .form(&[("lang", lang), ("back", back)])
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    let cookie = if status == 303 {
        session_cookie(response.headers())
    } else {
        String::new()
    };
    (status, location, cookie)
}

db_test!(the_menu_speaks_the_browsers_language_one_copy_each, |app| {
    let (status, lang, english, en_etag) = page(&app, "/", &[]).await;
    assert_eq!((status, lang.as_str()), (200, "en"));
    assert!(english.contains(">My orders<") && english.contains("Alcohol-free only"));

    let spanish_browser = [("accept-language", "es-ES,es;q=0.9,en;q=0.8")];
    let (status, lang, spanish, es_etag) = page(&app, "/", &spanish_browser).await;
    assert_eq!((status, lang.as_str()), (200, "es"));
    assert!(spanish.contains(">Mis pedidos<") && spanish.contains("Solo sin alcohol"));
    assert!(!spanish.contains(">My orders<"));
    assert_ne!(en_etag, es_etag, "a copy per language");

    // Both copies come back from memory, each in its own language.
    let (_, _, again, etag) = page(&app, "/", &spanish_browser).await;
    assert_eq!(etag, es_etag);
    assert!(again.contains(">Mis pedidos<"));
    let (_, _, _, etag) = page(&app, "/", &[("accept-language", "fr-FR, de")]).await;
    assert_eq!(
        etag, en_etag,
        "a language the bar does not speak gets English"
    );
});

db_test!(the_language_switch_keeps_the_choice_and_goes_back, |app| {
    let (status, location, cookie) = choose(&app, "es", "/orders?x=1").await;
    assert_eq!((status, location.as_str()), (303, "/orders?x=1"));
    assert!(
        cookie.contains("barback_lang") && cookie.ends_with("=es"),
        "{cookie}"
    );

    // The choice wins over the browser's languages.
    let english_browser_with_choice = [("accept-language", "en-GB"), ("cookie", cookie.as_str())];
    let (_, lang, html, _) = page(&app, "/", &english_browser_with_choice).await;
    assert_eq!(lang, "es");
    assert!(html.contains("Buscar"));

    // The join page, in Spanish: the contract labels.
    let code = app.invite(5).await;
    let response = app
        .client
        .get(app.url(&format!("/join/{code}")))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let html = response.text().await.unwrap();
    let lang = if html.contains("<html lang=\"es\"") {
        "es"
    } else {
        "not es"
    };
    assert_eq!((status, lang), (200, "es"));
    assert!(
        html.contains("Tu nombre") && html.contains(">Entrar<"),
        "{html}"
    );

    // Back to English.
    let (_, _, english) = choose(&app, "en", "/").await;
    let (_, lang, _, _) = page(&app, "/", &[("cookie", english.as_str())]).await;
    assert_eq!(lang, "en");
});

db_test!(
    a_bad_language_or_a_foreign_way_back_changes_nothing,
    |app| {
        let (status, _, _) = choose(&app, "fr", "/").await;
        assert_eq!(status, 400);
        for back in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil.example",
            "",
        ] {
            let (status, location, _) = choose(&app, "es", back).await;
            assert_eq!((status, location.as_str()), (303, "/"), "{back}");
        }
        // Another site's page cannot switch a guest's language.
        let refused = TestApp::no_redirects()
            .post(app.url("/language"))
            .header("sec-fetch-site", "cross-site")
            .form(&[("lang", "es"), ("back", "/")])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403);
    }
);

db_test!(the_bartender_answers_in_the_guests_language, |app| {
    let guest = app.join("Lucía").await;
    let (_, _, spanish) = choose(&app, "es", "/bartender").await;
    let in_spanish = Session(format!("{}; {spanish}", guest.0));
    let answer = app.ask(&in_spanish, "algo sin alcohol, que conduzco").await;
    assert_eq!(answer.status, 200);
    let cards = answer.cards();
    assert!(!cards.is_empty());
    assert!(cards.iter().all(|card| card.alcohol_free), "{cards:?}");
    assert!(answer.text().contains("sin alcohol"), "{}", answer.text());
    for card in &cards {
        assert!(card.reason.starts_with("Sin alcohol."), "{}", card.reason);
        assert!(!card.reason.contains("Made with"), "{}", card.reason);
    }
    // The same guest asking with an English page gets English.
    let answer = app.ask(&guest, "no alcohol, I'm driving").await;
    assert!(answer
        .cards()
        .iter()
        .all(|card| card.reason.starts_with("Alcohol-free.")));
    assert!(answer
        .chunks
        .iter()
        .any(|chunk| matches!(chunk, ChatChunk::Text { text } if text.contains("alcohol-free"))));
});

/// A server function's refusal, asked for with these extra headers: (status, message, field).
async fn refusal<F: leptos::server_fn::ServerFn>(
    app: &TestApp,
    session: Option<&Session>,
    form: &[(&str, &str)],
    headers: &[(&str, &str)],
) -> (u16, String, String) {
    let mut request = app
        .client
        .post(app.url(F::PATH))
        .header("accept", "application/json")
        .form(form);
    if let Some(Session(cookie)) = session {
        request = request.header("cookie", cookie);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let error: app::error::AppError = response.json().await.unwrap();
    (
        status,
        error.sentence(),
        error.field().unwrap_or("").to_string(),
    )
}

db_test!(the_servers_refusals_speak_the_guests_language, |app| {
    use app::api::guests::JoinParty;
    let spanish = [("accept-language", "es-ES,es;q=0.9")];
    let code = app.invite(5).await;

    // A field's message, written deep in the rules, in the request's language.
    let (status, message, field) =
        refusal::<JoinParty>(&app, None, &[("code", &code), ("name", " ")], &spanish).await;
    assert_eq!(
        (status, message.as_str(), field.as_str()),
        (400, "Dinos tu nombre, por favor.", "name")
    );
    let (_, message, _) =
        refusal::<JoinParty>(&app, None, &[("code", &code), ("name", " ")], &[]).await;
    assert_eq!(message, "Please tell us your name.");

    // A conflict with the guest's own words in it.
    app.try_join(&code, "Ana").await.unwrap();
    let (status, message, _) =
        refusal::<JoinParty>(&app, None, &[("code", &code), ("name", "ana")], &spanish).await;
    assert_eq!(
        (status, message.as_str()),
        (400, "Ya hay alguien llamado ana. Prueba con otro nombre.")
    );

    // A code that was never made.
    let (_, message, field) = refusal::<JoinParty>(
        &app,
        None,
        &[("code", "ZZZZ9999"), ("name", "Luz")],
        &spanish,
    )
    .await;
    assert_eq!(
        (message.as_str(), field.as_str()),
        (
            "No hay ninguna invitación con ese código. Compruébalo con quien organiza.",
            "code"
        )
    );

    // The guest's own choice (the cookie) wins over the browser's languages, for the host too.
    let (_, _, chosen) = choose(&app, "es", "/").await;
    let admin = app.admin().await;
    let with_choice = format!("{}; {chosen}", admin.0);
    let (status, message, field) = refusal::<app::api::admin_bar::CreateInvite>(
        &app,
        Some(&Session(with_choice)),
        &[("uses", "0"), ("hours", "4"), ("note", "")],
        &[("accept-language", "en-GB")],
    )
    .await;
    assert_eq!(
        (status, message.as_str(), field.as_str()),
        (
            400,
            "Una invitación puede usarse de 1 a 10000 veces.",
            "uses"
        )
    );
});
