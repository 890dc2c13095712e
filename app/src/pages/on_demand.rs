//! Pages whose browser code loads when someone first goes there, not with the menu. A first
//! visit to `/` downloads only what the menu needs; `cargo leptos build --split` puts each group
//! below (and the code only groups share) into chunks of its own, fetched on navigation, or
//! before hydration when the page is the one the server rendered.
//!
//! Pages are split in groups, not one by one: the splitter writes a chunk for every set of
//! splits that share some code, so eighteen one-page splits made a drink page fetch some ninety
//! small files, each a round trip on a phone. The host's pages load together once the host has
//! signed in (one goes on to the board, the menu and the rest); the sign-in page and each guest
//! page load on their own.
//!
//! On the server these are plain pages: the route renders them as before.

/// Declares each group as a module: one `#[lazy]` function that renders any page of the group
/// (the group's one split point) and a route struct per page, whose view asks it for the page.
macro_rules! on_demand {
    ($(group $group:ident { $($route:ident => $page:path),* $(,)? })*) => {$(
        mod $group {
            use leptos::prelude::*;
            use leptos_router::LazyRoute;

            /// The group's pages, named as their routes (the host's all start with `Admin`).
            #[derive(Clone, Copy, Debug)]
            #[allow(clippy::enum_variant_names)]
            enum Page {
                $($route),*
            }

            #[leptos::lazy($group)]
            fn load(page: Page) -> AnyView {
                match page {
                    $(Page::$route => $page().into_any()),*
                }
            }

            $(
                #[derive(Clone, Copy, Debug)]
                pub struct $route;

                impl LazyRoute for $route {
                    fn data() -> Self {
                        $route
                    }

                    async fn view(_this: Self) -> AnyView {
                        load(Page::$route).await
                    }

                    async fn preload() {
                        // Only the browser build has the split's loader.
                        #[cfg(target_arch = "wasm32")]
                        __preload_load().await;
                    }
                }
            )*
        }

        pub use $group::{$($route),*};
    )*};
}

on_demand! {
    group drink { Drink => crate::pages::DrinkPage }
    group join { Join => crate::pages::JoinPage }
    group orders { Orders => crate::pages::OrdersPage }
    group bartender { Bartender => crate::pages::BartenderPage }
    group screen { Screen => crate::pages::ScreenPage }
    group admin_login { AdminLogin => crate::pages::admin::LoginPage }
    group admin {
        AdminBoard => crate::pages::admin::BoardPage,
        AdminMenu => crate::pages::admin::MenuAdminPage,
        AdminDrink => crate::pages::admin::DrinkEditPage,
        AdminIngredients => crate::pages::admin::IngredientsPage,
        AdminInvites => crate::pages::admin::InvitesPage,
        AdminInvitePrint => crate::pages::admin::InvitePrintPage,
        AdminGuests => crate::pages::admin::GuestsPage,
        AdminWishes => crate::pages::admin::WishesPage,
        AdminApiKeys => crate::pages::admin::ApiKeysPage,
        AdminPickup => crate::pages::admin::PickupPage,
        AdminStats => crate::pages::admin::StatsPage,
        AdminShoppingList => crate::pages::admin::ShoppingListPage,
    }
}
