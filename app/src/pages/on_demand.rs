//! Pages whose browser code loads when a guest first goes there, not with the menu. A first
//! visit to `/` downloads only what the menu needs; `cargo leptos build --split` puts each page
//! below (and the code only they share) into chunks of its own, fetched on navigation, or before
//! hydration when the page is the one the server rendered.
//!
//! On the server these are plain pages: the route renders them as before.

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// A route struct for each page: `LazyRoute` splits at the route's `view`.
macro_rules! on_demand {
    ($($route:ident => $page:path),* $(,)?) => {$(
        #[derive(Clone, Copy, Debug)]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }
    )*};
}

on_demand! {
    Drink => super::DrinkPage,
    Join => super::JoinPage,
    Orders => super::OrdersPage,
    Bartender => super::BartenderPage,
    Screen => super::ScreenPage,
    AdminLogin => super::admin::LoginPage,
    AdminBoard => super::admin::BoardPage,
    AdminMenu => super::admin::MenuAdminPage,
    AdminDrink => super::admin::DrinkEditPage,
    AdminIngredients => super::admin::IngredientsPage,
    AdminInvites => super::admin::InvitesPage,
    AdminInvitePrint => super::admin::InvitePrintPage,
    AdminGuests => super::admin::GuestsPage,
    AdminWishes => super::admin::WishesPage,
    AdminApiKeys => super::admin::ApiKeysPage,
    AdminPickup => super::admin::PickupPage,
    AdminStats => super::admin::StatsPage,
    AdminShoppingList => super::admin::ShoppingListPage,
}
