//! `/join/{code}`: a guest picks a display name and joins the party. Works without JavaScript.

use crate::api::guests::{check_invite, JoinParty};
use crate::components::{ErrorNotice, FormError, SubmitButton};
use crate::domain::GuestName;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn JoinPage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    let invite = Resource::new(code, check_invite);
    let join = ServerAction::<JoinParty>::new();
    let error = move || join.value().get().and_then(Result::err);

    view! {
        <Title text="Join the party"/>
        <div class="mx-auto mt-10 max-w-sm">
            <h1 class="text-3xl font-bold tracking-tight">"Welcome to the bar"</h1>
            <Suspense fallback=|| view! { <p class="mt-4 text-stone-500">"Checking your invite…"</p> }>
                {move || Suspend::new(async move {
                    match invite.await {
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                        Ok(()) => view! {
                            <p class="mt-2 text-stone-600">"Tell the bartender what to call you."</p>
                            <ActionForm action=join attr:class="mt-6 space-y-4">
                                <input type="hidden" name="code" value=code()/>
                                <div>
                                    <label for="name" class="block text-sm font-medium text-stone-700">"Your name"</label>
                                    <input
                                        id="name"
                                        name="name"
                                        required
                                        autocomplete="nickname"
                                        maxlength=GuestName::MAX_CHARS
                                        class="mt-1 w-full rounded-xl border border-stone-300 bg-white px-4 py-3 text-base shadow-sm focus:border-orange-600 focus:outline-none focus:ring-2 focus:ring-orange-200"
                                    />
                                </div>
                                <FormError error=Signal::derive(error)/>
                                <SubmitButton label="Join" pending=join.pending()/>
                            </ActionForm>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
