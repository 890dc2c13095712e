#![recursion_limit = "512"]
//! Barback: the application, compiled for the server (`ssr`) and for the browser (`hydrate`).

pub mod api;
pub mod components;
pub mod domain;
pub mod error;
pub mod language;
pub mod model;
pub mod pages;

// `i18n`: the `Locale` enum and the keys of `app/locales/{en,es}.json` (see `build.rs`).
include!(concat!(env!("OUT_DIR"), "/i18n.rs"));

#[cfg(feature = "ssr")]
pub mod backend;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, Title};
use leptos_router::{
    components::{Redirect, Route, Router, Routes},
    Lazy, ParamSegment, SsrMode, StaticSegment,
};
use pages::on_demand;

/// The HTML document around the app, rendered on the server. The stylesheet's name carries its
/// content hash in a release build; `barback-build` names the browser code this page runs and
/// `barback-menu` the menu it shows, which the live stream compares with the server's (see
/// `components::live`).
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    use leptos_meta::MetaTags;
    backend::security::set_page_headers();
    let state = backend::AppState::from_context().ok();
    let site = state
        .as_ref()
        .map(|state| state.site.clone())
        .unwrap_or_default();
    let (stylesheet, build) = (site.stylesheet().to_string(), site.build().to_string());
    // Read before the page's data: if the menu changes meanwhile, the page's stream finds a
    // different fingerprint and the page refetches (see `components::live`).
    let menu = state
        .map(|state| state.menu.fingerprint().to_string())
        .unwrap_or_default();
    // The browser's code reads the page's language from here (see `language`).
    let lang = i18n::I18nLocaleTrait::as_str(backend::language::of_request());
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
                <meta name=components::live::BUILD_META content=build/>
                <meta name=components::live::MENU_META content=menu/>
                <link rel="stylesheet" href=stylesheet/>
                <script nonce=leptos::nonce::use_nonce() inner_html=components::early::EARLY_INPUT_SCRIPT></script>
                <script nonce=leptos::nonce::use_nonce() inner_html=components::early::THEME_SCRIPT></script>
                <script nonce=leptos::nonce::use_nonce() inner_html=components::early::SERVICE_WORKER_SCRIPT></script>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body class="min-h-dvh bg-stone-50 text-stone-900 antialiased">
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    language::provide();
    use i18n::*;
    let locale = crate::language::current();
    view! {
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <Link rel="manifest" href="/manifest.webmanifest"/>
        <Link rel="apple-touch-icon" href="/icons/icon-192.png"/>
        <Meta name="theme-color" content="#7c2d12"/>
        <Meta name="description" content=td_string!(locale, common.description)/>
        <Title formatter=|page: String| format!("{page} · Barback")/>
        <Router>
            <components::Header/>
            <components::NewVersionBanner/>
            <components::ReadyAlerts/>
            <components::Main>
                // Async SSR: the whole page arrives in one piece, so it works without JavaScript
                // and a missing drink can still answer 404.
                <Routes fallback=pages::NotFound>
                    <Route path=StaticSegment("") view=pages::MenuPage ssr=SsrMode::Async/>
                    <Route
                        path=(StaticSegment("drinks"), ParamSegment("id"))
                        view={Lazy::<on_demand::Drink>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("join"), ParamSegment("code"))
                        view={Lazy::<on_demand::Join>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route path=StaticSegment("orders") view={Lazy::<on_demand::Orders>::new()} ssr=SsrMode::Async/>
                    <Route path=StaticSegment("bartender") view={Lazy::<on_demand::Bartender>::new()} ssr=SsrMode::Async/>
                    <Route path=StaticSegment("offline") view=pages::OfflinePage/>
                    <Route path=StaticSegment("screen") view={Lazy::<on_demand::Screen>::new()} ssr=SsrMode::Async/>
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("login"))
                        view={Lazy::<on_demand::AdminLogin>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("board"))
                        view={Lazy::<on_demand::AdminBoard>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("menu"))
                        view={Lazy::<on_demand::AdminMenu>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("menu"), StaticSegment("drinks"), ParamSegment("id"))
                        view={Lazy::<on_demand::AdminDrink>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("ingredients"))
                        view={Lazy::<on_demand::AdminIngredients>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("invites"))
                        view={Lazy::<on_demand::AdminInvites>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("invites"), ParamSegment("code"))
                        view={Lazy::<on_demand::AdminInvitePrint>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("guests"))
                        view={Lazy::<on_demand::AdminGuests>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("wishes"))
                        view={Lazy::<on_demand::AdminWishes>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("screen"))
                        view={Lazy::<on_demand::AdminPickup>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("stats"))
                        view={Lazy::<on_demand::AdminStats>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("shopping-list"))
                        view={Lazy::<on_demand::AdminShoppingList>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("api-keys"))
                        view={Lazy::<on_demand::AdminApiKeys>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("admin")
                        view=|| view! { <Redirect path="/admin/board"/> }
                        ssr=SsrMode::Async
                    />
                </Routes>
            </components::Main>
            <components::Footer/>
        </Router>
    }
}
