//! `/admin/login`: the host signs in.

use crate::api::admin::{uses_cognito, AdminLogin};
use crate::components::{FieldErrors, FieldMessage, FormError, SubmitButton};
use crate::error::{in_words, AppError};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<AdminLogin>::new();
    let locale = crate::language::current();
    let error = move || login.value().get().and_then(Result::err);
    // Too many wrong passwords: how long to wait, in words.
    let wait = move || match error() {
        Some(AppError::RateLimited { retry_after_secs }) => {
            Some(in_words(locale, retry_after_secs))
        }
        _ => None,
    };
    let other_error =
        Signal::derive(move || error().filter(|e| !matches!(e, AppError::RateLimited { .. })));
    // "Wrong username or password" goes under the password, which gets the focus for another try.
    let errors = FieldErrors::new(other_error, &["username", "password"]);
    let field = "mt-1 w-full rounded-xl border border-stone-300 bg-white px-4 py-3 text-base shadow-sm focus:border-orange-600 focus:outline-none focus:ring-2 focus:ring-orange-200";
    let cognito = OnceResource::new(uses_cognito());
    view! {
        <Title text=td_string!(locale, admin.sign_in_title)/>
        <div class="mx-auto mt-10 max-w-sm">
            <h1 class="text-2xl font-bold tracking-tight">{td_string!(locale, admin.sign_in_heading)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    if cognito.await.unwrap_or(false) {
                        view! {
                            <a href="/auth/cognito/login" rel="external"
                                class="mt-6 block w-full rounded-full bg-orange-800 px-5 py-3 text-center font-semibold text-white hover:bg-orange-900">
                                {td_string!(locale, admin.sign_in)}
                            </a>
                        }.into_any()
                    } else {
                        view! {
                            <ActionForm action=login attr:class="mt-6 space-y-4">
                                <div>
                                    <label for="username" class="block text-sm font-medium text-stone-700">{td_string!(locale, admin.username)}</label>
                                    <input id="username" name="username" required autocomplete="username" autocapitalize="none" class=field
                                        aria-invalid=errors.invalid("username") aria-describedby=errors.described_by("username")/>
                                    <FieldMessage errors field="username"/>
                                </div>
                                <div>
                                    <label for="password" class="block text-sm font-medium text-stone-700">{td_string!(locale, admin.password)}</label>
                                    <input id="password" name="password" type="password" required autocomplete="current-password" class=field
                                        aria-invalid=errors.invalid("password") aria-describedby=errors.described_by("password")/>
                                    <FieldMessage errors field="password"/>
                                </div>
                                <FormError error=errors.general()/>
                                {move || wait().map(|wait| view! {
                                    <p role="alert" class="rounded-xl bg-red-50 p-3 text-sm text-red-900 ring-1 ring-red-200">
                                        {td_string!(locale, admin.too_many, wait).to_string()}
                                    </p>
                                })}
                                <SubmitButton label=td_string!(locale, admin.sign_in) pending=login.pending()/>
                            </ActionForm>
                        }.into_any()
                    }
                })}
            </Suspense>
        </div>
    }
}
