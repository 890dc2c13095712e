//! API keys with daily quotas for `/api/v1`, and its OpenAPI document.

use crate::common::{db_test, Session, TestApp};
use app::api::admin_bar::{ApiKeys, CreateApiKey, RevokeApiKey};
use app::backend::config::ApiKeys as KeyMode;
use app::model::{ApiKeyList, NewApiKey};
use serde_json::Value;

fn required(config: &mut app::backend::Config) {
    config.api_keys = KeyMode::Required;
}

impl TestApp {
    async fn new_key(&self, admin: &Session, name: &str, quota: i64) -> NewApiKey {
        let quota = quota.to_string();
        self.call::<CreateApiKey, NewApiKey>(
            Some(admin),
            &[("name", name), ("daily_quota", &quota)],
        )
        .await
        .0
        .expect("create key")
    }

    async fn with_key(&self, path: &str, key: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header("x-api-key", key)
            .send()
            .await
            .expect("request")
    }

    async fn keys(&self, admin: &Session) -> ApiKeyList {
        self.call::<ApiKeys, ApiKeyList>(Some(admin), &[])
            .await
            .0
            .expect("list keys")
    }
}

async fn message_of(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, response.json().await.expect("json body"))
}

db_test!(
    required_keys_refuse_calls_without_a_valid_one,
    tweak = required,
    |app| {
        for path in ["/api/v1/sections", "/api/v1/drinks", "/api/v1/drinks/x"] {
            let (status, body) = message_of(app.get(path).await).await;
            assert_eq!(status, 401, "{path}");
            assert!(
                body["message"].as_str().unwrap().contains("x-api-key"),
                "{body}"
            );
        }
        let admin = app.admin().await;
        let real = app.new_key(&admin, "Till", 100).await.secret;
        // A key of the right shape that was never issued, a malformed one, one with the real
        // key's prefix but another body, one not ASCII, an empty one.
        let forged = format!("{}{}", &real[..8], "A".repeat(real.len() - 8));
        for bad in [
            "bbk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "' or 1=1 --",
            forged.as_str(),
            "",
            &real[..real.len() - 1],
        ] {
            let (status, body) = message_of(app.with_key("/api/v1/drinks", bad).await).await;
            assert_eq!(status, 401, "{bad:?}");
            assert!(body["message"].as_str().unwrap().contains("not valid"));
        }
        let response = app
            .client
            .get(app.url("/api/v1/drinks"))
            .header(
                "x-api-key",
                reqwest::header::HeaderValue::from_bytes(b"bbk_\xff").unwrap(),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
        // The document that says so is public.
        assert_eq!(app.get("/api/v1/openapi.json").await.status(), 200);
        // Pages and the probes are not part of the keyed API.
        assert_eq!(app.get("/healthz").await.status(), 200);
        assert_eq!(app.get("/").await.status(), 200);
        let response = app.with_key("/api/v1/sections", &real).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["x-ratelimit-limit"], "100");
        assert_eq!(response.headers()["x-ratelimit-remaining"], "99");
    }
);

db_test!(
    a_spent_quota_answers_limit_exceeded_until_midnight,
    tweak = required,
    |app| {
        let admin = app.admin().await;
        let key = app.new_key(&admin, "Kiosk", 3).await.secret;
        let other = app.new_key(&admin, "Signage", 3).await.secret;
        let drink = format!("/api/v1/drinks/{}", app.drink_id("Negroni"));
        // A 304 and a 404 are calls too.
        let first = app.with_key("/api/v1/sections", &key).await;
        let etag = first.headers()["etag"].to_str().unwrap().to_string();
        let again = app
            .client
            .get(app.url("/api/v1/sections"))
            .header("x-api-key", &key)
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304);
        assert_eq!(
            app.with_key("/api/v1/drinks/nope", &key).await.status(),
            404
        );
        let over = app.with_key(&drink, &key).await;
        assert_eq!(over.status(), 429);
        let retry = crate::common::retry_after(&over);
        assert!((1..=86_400).contains(&retry), "{retry}");
        assert_eq!(over.headers()["x-ratelimit-remaining"], "0");
        assert_eq!(
            over.text().await.unwrap(),
            r#"{"message":"Limit Exceeded"}"#
        );
        // Refused calls are not counted, and other keys have their own quota.
        assert_eq!(app.with_key(&drink, &other).await.status(), 200);
        let list = app.keys(&admin).await;
        let used: Vec<_> = list
            .keys
            .iter()
            .map(|k| (k.name.as_str(), k.used_today))
            .collect();
        assert!(
            used.contains(&("Kiosk", 3)) && used.contains(&("Signage", 1)),
            "{used:?}"
        );
        assert!(list.required);
    }
);

