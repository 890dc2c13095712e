#![recursion_limit = "512"]
//! Barback: the application, compiled for the server (`ssr`) and for the browser (`hydrate`).

pub mod api;
pub mod components;
pub mod domain;
pub mod error;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod backend;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Redirect, Route, Router, Routes},
    ParamSegment, SsrMode, StaticSegment,
};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    backend::security::set_page_headers();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
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
    view! {
        <Stylesheet id="leptos" href="/pkg/barback.css"/>
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <Meta name="theme-color" content="#7c2d12"/>
        <Meta name="description" content="The bar's menu: pick a drink and order from your phone."/>
        <Title formatter=|page: String| format!("{page} · Barback")/>
        <Router>
            <components::Header/>
            <main class="mx-auto w-full max-w-3xl px-4 pb-16">
                // Async SSR: the whole page arrives in one piece, so it works without JavaScript
                // and a missing drink can still answer 404.
                <Routes fallback=pages::NotFound>
                    <Route path=StaticSegment("") view=pages::MenuPage ssr=SsrMode::Async/>
                    <Route
                        path=(StaticSegment("drinks"), ParamSegment("id"))
                        view=pages::DrinkPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("join"), ParamSegment("code"))
                        view=pages::JoinPage
                        ssr=SsrMode::Async
                    />
                    <Route path=StaticSegment("orders") view=pages::OrdersPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("bartender") view=pages::BartenderPage ssr=SsrMode::Async/>
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("login"))
                        view=pages::admin::LoginPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("board"))
                        view=pages::admin::BoardPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("menu"))
                        view=pages::admin::MenuAdminPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("menu"), StaticSegment("drinks"), ParamSegment("id"))
                        view=pages::admin::DrinkEditPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("ingredients"))
                        view=pages::admin::IngredientsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("invites"))
                        view=pages::admin::InvitesPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("invites"), ParamSegment("code"))
                        view=pages::admin::InvitePrintPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("guests"))
                        view=pages::admin::GuestsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("wishes"))
                        view=pages::admin::WishesPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("api-keys"))
                        view=pages::admin::ApiKeysPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=StaticSegment("admin")
                        view=|| view! { <Redirect path="/admin/board"/> }
                        ssr=SsrMode::Async
                    />
                </Routes>
            </main>
        </Router>
    }
}
