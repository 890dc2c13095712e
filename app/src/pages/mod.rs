//! Pages: the guests' (`guest/`) and the host's (`admin/`); all but the menu load on demand
//! (`on_demand`).

pub mod admin;
mod guest;
pub mod on_demand;
mod screen;

pub use guest::{BartenderPage, DrinkPage, JoinPage, MenuPage, OrdersPage};
pub use screen::ScreenPage;

use crate::components::set_status;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    let locale = crate::language::current();
    view! {
        <Title text=td_string!(locale, common.not_found_title)/>
        <div class="my-16 text-center">
            <h1 class="text-2xl font-bold">{td_string!(locale, common.not_found)}</h1>
            <p class="mt-2 text-stone-600">{td_string!(locale, common.not_found_body)}</p>
            <a href="/" class="mt-6 inline-flex min-h-11 items-center rounded-full bg-orange-800 px-5 font-medium text-white">
                {td_string!(locale, common.see_menu)}
            </a>
        </div>
    }
}

/// What a page the phone has not kept shows when the network is gone (the service worker keeps
/// this page and the menu from the start).
#[component]
pub fn OfflinePage() -> impl IntoView {
    let locale = crate::language::current();
    view! {
        <Title text=td_string!(locale, common.offline_title)/>
        <div class="my-16 text-center">
            <h1 class="text-2xl font-bold">{td_string!(locale, common.offline_heading)}</h1>
            <p class="mt-2 text-stone-600">{td_string!(locale, common.offline_body)}</p>
            <a href="/" class="mt-6 inline-flex min-h-11 items-center rounded-full bg-orange-800 px-5 font-medium text-white">
                {td_string!(locale, common.see_menu)}
            </a>
        </div>
    }
}