db_test!(
    concurrent_calls_never_exceed_the_quota,
    tweak = required,
    |app| {
        let admin = app.admin().await;
        let key = app.new_key(&admin, "Burst", 40).await.secret;
        let calls = (0..70).map(|_| {
            let (client, url, key) = (app.client.clone(), app.url("/api/v1/sections"), key.clone());
            tokio::spawn(async move {
                client
                    .get(url)
                    .header("x-api-key", key)
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        });
        let mut statuses = Vec::new();
        for call in calls.collect::<Vec<_>>() {
            statuses.push(call.await.unwrap());
        }
        assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 40);
        assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 30);
        assert_eq!(app.keys(&admin).await.keys[0].used_today, 40);
    }
);

db_test!(
    revoked_keys_stop_working_and_keys_are_stored_hashed,
    tweak = required,
    |app| {
        let admin = app.admin().await;
        let created = app.new_key(&admin, "Old till", 1000).await;
        let secret = created.secret.clone();
        assert!(secret.starts_with("bbk_") && secret.len() == 36, "{secret}");
        assert!(secret.starts_with(&created.key.prefix));
        assert_eq!(app.with_key("/api/v1/drinks", &secret).await.status(), 200);
        // Only the prefix is in the clear; the rest of the key is nowhere in the table.
        let rows: Vec<(String, String, String)> =
            sqlx::query_as("select name, prefix, key_hash from api_keys")
                .fetch_all(app.state.store.pool())
                .await
                .unwrap();
        assert_eq!(rows.len(), 1);
        assert!(rows
            .iter()
            .all(|(_, prefix, hash)| !hash.contains(&secret[8..])
                && prefix.len() < 12
                && hash.len() == 64));
        // The list never carries the key either.
        let listed = serde_json::to_string(&app.keys(&admin).await).unwrap();
        assert!(!listed.contains(&secret[8..]));

        let id = created.key.id.clone();
        let (revoked, _) = app
            .call::<RevokeApiKey, ()>(Some(&admin), &[("id", &id)])
            .await;
        revoked.expect("revoke");
        assert_eq!(app.with_key("/api/v1/drinks", &secret).await.status(), 401);
        let (again, _) = app
            .call::<RevokeApiKey, ()>(Some(&admin), &[("id", &id)])
            .await;
        assert_eq!(again.unwrap_err().status(), 404);
        let list = app.keys(&admin).await;
        assert!(list.keys[0].revoked);
    }
);

