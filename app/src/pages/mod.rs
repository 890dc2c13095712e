//! Pages: the guests' (`guest/`) and the host's (`admin/`); all but the menu load on demand
//! (`on_demand`).

pub mod admin;
mod guest;
pub mod on_demand;
mod screen;

pub use guest::{BartenderPage, DrinkPage, JoinPage, MenuPage, OrdersPage};
pub use screen::ScreenPage;

use crate::components::set_status;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    view! {
        <Title text="Not found"/>
        <div class="my-16 text-center">
            <h1 class="text-2xl font-bold">"Nothing on this shelf"</h1>
            <p class="mt-2 text-stone-600">"That page does not exist."</p>
            <a href="/" class="mt-6 inline-flex min-h-11 items-center rounded-full bg-orange-800 px-5 font-medium text-white">
                "See the menu"
            </a>
        </div>
    }
}

/// What a page the phone has not kept shows when the network is gone (the service worker keeps
/// this page and the menu from the start).
#[component]
pub fn OfflinePage() -> impl IntoView {
    view! {
        <Title text="Offline"/>
        <div class="my-16 text-center">
            <h1 class="text-2xl font-bold">"You're offline"</h1>
            <p class="mt-2 text-stone-600">
                "This page needs the bar's Wi-Fi. The menu still works; ordering waits until you're back."
            </p>
            <a href="/" class="mt-6 inline-flex min-h-11 items-center rounded-full bg-orange-800 px-5 font-medium text-white">
                "See the menu"
            </a>
        </div>
    }
}
