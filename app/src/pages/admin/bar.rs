//! `/admin/ingredients`, `/admin/invites`, `/admin/guests`: ingredients on the shelf, invites and
//! guests.

use super::{admin_error, AdminNav};
use crate::api::admin::{LetGuestBack, RemoveGuest};
use crate::api::admin_bar::{
    guests, ingredients, invites, party_name, CreateInvite, RevokeInvite, SetInStock, SetPartyName,
};
use crate::components::{FieldErrors, FieldMessage, FormError, SubmitButton};
use crate::i18n::*;
use crate::model::{GuestSummary, Ingredient, Invite};
use leptos::prelude::*;
use leptos_meta::Title;

/// "The menu follows the shelf": one switch per ingredient.
#[component]
pub fn IngredientsPage() -> impl IntoView {
    let toggle = ServerAction::<SetInStock>::new();
    let items = Resource::new(move || toggle.version().get(), |_| ingredients());
    let locale = crate::language::current();
    view! {
        <Title text=td_string!(locale, admin.ingredients)/>
        <AdminNav/>
        <h1 class="mt-4 text-2xl font-bold">{td_string!(locale, admin.ingredients)}</h1>
        <p class="mt-1 text-sm text-stone-600">{td_string!(locale, admin.shelf_about)}</p>
        <FormError error=Signal::derive(move || toggle.value().get().and_then(Result::err))/>
        <Transition fallback=move || view! { <p class="mt-6 text-stone-600">{td_string!(locale, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match items.await {
                    Err(error) => admin_error(error),
                    Ok(items) => view! {
                        <ul class="mt-4 divide-y divide-stone-200 rounded-2xl bg-white ring-1 ring-stone-200">
                            {items.into_iter().map(|item| view! { <IngredientSwitch item toggle/> }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn IngredientSwitch(item: Ingredient, toggle: ServerAction<SetInStock>) -> impl IntoView {
    let locale = crate::language::current();
    let needed = if item.needed_by.is_empty() {
        td_string!(locale, admin.not_needed).to_string()
    } else {
        let drinks = item.needed_by.join(", ");
        td_string!(locale, admin.needed_for, drinks).to_string()
    };
    let (knob, track) = if item.in_stock {
        ("translate-x-5", "bg-emerald-600")
    } else {
        ("translate-x-0", "bg-stone-300")
    };
    view! {
        <li class="flex items-center justify-between gap-3 px-4 py-3" data-testid="ingredient">
            <div class="min-w-0">
                <p class="font-medium" class:text-stone-500=!item.in_stock>{item.name.clone()}</p>
                <p class="truncate text-xs text-stone-600">{needed}</p>
            </div>
            <ActionForm action=toggle>
                <input type="hidden" name="ingredient_id" value=item.id/>
                <input type="hidden" name="in_stock" value=(!item.in_stock).to_string()/>
                <button
                    type="submit"
                    role="switch"
                    aria-checked=item.in_stock.to_string()
                    aria-label=item.name
                    class=format!("relative inline-flex h-7 w-12 shrink-0 items-center rounded-full px-1 transition {track}")
                >
                    <span class=format!("size-5 rounded-full bg-white shadow transition {knob}")></span>
                </button>
            </ActionForm>
        </li>
    }
}

#[component]
pub fn InvitesPage() -> impl IntoView {
    let create = ServerAction::<CreateInvite>::new();
    let revoke = ServerAction::<RevokeInvite>::new();
    let list = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| invites(),
    );
    let field = "mt-1 w-full rounded-xl border border-stone-300 bg-white px-3 py-2";
    let locale = crate::language::current();
    view! {
        <Title text=td_string!(locale, admin.invites)/>
        <AdminNav/>
        <h1 class="mt-4 text-2xl font-bold">{td_string!(locale, admin.invites)}</h1>
        <PartyName/>
        <ActionForm action=create attr:class="mt-4 grid gap-3 rounded-2xl bg-white p-4 ring-1 ring-stone-200 sm:grid-cols-4">
            <div>
                <label for="uses" class="block text-sm font-medium text-stone-700">{td_string!(locale, admin.uses)}</label>
                <input id="uses" name="uses" type="number" min="1" max="10000" value="20" required class=field/>
            </div>
            <div>
                <label for="hours" class="block text-sm font-medium text-stone-700">{td_string!(locale, admin.hours)}</label>
                <input id="hours" name="hours" type="number" min="1" max="720" value="12" required class=field/>
            </div>
            <div class="sm:col-span-2">
                <label for="note" class="block text-sm font-medium text-stone-700">{td_string!(locale, admin.note)}</label>
                <input id="note" name="note" maxlength="100" placeholder=td_string!(locale, admin.note_hint) class=field/>
            </div>
            <div class="sm:col-span-4">
                <FormError error=Signal::derive(move || create.value().get().and_then(Result::err))/>
                <SubmitButton label=td_string!(locale, admin.create_invite) pending=create.pending()/>
            </div>
        </ActionForm>
        <Transition fallback=move || view! { <p class="mt-6 text-stone-600">{td_string!(locale, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => admin_error(error),
                    Ok(list) if list.is_empty() => view! {
                        <p class="mt-6 text-stone-600">{td_string!(locale, admin.no_invites)}</p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="mt-6 grid gap-4 sm:grid-cols-2">
                            {list.into_iter().map(|invite| view! { <InviteCard invite revoke/> }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn InviteCard(invite: Invite, revoke: ServerAction<RevokeInvite>) -> impl IntoView {
    let left = invite.max_uses - invite.uses;
    let print = format!("/admin/invites/{}", invite.code);
    let locale = crate::language::current();
    view! {
        <li class="rounded-2xl bg-white p-4 ring-1 ring-stone-200" data-testid="invite">
            <div class="mx-auto w-40" inner_html=invite.qr_svg.clone()></div>
            <p class="mt-2 text-center font-mono text-lg font-bold tracking-widest" data-testid="invite-code">{invite.code.clone()}</p>
            <p class="break-all text-center text-xs text-stone-600">{invite.join_url.clone()}</p>
            <p class="mt-2 text-center text-sm text-stone-700">
                {td_string!(locale, admin.joins_left, left, total = invite.max_uses).to_string()}
                {(!invite.note.is_empty()).then(|| format!(" · {}", invite.note))}
            </p>
            <div class="mt-3 flex justify-center gap-2">
                <a href=print class="inline-flex min-h-11 items-center rounded-full px-3 text-sm font-medium ring-1 ring-stone-300 hover:bg-stone-100">{td_string!(locale, admin.print)}</a>
                <ActionForm action=revoke>
                    <input type="hidden" name="code" value=invite.code/>
                    <button type="submit" class="rounded-full px-3 py-1.5 text-sm font-medium text-red-800 ring-1 ring-red-200 hover:bg-red-50">
                        {td_string!(locale, admin.revoke)}
                    </button>
                </ActionForm>
            </div>
        </li>
    }
}

/// The party's name: the join page welcomes guests to it.
#[component]
fn PartyName() -> impl IntoView {
    let save = ServerAction::<SetPartyName>::new();
    let current = Resource::new(move || save.version().get(), |_| party_name());
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let errors = FieldErrors::new(error, &["party"]);
    let saved = move || matches!(save.value().get(), Some(Ok(_)));
    let locale = crate::language::current();
    view! {
        <ActionForm action=save attr:class="mt-4 rounded-2xl bg-white p-4 ring-1 ring-stone-200">
            <label for="party" class="block text-sm font-medium text-stone-700">{td_string!(locale, admin.party_name)}</label>
            <div class="mt-1 flex flex-wrap items-center gap-2">
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let name = current.await.ok().flatten().unwrap_or_default();
                        view! {
                            <input id="party" name="party" maxlength="60" value=name placeholder=td_string!(locale, admin.party_hint)
                                aria-invalid=errors.invalid("party")
                                aria-describedby=move || errors.described_by("party")().map_or("party-hint".to_string(), |error| format!("party-hint {error}"))
                                class="min-h-11 min-w-0 flex-1 rounded-xl border border-stone-300 bg-white px-3"/>
                        }
                    })}
                </Transition>
                <button type="submit" class="min-h-11 rounded-full bg-orange-800 px-5 font-semibold text-white hover:bg-orange-900">{td_string!(locale, admin.save)}</button>
            </div>
            <p id="party-hint" class="mt-1 text-sm text-stone-600">{td_string!(locale, admin.party_about)}</p>
            <FieldMessage errors field="party"/>
            <FormError error=errors.general()/>
            {move || saved().then(|| view! { <p role="status" class="mt-1 text-sm text-emerald-800">{td_string!(locale, admin.saved)}</p> })}
        </ActionForm>
    }
}

/// A page to print and put on the fridge: a big QR code and the link.
#[component]
pub fn InvitePrintPage() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    let list = Resource::new(|| (), |_| invites());
    let locale = crate::language::current();
    view! {
        <Title text=td_string!(locale, admin.invite_title)/>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => admin_error(error),
                    Ok(list) => match list.into_iter().find(|i| i.code == code()) {
                        None => view! { <p class="mt-8">{td_string!(locale, admin.invite_gone)}</p> }.into_any(),
                        Some(invite) => view! {
                            // A page made to be printed stays light (`style/colors.css`).
                            <div class="mt-8 text-center" data-print-page="">
                                <h1 class="text-3xl font-bold">{td_string!(locale, admin.join_the_bar)}</h1>
                                <p class="mt-2 text-stone-600">{td_string!(locale, admin.scan)}</p>
                                <div class="mx-auto mt-6 w-72" inner_html=invite.qr_svg></div>
                                <p class="mt-4 font-mono text-2xl font-bold tracking-widest">{invite.code}</p>
                                <p class="mt-1 break-all text-stone-600">{invite.join_url}</p>
                                <button type="button" class="mt-6 min-h-11 rounded-full bg-orange-800 px-5 font-medium text-white print:hidden"
                                    on:click=|_| print()>{td_string!(locale, admin.print)}</button>
                            </div>
                        }.into_any(),
                    },
                }
            })}
        </Transition>
    }
}

fn print() {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

#[component]
pub fn GuestsPage() -> impl IntoView {
    let remove = ServerAction::<RemoveGuest>::new();
    let let_back = ServerAction::<LetGuestBack>::new();
    let list = Resource::new(
        move || (remove.version().get(), let_back.version().get()),
        |_| guests(),
    );
    let error = move || {
        remove
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| let_back.value().get().and_then(Result::err))
    };
    let locale = crate::language::current();
    view! {
        <Title text=td_string!(locale, admin.guests)/>
        <AdminNav/>
        <h1 class="mt-4 text-2xl font-bold">{td_string!(locale, admin.guests)}</h1>
        <FormError error=Signal::derive(error)/>
        <Transition fallback=move || view! { <p class="mt-6 text-stone-600">{td_string!(locale, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => admin_error(error),
                    Ok(list) => {
                        let (removed, here): (Vec<GuestSummary>, Vec<GuestSummary>) =
                            list.into_iter().partition(|guest| guest.removed);
                        view! {
                            {if here.is_empty() {
                                view! {
                                    <p class="mt-6 text-stone-600">{td_string!(locale, admin.nobody)}</p>
                                }.into_any()
                            } else {
                                view! {
                                    <ul class="mt-4 divide-y divide-stone-200 rounded-2xl bg-white ring-1 ring-stone-200">
                                        {here.into_iter().map(|guest| view! {
                                            <li class="flex items-center justify-between gap-3 px-4 py-3" data-testid="guest">
                                                <div>
                                                    <p class="font-medium">{guest.name.clone()}</p>
                                                    <p class="text-xs text-stone-600">{td_string!(locale, admin.open_orders, count = guest.active_orders).to_string()}</p>
                                                </div>
                                                <ActionForm action=remove>
                                                    {guest_button(guest.id, td_string!(locale, admin.remove), td_string!(locale, admin.remove_name, name = guest.name.clone()).to_string(), "text-red-800 ring-red-200 hover:bg-red-50")}
                                                </ActionForm>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            {(!removed.is_empty()).then(|| view! {
                                <h2 class="mt-8 text-lg font-semibold">{td_string!(locale, admin.asked_to_leave)}</h2>
                                <p class="mt-1 text-sm text-stone-600">{td_string!(locale, admin.asked_about)}</p>
                                <ul class="mt-3 divide-y divide-stone-200 rounded-2xl bg-white ring-1 ring-stone-200">
                                    {removed.into_iter().map(|guest| view! {
                                        <li class="flex items-center justify-between gap-3 px-4 py-3" data-testid="removed-guest">
                                            <p class="font-medium text-stone-600">{guest.name.clone()}</p>
                                            <ActionForm action=let_back>
                                                {guest_button(guest.id, td_string!(locale, admin.let_back), td_string!(locale, admin.let_back_name, name = guest.name.clone()).to_string(), "text-stone-800 ring-stone-300 hover:bg-stone-50")}
                                            </ActionForm>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            })}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The inside of a one-button form about one guest: their id and the button.
fn guest_button(
    guest_id: String,
    label: &'static str,
    aria_label: String,
    tone: &'static str,
) -> impl IntoView {
    view! {
        <input type="hidden" name="guest_id" value=guest_id/>
        <button type="submit" aria-label=aria_label
            class=format!("rounded-full px-3 py-1.5 text-sm font-medium ring-1 {tone}")>
            {label}
        </button>
    }
}
