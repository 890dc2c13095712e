//! The host's pages under `/admin`.

mod board;
mod login;

pub use board::BoardPage;
pub use login::LoginPage;

use crate::api::admin::AdminLogout;
use leptos::prelude::*;

/// The admin navigation bar with "Sign out".
#[component]
pub fn AdminNav() -> impl IntoView {
    let logout = ServerAction::<AdminLogout>::new();
    view! {
        <nav class="mt-4 flex items-center justify-between gap-2" aria-label="Admin">
            <a href="/admin/board" class="rounded-full bg-stone-200 px-3 py-1 text-sm font-medium">"Board"</a>
            <ActionForm action=logout>
                <button type="submit" class="rounded-full px-3 py-1 text-sm font-medium text-stone-700 ring-1 ring-stone-300 hover:bg-stone-100">
                    "Sign out"
                </button>
            </ActionForm>
        </nav>
    }
}
