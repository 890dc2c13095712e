//! `/admin/login`: the host signs in.

use crate::api::admin::AdminLogin;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<AdminLogin>::new();
    let error = move || login.value().get().and_then(Result::err);
    let field = "mt-1 w-full rounded-xl border border-stone-300 bg-white px-4 py-3 text-base shadow-sm focus:border-orange-600 focus:outline-none focus:ring-2 focus:ring-orange-200";
    view! {
        <Title text="Sign in"/>
        <div class="mx-auto mt-10 max-w-sm">
            <h1 class="text-2xl font-bold tracking-tight">"Host sign-in"</h1>
            <ActionForm action=login attr:class="mt-6 space-y-4">
                <div>
                    <label for="username" class="block text-sm font-medium text-stone-700">"Username"</label>
                    <input id="username" name="username" required autocomplete="username" autocapitalize="none" class=field/>
                </div>
                <div>
                    <label for="password" class="block text-sm font-medium text-stone-700">"Password"</label>
                    <input id="password" name="password" type="password" required autocomplete="current-password" class=field/>
                </div>
                {move || error().map(|e| view! {
                    <p role="alert" class="rounded-xl bg-red-50 p-3 text-sm text-red-900 ring-1 ring-red-200">{e.to_string()}</p>
                })}
                <button
                    type="submit"
                    disabled=move || login.pending().get()
                    class="w-full rounded-full bg-orange-800 px-5 py-3 font-semibold text-white hover:bg-orange-900 disabled:opacity-60"
                >
                    "Sign in"
                </button>
            </ActionForm>
        </div>
    }
}
