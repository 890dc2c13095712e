//! `/admin/screen`: picking drinks up. Where guests pick up (it finishes "Pick it up …" on their
//! phones and on the screen), the pickup screen itself, and read-only links to it for a TV.

use super::{admin_error, AdminNav};
use crate::api::pickup::{
    load_pickup_settings, CreateScreenLink, RevokeScreenLink, SetPickupPlace,
};
use crate::components::{confirm, FormError, ShownOnce, SubmitButton};
use crate::i18n::*;
use crate::model::{pick_up_sentence, PickupSettings, ScreenLink};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PickupPage() -> impl IntoView {
    let save = ServerAction::<SetPickupPlace>::new();
    let create = ServerAction::<CreateScreenLink>::new();
    let revoke = ServerAction::<RevokeScreenLink>::new();
    let settings = Resource::new(
        move || {
            (
                save.version().get(),
                create.version().get(),
                revoke.version().get(),
            )
        },
        |_| load_pickup_settings(),
    );
    let locale = crate::language::current();
    view! {
        <Title text=td_string!(locale, admin.pickup)/>
        <AdminNav/>
        <h1 class="mt-4 text-2xl font-bold">{td_string!(locale, admin.pickup)}</h1>
        <Transition fallback=move || view! { <p class="mt-6 text-stone-600">{td_string!(locale, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match settings.await {
                    Err(error) => admin_error(error),
                    Ok(settings) => view! { <Settings settings save create revoke/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Settings(
    settings: PickupSettings,
    save: ServerAction<SetPickupPlace>,
    create: ServerAction<CreateScreenLink>,
    revoke: ServerAction<RevokeScreenLink>,
) -> impl IntoView {
    let PickupSettings { place, links } = settings;
    let saved = move || save.value().get().and_then(Result::ok);
    let created = move || create.value().get().and_then(Result::ok);
    let locale = crate::language::current();
    view! {
        <section class="mt-4 rounded-2xl bg-white p-4 ring-1 ring-stone-200" aria-labelledby="place-heading">
            <h2 id="place-heading" class="font-bold">{td_string!(locale, admin.where_heading)}</h2>
            <p class="mt-1 text-sm text-stone-600">
                {td_string!(locale, admin.where_about)}
                <q>{pick_up_sentence(locale, &place)}</q>
            </p>
            <ActionForm action=save attr:class="mt-3 flex flex-col gap-3 sm:flex-row sm:items-end">
                <div class="flex-1">
                    <label for="pickup-place" class="block text-sm font-medium text-stone-700">{td_string!(locale, admin.pick_it_up)}</label>
                    <input id="pickup-place" name="place" maxlength="60" required value=place
                        placeholder=crate::model::place_or_default(locale, "")
                        class="mt-1 w-full rounded-xl border border-stone-300 bg-white px-3 py-2"/>
                </div>
                <div class="sm:w-40"><SubmitButton label=td_string!(locale, admin.save) pending=save.pending()/></div>
            </ActionForm>
            <div class="mt-3">
                <FormError error=Signal::derive(move || save.value().get().and_then(Result::err))/>
                {move || saved().map(|place| view! {
                    <p role="status" class="text-sm text-emerald-800">
                        {
                            let sentence = pick_up_sentence(locale, &place);
                            td_string!(locale, admin.saved_place, sentence).to_string()
                        }
                    </p>
                })}
            </div>
        </section>
        <section class="mt-4 rounded-2xl bg-white p-4 ring-1 ring-stone-200" aria-labelledby="screen-heading">
            <h2 id="screen-heading" class="font-bold">{td_string!(locale, admin.screen)}</h2>
            <p class="mt-1 text-sm text-stone-600">{td_string!(locale, admin.screen_about)}</p>
            <a href="/screen" target="_blank" class="mt-3 inline-block rounded-full bg-orange-800 px-5 py-2 font-medium text-white hover:bg-orange-900">
                {td_string!(locale, admin.open_screen)}
            </a>
            <h3 class="mt-5 font-semibold">{td_string!(locale, admin.tv_links)}</h3>
            <p class="mt-1 text-sm text-stone-600">{td_string!(locale, admin.tv_about)}</p>
            <ActionForm action=create attr:class="mt-3">
                <button type="submit" class="rounded-full px-4 py-2 text-sm font-medium ring-1 ring-stone-300 hover:bg-stone-100">
                    {td_string!(locale, admin.make_tv_link)}
                </button>
            </ActionForm>
            <FormError error=Signal::derive(move || create.value().get().and_then(Result::err))/>
            {move || created().map(|created| view! {
                <ShownOnce
                    message=td_string!(locale, admin.tv_link_shown).to_string()
                    label=td_string!(locale, admin.new_tv_link)
                    value=created.url
                    testid="new-screen-link"
                />
            })}
            {if links.is_empty() {
                view! { <p class="mt-3 text-sm text-stone-600">{td_string!(locale, admin.no_tv_links)}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-3 divide-y divide-stone-200 rounded-xl ring-1 ring-stone-200">
                        {links.into_iter().map(|link| view! { <LinkRow link revoke/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <FormError error=Signal::derive(move || revoke.value().get().and_then(Result::err))/>
        </section>
    }
}

#[component]
fn LinkRow(link: ScreenLink, revoke: ServerAction<RevokeScreenLink>) -> impl IntoView {
    let id = link.id.clone();
    let name = format!("{}…", link.prefix);
    let locale = crate::language::current();
    view! {
        <li class="flex items-center justify-between gap-3 px-3 py-2" data-testid="screen-link">
            <span class="font-mono text-sm">{name.clone()}</span>
            <button type="button" aria-label=td_string!(locale, admin.withdraw_link, name = name.clone()).to_string()
                class="rounded-full px-3 py-1.5 text-sm font-medium text-red-800 ring-1 ring-red-200 hover:bg-red-50"
                on:click=move |_| {
                    if confirm(td_string!(locale, admin.withdraw_confirm)) {
                        revoke.dispatch(RevokeScreenLink { id: id.clone() });
                    }
                }>
                {td_string!(locale, admin.withdraw)}
            </button>
        </li>
    }
}
