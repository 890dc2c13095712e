//! The bar's controls on the board: "Pause orders" (with a message for guests) and "Resume
//! orders", "Last call" in some minutes and calling it off, and "Close the party".

use crate::api::controls::{
    load_bar_status, CallLastOrders, CancelLastCall, PauseOrders, ResumeOrders,
};
use crate::api::stats::CloseParty;
use crate::components::confirm;
use crate::components::live::{use_live_events, LastKnown};
use crate::i18n::*;
use crate::model::{BarStatus, LiveEvent, OrderWindow};
use leptos::prelude::*;

/// The minutes last call may be called for, from the board.
const LAST_CALL_MINUTES: [i64; 5] = [10, 15, 20, 30, 45];

#[component]
pub fn BarControls() -> impl IntoView {
    let pause = ServerAction::<PauseOrders>::new();
    let resume = ServerAction::<ResumeOrders>::new();
    let last_call = ServerAction::<CallLastOrders>::new();
    let cancel = ServerAction::<CancelLastCall>::new();
    let close = ServerAction::<CloseParty>::new();
    let status = Resource::new(
        move || {
            (
                pause.version().get(),
                resume.version().get(),
                last_call.version().get(),
                cancel.version().get(),
            )
        },
        |_| load_bar_status(),
    );
    // Another host (or another server) changed them.
    use_live_events(move |event| {
        if matches!(event, Some(LiveEvent::Bar { .. }) | None) {
            status.refetch();
        }
    });
    let error = move || {
        pause
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| resume.value().get().and_then(Result::err))
            .or_else(|| last_call.value().get().and_then(Result::err))
            .or_else(|| cancel.value().get().and_then(Result::err))
            .or_else(|| close.value().get().and_then(Result::err))
    };
    let closed = move || close.value().get().is_some_and(|r| r.is_ok());
    let last = LastKnown::new();
    let locale = crate::language::current();
    view! {
        <section aria-labelledby="bar-controls" class="mt-3 rounded-2xl bg-white p-3 ring-1 ring-stone-200" data-testid="bar-controls">
            <h2 id="bar-controls" class="sr-only">{td_string!(locale, admin.controls)}</h2>
            {move || error().map(|e| view! {
                <p role="alert" class="mb-2 rounded-xl bg-red-50 p-2 text-sm text-red-900">{e.sentence_in(locale)}</p>
            })}
            <p role="status" class="mb-2 rounded-xl bg-emerald-50 p-2 text-sm text-emerald-900 empty:hidden">
                {move || closed().then_some(td_string!(locale, admin.closed))}
            </p>
            <Transition fallback=move || view! { <p class="text-sm text-stone-600">{td_string!(locale, admin.loading_controls)}</p> }>
                {move || Suspend::new(async move {
                    match last.keep(status.await) {
                        Ok(status) => view! { <Controls status pause resume last_call cancel close/> }.into_any(),
                        Err(error) => super::admin_error(error),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Controls(
    status: BarStatus,
    pause: ServerAction<PauseOrders>,
    resume: ServerAction<ResumeOrders>,
    last_call: ServerAction<CallLastOrders>,
    cancel: ServerAction<CancelLastCall>,
    close: ServerAction<CloseParty>,
) -> impl IntoView {
    let locale = crate::language::current();
    let pausing = match &status.paused {
        Some(message) => view! {
            <div class="flex flex-wrap items-center gap-3">
                <p class="flex-1 font-semibold text-amber-900" data-testid="paused">
                    {if message.is_empty() {
                        td_string!(locale, admin.paused).to_string()
                    } else {
                        td_string!(locale, admin.paused_because, message).to_string()
                    }}
                </p>
                <ActionForm action=resume>
                    <button type="submit" class="min-h-12 rounded-full bg-emerald-800 px-5 font-semibold text-white hover:bg-emerald-900">
                        {td_string!(locale, admin.resume)}
                    </button>
                </ActionForm>
            </div>
        }
        .into_any(),
        None => view! {
            <ActionForm action=pause attr:class="flex flex-wrap items-end gap-2">
                <div class="min-w-48 flex-1">
                    <label for="pause-message" class="block text-sm font-medium text-stone-700">
                        {td_string!(locale, admin.pause_message)}
                    </label>
                    <input
                        id="pause-message"
                        name="message"
                        maxlength=BarStatus::MAX_MESSAGE_CHARS
                        placeholder=td_string!(locale, admin.pause_hint)
                        class="mt-1 w-full rounded-xl border border-stone-300 px-3 py-2"
                    />
                </div>
                <button type="submit" class="min-h-12 rounded-full bg-amber-700 px-5 font-semibold text-white hover:bg-amber-800">
                    {td_string!(locale, admin.pause)}
                </button>
            </ActionForm>
        }
        .into_any(),
    };
    // Last call as it stands, whether or not orders are paused meanwhile.
    let last_call_only = BarStatus {
        paused: None,
        ..status.clone()
    };
    let closed = last_call_only.at(status.now) == OrderWindow::Closed;
    let closing = match last_call_only.notice_at(status.now, locale) {
        Some(said) => {
            view! {
                <div class="flex flex-wrap items-center gap-3">
                    <p class="flex-1 text-sm font-medium text-stone-800" data-testid="last-call">{said}</p>
                    <ActionForm action=cancel>
                        <button type="submit" class="min-h-12 rounded-full px-5 font-semibold text-stone-800 ring-1 ring-stone-300 hover:bg-stone-100">
                            {if closed { td_string!(locale, admin.reopen) } else { td_string!(locale, admin.call_off) }}
                        </button>
                    </ActionForm>
                </div>
            }
            .into_any()
        }
        None => view! {
            <ActionForm action=last_call attr:class="flex flex-wrap items-end gap-2">
                <div>
                    <label for="last-call-minutes" class="block text-sm font-medium text-stone-700">{td_string!(locale, admin.close_in)}</label>
                    <select id="last-call-minutes" name="minutes" class="mt-1 min-h-12 rounded-xl border border-stone-300 bg-white px-3">
                        {LAST_CALL_MINUTES
                            .into_iter()
                            .map(|m| view! { <option value=m selected=m == 15>{td_string!(locale, admin.minutes_long, count = m).to_string()}</option> })
                            .collect_view()}
                    </select>
                </div>
                <button type="submit" class="min-h-12 rounded-full px-5 font-semibold text-stone-800 ring-1 ring-stone-300 hover:bg-stone-100">
                    {td_string!(locale, admin.last_call)}
                </button>
            </ActionForm>
        }
        .into_any(),
    };
    let close_party = move |_| {
        if confirm(td_string!(locale, admin.close_confirm)) {
            close.dispatch(CloseParty {});
        }
    };
    view! {
        <div class="space-y-3">
            {pausing}
            {closing}
            <div class="flex justify-end border-t border-stone-100 pt-3">
                <button type="button" on:click=close_party class="min-h-12 rounded-full px-5 font-semibold text-red-800 ring-1 ring-red-200 hover:bg-red-50">
                    {td_string!(locale, admin.close_party)}
                </button>
            </div>
        </div>
    }
}
