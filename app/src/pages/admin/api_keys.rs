//! `/admin/api-keys`: keys for integrations that read the menu from `/api/v1`, each with a daily
//! quota. A new key is shown once; the list shows each key's prefix and today's calls.

use super::{admin_error, AdminNav};
use crate::api::admin_bar::{api_keys, CreateApiKey, RevokeApiKey};
use crate::components::{confirm, FormError, ShownOnce, SubmitButton};
use crate::i18n::*;
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
    let locale = crate::language::current();
    view! {
        <Title text=td_string!(locale, admin.api_keys)/>
        <AdminNav/>
        <h1 class="mt-4 text-2xl font-bold">{td_string!(locale, admin.api_keys)}</h1>
        <p class="mt-1 text-sm text-stone-600">
            {td_string!(locale, admin.keys_intro_1)}
            <code class="rounded bg-stone-100 px-1">"/api/v1"</code>
            {td_string!(locale, admin.keys_intro_2)}<code class="rounded bg-stone-100 px-1">"x-api-key"</code>
            {td_string!(locale, admin.keys_intro_3)}
            <a class="underline" href="/api/v1/openapi.json">"/api/v1/openapi.json"</a>"."
        </p>
        <ActionForm action=create attr:class="mt-4 grid gap-3 rounded-2xl bg-white p-4 ring-1 ring-stone-200 sm:grid-cols-3">
            <div class="sm:col-span-2">
                <label for="key-name" class="block text-sm font-medium text-stone-700">{td_string!(locale, admin.name)}</label>
                <input id="key-name" name="name" maxlength="60" required placeholder=td_string!(locale, admin.key_name_hint) class=field/>
            </div>
            <div>
                <label for="key-quota" class="block text-sm font-medium text-stone-700">{td_string!(locale, admin.quota)}</label>
                <input id="key-quota" name="daily_quota" type="number" min="1" max="10000000" value="1000" required class=field/>
            </div>
            <div class="sm:col-span-3">
                <FormError error=Signal::derive(move || create.value().get().and_then(Result::err))/>
                <SubmitButton label=td_string!(locale, admin.create_key) pending=create.pending()/>
            </div>
        </ActionForm>
        {move || created().map(|created| view! { <NewKey created/> })}
        <Transition fallback=move || view! { <p class="mt-6 text-stone-600">{td_string!(locale, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => admin_error(error),
                    Ok(list) => {
                        let mode = if list.required {
                            td_string!(locale, admin.keys_required)
                        } else {
                            td_string!(locale, admin.keys_optional)
                        };
                        view! {
                            <p class="mt-6 text-sm text-stone-600" data-testid="key-mode">{mode}</p>
                            {if list.keys.is_empty() {
                                view! { <p class="mt-2 text-stone-600">{td_string!(locale, admin.no_keys)}</p> }.into_any()
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
    let locale = crate::language::current();
    view! {
        <ShownOnce
            message=td_string!(locale, admin.key_created, name = created.key.name.clone()).to_string()
            label=td_string!(locale, admin.new_key)
            value=created.secret
            testid="new-key"
        />
    }
}

#[component]
fn KeyRow(key: ApiKey, revoke: ServerAction<RevokeApiKey>) -> impl IntoView {
    let locale = crate::language::current();
    let usage = td_string!(
        locale,
        admin.usage,
        used = key.used_today,
        quota = key.daily_quota
    )
    .to_string();
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
                view! { <span class="text-sm font-medium text-stone-600">{td_string!(locale, admin.revoked)}</span> }.into_any()
            } else {
                view! {
                    <button type="button" aria-label=td_string!(locale, admin.revoke_name, name = name.clone()).to_string()
                        class="rounded-full px-3 py-1.5 text-sm font-medium text-red-800 ring-1 ring-red-200 hover:bg-red-50"
                        on:click=move |_| {
                            if confirm(&td_string!(locale, admin.revoke_confirm, name = name.clone()).to_string()) {
                                revoke.dispatch(RevokeApiKey { id: id.clone() });
                            }
                        }>
                        {td_string!(locale, admin.revoke)}
                    </button>
                }.into_any()
            }}
        </li>
    }
}
