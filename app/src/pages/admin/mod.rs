//! The host's pages under `/admin`.

mod api_keys;
mod bar;
mod bartender;
mod board;
mod controls;
mod login;
mod menu;
mod pickup;
mod stats;
mod wishes;

pub use api_keys::ApiKeysPage;
pub use bar::{GuestsPage, IngredientsPage, InvitePrintPage, InvitesPage};
pub use board::BoardPage;
pub use login::LoginPage;
pub use menu::{DrinkEditPage, MenuAdminPage};
pub use pickup::PickupPage;
pub use stats::{ShoppingListPage, StatsPage};
pub use wishes::WishesPage;

use crate::api::admin::AdminLogout;
use crate::components::ErrorNotice;
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::{Redirect, A};

/// What an admin page shows when its data fails: the sign-in page when not signed in.
pub fn admin_error(error: AppError) -> AnyView {
    match error {
        AppError::Unauthorized => view! { <Redirect path="/admin/login"/> }.into_any(),
        error => view! { <ErrorNotice error/> }.into_any(),
    }
}

/// The admin navigation bar with "Sign out".
#[component]
pub fn AdminNav() -> impl IntoView {
    let logout = ServerAction::<AdminLogout>::new();
    let locale = crate::language::current();
    let links = [
        ("/admin/board", td_string!(locale, admin.board)),
        ("/admin/stats", td_string!(locale, admin.stats)),
        ("/admin/screen", td_string!(locale, admin.pickup)),
        ("/admin/menu", td_string!(locale, admin.menu)),
        ("/admin/ingredients", td_string!(locale, admin.ingredients)),
        ("/admin/invites", td_string!(locale, admin.invites)),
        ("/admin/guests", td_string!(locale, admin.guests)),
        ("/admin/wishes", td_string!(locale, admin.wishes)),
        ("/admin/api-keys", td_string!(locale, admin.api_keys)),
    ];
    view! {
        <nav class="mt-4 flex items-center justify-between gap-2" aria-label=td_string!(locale, admin.nav)>
            <div class="flex flex-wrap gap-1">
                {links
                    .into_iter()
                    // `A` marks the current page (`aria-current="page"`).
                    .map(|(href, label)| view! {
                        <A href=href attr:class="flex min-h-11 items-center rounded-full px-3 text-sm font-medium hover:bg-stone-200 aria-[current=page]:bg-stone-800 aria-[current=page]:text-white">{label}</A>
                    })
                    .collect_view()}
            </div>
            <div class="flex items-center gap-1">
                <crate::components::ThemeSwitch/>
                <ActionForm action=logout>
                    <button type="submit" class="min-h-11 rounded-full px-3 text-sm font-medium text-stone-700 ring-1 ring-stone-300 hover:bg-stone-100">
                        {td_string!(locale, admin.sign_out)}
                    </button>
                </ActionForm>
            </div>
        </nav>
    }
}
