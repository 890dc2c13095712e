//! `/admin/api-keys`: keys for integrations that read the menu from `/api/v1`, each with a daily
//! quota. A new key is shown once; the list shows each key's prefix and today's calls.

use super::{admin_error, AdminNav};
use crate::api::admin_bar::{api_keys, CreateApiKey, RevokeApiKey};
use crate::components::{confirm, FormError, ShownOnce, SubmitButton};
use crate::model::{ApiKey, NewApiKey};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let create = ServerAction::<CreateApiKey>::new();
    let revoke = ServerAction::<RevokeApiKey>::new();
    let list = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| api_keys(),
    );
    let created = move || create.value().get().and_then(Result::ok);
    let field = "mt-1 w-full rounded-xl border border-stone-300 bg-white px-3 py-2";
    view! {
        <Title text="API keys"/>
        <AdminNav/>
        <h1 class="mt-4 text-2xl font-bold">"API keys"</h1>
        <p class="mt-1 text-sm text-stone-600">
            "Integrations (a till, a menu screen) read the menu from "
            <code class="rounded bg-stone-100 px-1">"/api/v1"</code>
            " with a key in the "<code class="rounded bg-stone-100 px-1">"x-api-key"</code>
            " header. The API is described at "
            <a class="underline" href="/api/v1/openapi.json">"/api/v1/openapi.json"</a>"."
        </p>
        <ActionForm action=create attr:class="mt-4 grid gap-3 rounded-2xl bg-white p-4 ring-1 ring-stone-200 sm:grid-cols-3">
            <div class="sm:col-span-2">
                <label for="key-name" class="block text-sm font-medium text-stone-700">"Name"</label>
                <input id="key-name" name="name" maxlength="60" required placeholder="e.g. menu screen by the door" class=field/>
            </div>
            <div>
                <label for="key-quota" class="block text-sm font-medium text-stone-700">"Calls per day"</label>
                <input id="key-quota" name="daily_quota" type="number" min="1" max="10000000" value="1000" required class=field/>
            </div>
            <div class="sm:col-span-3">
                <FormError error=Signal::derive(move || create.value().get().and_then(Result::err))/>
                <SubmitButton label="Create key" pending=create.pending()/>
            </div>
        </ActionForm>
        {move || created().map(|created| view! { <NewKey created/> })}
        <Transition fallback=|| view! { <p class="mt-6 text-stone-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => admin_error(error),
                    Ok(list) => {
                        let mode = if list.required {
                            "Calls without a key are refused (BARBACK_API_KEYS=required)."
                        } else {
                            "Calls without a key are served too; set BARBACK_API_KEYS=required to refuse them."
                        };
                        view! {
                            <p class="mt-6 text-sm text-stone-600" data-testid="key-mode">{mode}</p>
                            {if list.keys.is_empty() {
                                view! { <p class="mt-2 text-stone-600">"No keys yet. Create one for each integration above."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="mt-2 divide-y divide-stone-200 rounded-2xl bg-white ring-1 ring-stone-200">
                                        {list.keys.into_iter().map(|key| view! { <KeyRow key revoke/> }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                }
            })}
        </Transition>
        <FormError error=Signal::derive(move || revoke.value().get().and_then(Result::err))/>
    }
}

/// The key just created, with a button to copy it: it is not shown again.
#[component]
fn NewKey(created: NewApiKey) -> impl IntoView {
    view! {
        <ShownOnce
            message=format!("Key “{}” created. Copy it now: it is not shown again.", created.key.name)
            label="New API key"
            value=created.secret
            testid="new-key"
        />
    }
}

#[component]
fn KeyRow(key: ApiKey, revoke: ServerAction<RevokeApiKey>) -> impl IntoView {
    let usage = format!("{} of {} calls today", key.used_today, key.daily_quota);
    let ratio = (key.used_today as f64 / key.daily_quota.max(1) as f64).clamp(0.0, 1.0);
    let (id, name) = (key.id.clone(), key.name.clone());
    view! {
        <li class="flex items-center justify-between gap-3 px-4 py-3" data-testid="api-key" class:opacity-60=key.revoked>
            <div class="min-w-0 flex-1">
                <p class="font-medium">{key.name.clone()}</p>
                <p class="font-mono text-xs text-stone-600">{format!("{}…", key.prefix)}</p>
                <p class="text-xs text-stone-600">{usage}</p>
                <div class="mt-1 h-1.5 w-full max-w-48 overflow-hidden rounded-full bg-stone-200" aria-hidden="true">
                    <div class="h-full bg-orange-700" style=format!("width: {:.0}%", ratio * 100.0)></div>
                </div>
            </div>
            {if key.revoked {
                view! { <span class="text-sm font-medium text-stone-600">"Revoked"</span> }.into_any()
            } else {
                view! {
                    <button type="button" aria-label=format!("Revoke {name}")
                        class="rounded-full px-3 py-1.5 text-sm font-medium text-red-800 ring-1 ring-red-200 hover:bg-red-50"
                        on:click=move |_| {
                            if confirm(&format!("Revoke the key “{name}”? Integrations using it stop working at once.")) {
                                revoke.dispatch(RevokeApiKey { id: id.clone() });
                            }
                        }>
                        "Revoke"
                    </button>
                }.into_any()
            }}
        </li>
    }
}
