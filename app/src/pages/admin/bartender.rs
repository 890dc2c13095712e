//! On `/admin/stats`: who answers guests at `/bartender` (the house recommender or one of the
//! models the bar is set up with, switched at once, without a restart) and the tokens each model
//! has used.

use super::admin_error;
use crate::api::admin_bar::{load_bartender_settings, SetBartender};
use crate::components::{FormError, SubmitButton};
use crate::i18n::*;
use crate::model::{model_name, BartenderSettings, ModelUsage, HOUSE};
use leptos::prelude::*;

#[component]
pub fn BartenderPanel() -> impl IntoView {
    let switch = ServerAction::<SetBartender>::new();
    let settings = Resource::new(
        move || switch.version().get(),
        |_| load_bartender_settings(),
    );
    let locale = crate::language::current();
    let switched = move || {
        switch.value().get().and_then(Result::ok).map(|now| {
            let name = answerer_name(locale, &now.active);
            td_string!(locale, admin.bartender_switched, name = name).to_string()
        })
    };
    view! {
        <section class="mt-6 rounded-2xl bg-white p-4 ring-1 ring-stone-200" aria-labelledby="bartender-heading" data-testid="bartender-panel">
            <h2 id="bartender-heading" class="text-xl font-bold">{td_string!(locale, admin.bartender_heading)}</h2>
            <Transition fallback=move || view! { <p class="mt-2 text-sm text-stone-600">{td_string!(locale, admin.loading_bartender)}</p> }>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(settings) => view! { <Settings settings switch/> }.into_any(),
                        Err(error) => admin_error(error),
                    }
                })}
            </Transition>
            <div class="mt-2">
                <FormError error=Signal::derive(move || switch.value().get().and_then(Result::err))/>
                <p role="status" class="text-sm text-emerald-800 empty:hidden">{switched}</p>
            </div>
        </section>
    }
}

/// "House recommender (rules, no AI model)" or "Amazon Nova Lite (amazon.nova-lite-v1:0)".
fn answerer_name(locale: Locale, id: &str) -> String {
    if id == HOUSE {
        td_string!(locale, admin.house_choice).to_string()
    } else {
        format!("{} ({id})", model_name(id))
    }
}

#[component]
fn Settings(settings: BartenderSettings, switch: ServerAction<SetBartender>) -> impl IntoView {
    let locale = crate::language::current();
    let BartenderSettings {
        active,
        models,
        usage,
    } = settings;
    let house_only = models.is_empty();
    let choices: Vec<String> = std::iter::once(HOUSE.to_string()).chain(models).collect();
    view! {
        <ActionForm action=switch attr:class="mt-3 flex flex-col gap-3 sm:flex-row sm:items-end">
            <div class="flex-1">
                <label for="bartender-model" class="block text-sm font-medium text-stone-700">{td_string!(locale, admin.who_answers)}</label>
                <select id="bartender-model" name="model" class="mt-1 min-h-11 w-full rounded-xl border border-stone-300 bg-white px-3">
                    {choices.into_iter().map(|id| {
                        let selected = id == active;
                        let label = answerer_name(locale, &id);
                        view! { <option value=id selected=selected>{label}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="sm:w-40"><SubmitButton label=td_string!(locale, admin.switch_bartender) pending=switch.pending()/></div>
        </ActionForm>
        {house_only.then(|| view! { <p class="mt-2 text-sm text-stone-600">{td_string!(locale, admin.house_only_setup)}</p> })}
        <h3 class="mt-4 font-semibold">{td_string!(locale, admin.token_use)}</h3>
        <TokenUse usage/>
    }
}

#[component]
fn TokenUse(usage: Vec<ModelUsage>) -> impl IntoView {
    let locale = crate::language::current();
    if usage.is_empty() {
        return view! { <p class="mt-1 text-sm text-stone-600" data-testid="token-use">{td_string!(locale, admin.no_tokens)}</p> }.into_any();
    }
    view! {
        <div class="mt-1 overflow-x-auto">
            <table class="w-full text-left text-sm" data-testid="token-use">
                <thead class="text-stone-600">
                    <tr>
                        <th scope="col" class="py-1 pr-3 font-medium">{td_string!(locale, admin.col_model)}</th>
                        <th scope="col" class="py-1 pr-3 text-right font-medium">{td_string!(locale, admin.col_calls)}</th>
                        <th scope="col" class="py-1 pr-3 text-right font-medium">{td_string!(locale, admin.col_input)}</th>
                        <th scope="col" class="py-1 text-right font-medium">{td_string!(locale, admin.col_output)}</th>
                    </tr>
                </thead>
                <tbody>
                    {usage.into_iter().map(|row| view! {
                        <tr class="border-t border-stone-200">
                            <th scope="row" class="py-1 pr-3 font-normal">{answerer_name(locale, &row.model)}</th>
                            <td class="py-1 pr-3 text-right tabular-nums">{row.calls}</td>
                            <td class="py-1 pr-3 text-right tabular-nums">{row.input_tokens}</td>
                            <td class="py-1 text-right tabular-nums">{row.output_tokens}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }.into_any()
}