db_test!(
    only_admins_manage_keys_and_bad_input_changes_nothing,
    |app| {
        let guest = app.join("Mallory").await;
        let (listed, _) = app.call::<ApiKeys, ApiKeyList>(Some(&guest), &[]).await;
        assert_eq!(listed.unwrap_err().status(), 401);
        let (created, _) = app
            .call::<CreateApiKey, NewApiKey>(
                Some(&guest),
                &[("name", "mine"), ("daily_quota", "5")],
            )
            .await;
        assert_eq!(created.unwrap_err().status(), 401);
        let (created, _) = app
            .call::<CreateApiKey, NewApiKey>(None, &[("name", "mine"), ("daily_quota", "5")])
            .await;
        assert_eq!(created.unwrap_err().status(), 401);

        let admin = app.admin().await;
        for (name, quota) in [
            ("", "100"),
            ("tab\tin name", "100"),
            (&*"x".repeat(61), "100"),
            ("ok", "0"),
            ("ok", "-1"),
            ("ok", "10000001"),
        ] {
            let (created, _) = app
                .call::<CreateApiKey, NewApiKey>(
                    Some(&admin),
                    &[("name", name), ("daily_quota", quota)],
                )
                .await;
            assert_eq!(created.unwrap_err().status(), 400, "{name:?} {quota}");
        }
        let (created, _) = app
            .call::<CreateApiKey, NewApiKey>(
                Some(&admin),
                &[("name", "ok"), ("daily_quota", "lots")],
            )
            .await;
        assert!(created.is_err());
        let (revoked, _) = app
            .call::<RevokeApiKey, ()>(Some(&guest), &[("id", "anything")])
            .await;
        assert_eq!(revoked.unwrap_err().status(), 401);
        assert!(app.keys(&admin).await.keys.is_empty());
        // Keys are optional by default: calls without one are served, a wrong one is refused.
        assert_eq!(app.get("/api/v1/drinks").await.status(), 200);
        assert_eq!(
            app.with_key("/api/v1/drinks", "bbk_nope").await.status(),
            401
        );
        let key = app.new_key(&admin, "Optional", 10).await.secret;
        let response = app.with_key("/api/v1/drinks", &key).await;
        assert_eq!(response.headers()["x-ratelimit-remaining"], "9");
        assert!(!app.keys(&admin).await.required);
    }
);

db_test!(the_openapi_document_matches_what_the_api_answers, |app| {
    let (status, doc) = app.get_json("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."), "{doc}");
    assert_eq!(doc["servers"][0]["url"], app.state.config.public_url);
    let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    assert_eq!(
        paths,
        ["/api/v1/drinks", "/api/v1/drinks/{id}", "/api/v1/sections"]
    );
    let scheme = &doc["components"]["securitySchemes"]["api_key"];
    assert_eq!(scheme["in"], "header");
    assert_eq!(scheme["name"], "x-api-key");
    // Optional keys: anonymous access ({}) or a key.
    assert_eq!(doc["security"], serde_json::json!([{}, {"api_key": []}]));
    let params: Vec<&str> = doc["paths"]["/api/v1/drinks"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(params, ["q", "ingredient", "alcohol_free", "available"]);
    for path in paths {
        let responses = &doc["paths"][path]["get"]["responses"];
        for status in ["200", "401", "429"] {
            assert!(responses.get(status).is_some(), "{path} {status}");
        }
    }

    // Every property the schemas name is in the answers, and every field answered is named.
    let schemas = &doc["components"]["schemas"];
    let properties = |name: &str| -> Vec<String> {
        let mut keys: Vec<String> = schemas[name]["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("no schema {name}"))
            .keys()
            .cloned()
            .collect();
        keys.sort();
        keys
    };
    let fields = |value: &Value| -> Vec<String> {
        let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    };
    let (_, drink) = app
        .get_json(&format!("/api/v1/drinks/{}", app.drink_id("Negroni")))
        .await;
    assert_eq!(properties("Drink"), fields(&drink));
    assert_eq!(properties("RecipeLine"), fields(&drink["ingredients"][0]));
    let (_, sections) = app.get_json("/api/v1/sections").await;
    assert_eq!(properties("SectionList"), fields(&sections));
    assert_eq!(properties("Section"), fields(&sections["sections"][0]));
    let (_, drinks) = app.get_json("/api/v1/drinks").await;
    assert_eq!(properties("DrinkList"), fields(&drinks));
    let required: Vec<&str> = schemas["Drink"]["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(required.len(), fields(&drink).len());
});

db_test!(
    the_openapi_document_says_when_keys_are_required,
    tweak = required,
    |app| {
        let (_, doc) = app.get_json("/api/v1/openapi.json").await;
        assert_eq!(doc["security"], serde_json::json!([{"api_key": []}]));
    }
);
