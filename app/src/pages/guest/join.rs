//! `/join/{code}`: a guest picks a display name and joins the party. Works without JavaScript.

use crate::api::guests::{check_invite, JoinParty};
use crate::components::{ErrorNotice, FieldErrors, FieldMessage, FormError, SubmitButton};
use crate::domain::GuestName;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn JoinPage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    let invite = Resource::new(code, check_invite);
    let join = ServerAction::<JoinParty>::new();
    let error = Signal::derive(move || join.value().get().and_then(Result::err));
    let errors = FieldErrors::new(error, &["name"]);
    let locale = crate::language::current();

    view! {
        <Title text=td_string!(locale, join.title)/>
        <div class="mx-auto mt-10 max-w-sm">
            <Suspense fallback=move || view! {
                <h1 class="text-3xl font-bold tracking-tight">{td_string!(locale, join.welcome)}</h1>
                <p class="mt-4 text-stone-600">{td_string!(locale, join.checking)}</p>
            }>
                {move || Suspend::new(async move {
                    match invite.await {
                        Err(error) => view! {
                            <h1 class="text-3xl font-bold tracking-tight">{td_string!(locale, join.welcome)}</h1>
                            <ErrorNotice error/>
                        }.into_any(),
                        Ok(party) => view! {
                            <h1 class="text-3xl font-bold tracking-tight" data-testid="party-name">
                                {party.map_or_else(
                                    || td_string!(locale, join.welcome).to_string(),
                                    |party| td_string!(locale, join.welcome_to, party).to_string(),
                                )}
                            </h1>
                            <p class="mt-2 text-stone-600">{td_string!(locale, join.call_you)}</p>
                            <ActionForm action=join attr:class="mt-6 space-y-4">
                                <input type="hidden" name="code" value=code()/>
                                <div>
                                    <label for="name" class="block text-sm font-medium text-stone-700">{td_string!(locale, join.your_name)}</label>
                                    <input
                                        id="name"
                                        name="name"
                                        required
                                        autocomplete="nickname"
                                        maxlength=GuestName::MAX_CHARS
                                        aria-invalid=errors.invalid("name")
                                        aria-describedby=errors.described_by("name")
                                        class="mt-1 w-full rounded-xl border border-stone-300 bg-white px-4 py-3 text-base shadow-sm focus:border-orange-600 focus:outline-none focus:ring-2 focus:ring-orange-200"
                                    />
                                    <FieldMessage errors field="name"/>
                                </div>
                                <FormError error=errors.general()/>
                                <SubmitButton label=td_string!(locale, join.join) pending=join.pending()/>
                            </ActionForm>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
