//! `/screen`: the pickup screen for a TV by the bar, readable across the room. The drinks that are
//! ready, newest first, by guest name and drink, live; a name stays until its drink is collected,
//! and flashes when the host taps "Remind". Open to the signed-in host, or to anyone with a
//! read-only link the host made (`/screen?key=…`).

use crate::api::pickup::load_pickup_screen;
use crate::components::live::{use_live_events, use_screen_key, LastKnown};
use crate::error::AppError;
use crate::i18n::*;
use crate::model::{LiveEvent, PickupCall, PickupScreen, SCREEN_KEY_PARAM};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use std::time::Duration;

/// How long a reminded name flashes.
const FLASH: Duration = Duration::from_secs(8);

#[component]
pub fn ScreenPage() -> impl IntoView {
    let key = use_query_map().with_untracked(|query| query.get(SCREEN_KEY_PARAM));
    use_screen_key(key.clone());
    let screen = Resource::new(|| (), move |_| load_pickup_screen(key.clone()));
    let last = LastKnown::new();
    let flashing = RwSignal::new(None::<String>);
    use_live_events(move |event| match event {
        Some(LiveEvent::Flash { order_id }) => {
            flashing.set(Some(order_id.clone()));
            set_timeout(
                move || {
                    flashing.update(|current| {
                        if current.as_deref() == Some(order_id.as_str()) {
                            *current = None;
                        }
                    })
                },
                FLASH,
            );
        }
        Some(LiveEvent::Screen | LiveEvent::Pickup { .. }) | None => screen.refetch(),
        Some(_) => {}
    });
    let locale = crate::language::current();
    view! {
        <Title text=td_string!(locale, screen.title)/>
        <div class="fixed inset-0 z-50 overflow-auto bg-stone-50 px-6 py-6 text-stone-950 sm:px-10" data-testid="pickup-screen">
            <Transition fallback=move || view! { <p class="text-3xl text-stone-600">{td_string!(locale, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match last.keep(screen.await) {
                        Ok(screen) => view! { <Calls screen flashing/> }.into_any(),
                        Err(error) => view! { <Refused error/> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn Calls(screen: PickupScreen, flashing: RwSignal<Option<String>>) -> impl IntoView {
    let PickupScreen { place, ready } = screen;
    let locale = crate::language::current();
    view! {
        <header class="flex flex-wrap items-baseline justify-between gap-4 border-b border-stone-300 pb-4">
            <h1 class="text-4xl font-bold tracking-tight sm:text-5xl">{td_string!(locale, screen.ready)}</h1>
            <p class="text-2xl text-stone-700 sm:text-3xl" data-testid="pickup-place">{crate::model::pick_up_sentence(locale, &place)}</p>
        </header>
        {if ready.is_empty() {
            view! {
                <div class="mt-16 text-center">
                    <p class="text-4xl font-semibold text-stone-700">{td_string!(locale, screen.nothing)}</p>
                    <p class="mt-3 text-2xl text-stone-600">{td_string!(locale, screen.appear)}</p>
                </div>
            }.into_any()
        } else {
            view! {
                <ul class="mt-6 grid gap-4 lg:grid-cols-2" aria-live="polite">
                    {ready.into_iter().map(|call| view! { <Call call flashing/> }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

#[component]
fn Call(call: PickupCall, flashing: RwSignal<Option<String>>) -> impl IntoView {
    let id = call.order_id.clone();
    let flash = Memo::new(move |_| flashing.with(|f| f.as_deref() == Some(id.as_str())));
    let drink = if call.quantity > 1 {
        format!("{} × {}", call.quantity, call.drink_name)
    } else {
        call.drink_name.clone()
    };
    view! {
        <li
            data-testid="pickup-call"
            data-flash=move || flash.get().to_string()
            class="rounded-3xl px-6 py-5 shadow-sm ring-4 transition-colors"
            class=(["bg-white", "ring-stone-200"], move || !flash.get())
            class=(["bg-emerald-100", "ring-emerald-600"], move || flash.get())
            class=("motion-safe:animate-pulse", move || flash.get())
        >
            <p class="text-5xl font-bold leading-tight break-words">{call.guest_name}</p>
            <p class="mt-1 text-3xl text-stone-800">{drink}</p>
        </li>
    }
}

#[component]
fn Refused(error: AppError) -> impl IntoView {
    let locale = crate::language::current();
    let (title, detail) = match error {
        AppError::Unauthorized => (
            td_string!(locale, screen.host_only),
            td_string!(locale, screen.host_only_how).to_string(),
        ),
        AppError::Forbidden => (
            td_string!(locale, screen.gone),
            td_string!(locale, screen.gone_how).to_string(),
        ),
        other => (td_string!(locale, screen.down), other.sentence_in(locale)),
    };
    view! {
        <div class="mx-auto mt-24 max-w-2xl text-center" role="alert">
            <h1 class="text-4xl font-bold">{title}</h1>
            <p class="mt-4 text-2xl text-stone-700">{detail}</p>
        </div>
    }
}
