//! Pages: the guests' (`guest/`) and the host's (`admin/`); all but the menu load on demand
//! (`on_demand`).

pub mod admin;
mod guest;
pub mod on_demand;

pub use guest::{BartenderPage, DrinkPage, JoinPage, MenuPage, OrdersPage};

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
            <a href="/" class="mt-6 inline-block rounded-full bg-orange-800 px-5 py-2 font-medium text-white">
                "See the menu"
            </a>
        </div>
    }
}
