//! `/admin/wishes`: drinks guests asked the bartender for that are not on the menu, by drink and by
//! guest, so the host knows what to stock next time.

use super::{admin_error, AdminNav};
use crate::api::admin_bar::load_wishes;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn WishesPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| load_wishes());
    let locale = crate::language::current();
    view! {
        <Title text=td_string!(locale, admin.wish_list)/>
        <AdminNav/>
        <h1 class="mt-4 text-2xl font-bold">{td_string!(locale, admin.wish_list)}</h1>
        <p class="mt-1 text-sm text-stone-600">{td_string!(locale, admin.wish_about)}</p>
        <Transition fallback=move || view! { <p class="mt-6 text-stone-600">{td_string!(locale, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => admin_error(error),
                    Ok(list) if list.by_drink.is_empty() => view! {
                        <p class="mt-6 text-stone-600">{td_string!(locale, admin.no_wish)}</p>
                    }.into_any(),
                    Ok(list) => view! {
                        <section class="mt-4" aria-labelledby="by-drink">
                            <h2 id="by-drink" class="text-lg font-semibold">{td_string!(locale, admin.by_drink)}</h2>
                            <ul class="mt-2 divide-y divide-stone-200 rounded-2xl bg-white ring-1 ring-stone-200">
                                {list.by_drink.into_iter().map(|wish| view! {
                                    <li class="flex items-baseline justify-between gap-3 px-4 py-3" data-testid="wish">
                                        <div>
                                            <p class="font-medium">{wish.drink}</p>
                                            <p class="text-xs text-stone-600">{wish.guests.join(", ")}</p>
                                        </div>
                                        <span class="shrink-0 rounded-full bg-orange-100 px-2 py-0.5 text-sm font-semibold text-orange-900">
                                            {match wish.guests.len() {
                                                1 => td_string!(locale, admin.guests_one).to_string(),
                                                count => td_string!(locale, admin.guests_many, count).to_string(),
                                            }}
                                        </span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                        <section class="mt-6" aria-labelledby="by-guest">
                            <h2 id="by-guest" class="text-lg font-semibold">{td_string!(locale, admin.by_guest)}</h2>
                            <ul class="mt-2 divide-y divide-stone-200 rounded-2xl bg-white ring-1 ring-stone-200">
                                {list.by_guest.into_iter().map(|guest| view! {
                                    <li class="px-4 py-3">
                                        <p class="font-medium">{guest.guest}</p>
                                        <p class="text-sm text-stone-600">{guest.drinks.join(", ")}</p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
