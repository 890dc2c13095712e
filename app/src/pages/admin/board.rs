//! `/admin/board`: the live bar board. Columns Queued / Making / Ready, oldest first, each card with
//! the recipe so the host never leaves the screen; one tap moves a card on.

use super::AdminNav;
use crate::api::admin::{get_board, AdvanceOrder, RemoveGuest};
use crate::api::pickup::Remind;
use crate::components::confirm;
use crate::components::live::{use_live_events, LastKnown};
use crate::i18n::*;
use crate::model::{Board, LiveEvent, Menu, Order, OrderStatus};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn BoardPage() -> impl IntoView {
    let advance = ServerAction::<AdvanceOrder>::new();
    let remove = ServerAction::<RemoveGuest>::new();
    let remind = ServerAction::<Remind>::new();
    let board = Resource::new(
        move || (advance.version().get(), remove.version().get()),
        |_| get_board(),
    );
    let menu = OnceResource::new(crate::api::menu::get_menu());
    let last = LastKnown::new();
    use_live_events(move |event| match &event {
        Some(LiveEvent::Order { order }) => {
            if order.status == OrderStatus::Queued {
                // A new order chimes (the title badge shows the count too).
                crate::components::chime(880.0);
            }
            board.refetch();
        }
        // A closed party (it comes with the bar's controls) empties the board.
        Some(LiveEvent::Queue | LiveEvent::Menu | LiveEvent::Bar { .. }) | None => board.refetch(),
        // Reminders, the pickup place and the screens' nudges change nothing on the board.
        Some(_) => {}
    });
    let queued = move || {
        board
            .get()
            .and_then(Result::ok)
            .map(|b| {
                b.active
                    .iter()
                    .filter(|o| o.status == OrderStatus::Queued)
                    .count()
            })
            .unwrap_or(0)
    };
    let error = move || {
        advance
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| remove.value().get().and_then(Result::err))
            .or_else(|| remind.value().get().and_then(Result::err))
    };
    let reminded = move || remind.value().get().and_then(Result::ok);
    let locale = crate::language::current();
    // Ages tick on their own between changes.
    let tick = RwSignal::new(0u32);
    #[cfg(feature = "hydrate")]
    if let Ok(handle) = set_interval_with_handle(
        move || tick.update(|n| *n = n.wrapping_add(1)),
        std::time::Duration::from_secs(5),
    ) {
        on_cleanup(move || handle.clear());
    }

    view! {
        <Title text=move || match queued() {
            0 => td_string!(locale, admin.board).to_string(),
            count => td_string!(locale, admin.board_count, count).to_string(),
        }/>
        <AdminNav/>
        <h1 class="mt-4 text-2xl font-bold">{td_string!(locale, admin.board)}</h1>
        <super::controls::BarControls/>
        {move || error().map(|e| view! {
            <p role="alert" class="mt-3 rounded-xl bg-red-50 p-3 text-sm text-red-900">{e.sentence_in(locale)}</p>
        })}
        <p role="status" class="mt-3 text-sm text-emerald-800 empty:hidden">
            {move || reminded().map(|order| {
                let (guest, drink) = (order.guest_name, order.drink_name);
                td_string!(locale, admin.reminded, guest, drink).to_string()
            })}
        </p>
        <Transition fallback=move || view! { <p class="mt-6 text-stone-600">{td_string!(locale, admin.loading_board)}</p> }>
            {move || Suspend::new(async move {
                let menu = menu.await.unwrap_or_default();
                match last.keep(board.await) {
                    Err(error) => super::admin_error(error),
                    Ok(board) => view! { <Columns board menu advance remove remind tick/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Columns(
    board: Board,
    menu: Menu,
    advance: ServerAction<AdvanceOrder>,
    remove: ServerAction<RemoveGuest>,
    remind: ServerAction<Remind>,
    tick: RwSignal<u32>,
) -> impl IntoView {
    let locale = crate::language::current();
    // The server's clock, as far as this page can tell: ages are counted against it.
    let offset = board.now - clock_ms();
    let now = Signal::derive(move || {
        tick.track();
        clock_ms() + offset
    });
    let column = |status: OrderStatus| {
        let orders: Vec<Order> = board
            .active
            .iter()
            .filter(|o| o.status == status)
            .cloned()
            .collect();
        let menu = menu.clone();
        // The Ready column stands apart: those drinks wait for their guests, not for the bar.
        let look = if status == OrderStatus::Ready {
            "rounded-2xl bg-emerald-50 p-3 ring-2 ring-emerald-300"
        } else {
            "rounded-2xl bg-stone-100 p-3"
        };
        view! {
            <section class=look aria-label=status.label(locale) data-testid=format!("column-{}", status.as_str())>
                <h2 class="mb-2 flex items-center justify-between font-bold">
                    {status.label(locale)}
                    <span class="rounded-full bg-white px-2 text-sm">{orders.len()}</span>
                </h2>
                {orders.is_empty().then(|| view! { <p class="px-1 py-4 text-sm text-stone-600">{td_string!(locale, admin.nothing_here)}</p> })}
                <ul class="space-y-2">
                    {orders.into_iter().map(|order| {
                        let drink = menu.drink(&order.drink_id);
                        let recipe = drink.map(|d| d.ingredients.clone()).unwrap_or_default();
                        // The usual choices are plain on the card; the others stand out.
                        let usual = drink.and_then(|d| d.choices(&[]).ok()).unwrap_or_default();
                        view! { <Card order recipe usual now advance remove remind/> }
                    }).collect_view()}
                </ul>
            </section>
        }
    };
    view! {
        <div class="mt-4 grid gap-3 md:grid-cols-3 lg:gap-4">
            {column(OrderStatus::Queued)}
            {column(OrderStatus::Making)}
            {column(OrderStatus::Ready)}
        </div>
        <section class="mt-8" aria-label=td_string!(locale, admin.history)>
            <h2 class="text-lg font-bold">{td_string!(locale, admin.history)}</h2>
            {if board.history.is_empty() {
                view! { <p class="mt-2 text-sm text-stone-600">{td_string!(locale, admin.history_empty)}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-2 divide-y divide-stone-200 rounded-2xl bg-white text-sm ring-1 ring-stone-200">
                        {board.history.into_iter().map(|o| {
                            let recall = o.status.recall_step().map(|back| {
                                let id = o.id.clone();
                                view! {
                                    <ActionForm action=advance>
                                        <input type="hidden" name="order_id" value=id/>
                                        <input type="hidden" name="status" value=back.as_str()/>
                                        <button
                                            type="submit"
                                            class="min-h-11 rounded-full px-4 text-sm font-semibold text-stone-800 ring-1 ring-stone-300 hover:bg-stone-100"
                                            title=td_string!(locale, admin.back_to, status = back.label(locale)).to_string()
                                        >
                                            {td_string!(locale, admin.recall)}
                                        </button>
                                    </ActionForm>
                                }
                            });
                            view! {
                                <li class="flex items-center justify-between gap-2 px-3 py-2" data-testid="history-order">
                                    <span class="flex-1">{
                                        let (count, drink, guest) = (o.quantity, o.drink_name.clone(), o.guest_name.clone());
                                        td_string!(locale, admin.order_for, count, drink, guest).to_string()
                                    }</span>
                                    <span class="text-stone-600">{o.status.label(locale)}</span>
                                    {recall}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Card(
    order: Order,
    recipe: Vec<crate::model::RecipeLine>,
    usual: Vec<crate::model::Choice>,
    now: Signal<i64>,
    advance: ServerAction<AdvanceOrder>,
    remove: ServerAction<RemoveGuest>,
    remind: ServerAction<Remind>,
) -> impl IntoView {
    let created_at = order.created_at;
    let waited = move || (now.get() - created_at).max(0) / 60_000;
    let locale = crate::language::current();
    let next = order.status.next_step(locale);
    let cancellable = order
        .status
        .can_become(OrderStatus::Cancelled, crate::model::Actor::Host);
    let id = order.id.clone();
    let guest_id = order.guest_id.clone();
    let guest_name = order.guest_name.clone();
    view! {
        <li class="rounded-xl bg-white p-3 shadow-sm ring-1 ring-stone-200" data-testid="board-card">
            <div class="flex items-baseline justify-between gap-2">
                <p class="font-semibold">{format!("{}× {}", order.quantity, order.drink_name)}</p>
                <span class=move || age_look(waited()) data-testid="age">{move || age_label(locale, waited())}</span>
            </div>
            <p class="text-stone-700">{
                let guest = order.guest_name.clone();
                td_string!(locale, admin.for_guest, guest).to_string()
            }</p>
            {(!order.choices.is_empty()).then(|| view! {
                <ul class="mt-1 flex flex-wrap gap-1" aria-label=td_string!(locale, admin.choices)>
                    {order.choices.iter().map(|choice| {
                        let look = if usual.contains(choice) {
                            "rounded-full bg-stone-100 px-2 py-0.5 text-sm text-stone-700"
                        } else {
                            "rounded-full bg-amber-200 px-2 py-0.5 text-sm font-semibold text-amber-950"
                        };
                        view! { <li class=look data-testid="choice">{choice.label()}</li> }
                    }).collect_view()}
                </ul>
            })}
            {(!order.note.is_empty()).then(|| view! { <p class="mt-1 rounded bg-amber-50 px-2 py-1 text-sm text-amber-900">{format!("“{}”", order.note)}</p> })}
            <ul class="mt-2 text-base text-stone-800">
                {recipe.into_iter().map(|line| view! {
                    <li class="flex justify-between gap-2"><span>{line.name.clone()}</span><span>{line.amount_label(locale)}</span></li>
                }).collect_view()}
            </ul>
            <div class="mt-3 flex flex-wrap gap-2">
                {next.map(|(status, label)| {
                    let id = id.clone();
                    view! {
                        <ActionForm action=advance>
                            <input type="hidden" name="order_id" value=id/>
                            <input type="hidden" name="status" value=status.as_str()/>
                            <button type="submit" class="min-h-12 rounded-full bg-orange-800 px-5 font-semibold text-white hover:bg-orange-900">
                                {label}
                            </button>
                        </ActionForm>
                    }
                })}
                {(order.status == OrderStatus::Ready).then(|| {
                    let id = id.clone();
                    view! {
                        <ActionForm action=remind>
                            <input type="hidden" name="order_id" value=id/>
                            <button
                                type="submit"
                                class="min-h-12 rounded-full px-5 font-semibold text-emerald-900 ring-1 ring-emerald-300 hover:bg-emerald-50"
                                title=td_string!(locale, admin.remind_title)
                            >
                                {td_string!(locale, admin.remind)}
                            </button>
                        </ActionForm>
                    }
                })}
                {cancellable.then(|| {
                    let id = id.clone();
                    view! {
                        <button
                            type="button"
                            class="min-h-12 rounded-full px-4 font-medium text-red-800 ring-1 ring-red-200 hover:bg-red-50"
                            on:click=move |_| {
                                if confirm(td_string!(locale, admin.cancel_confirm)) {
                                    advance.dispatch(AdvanceOrder { order_id: id.clone(), status: OrderStatus::Cancelled });
                                }
                            }
                        >
                            {td_string!(locale, admin.cancel)}
                        </button>
                    }
                })}
                // Out of the way of Start and Cancel: behind a menu of its own.
                <details class="relative ml-auto">
                    <summary
                        class="flex min-h-12 min-w-12 cursor-pointer list-none items-center justify-center rounded-full text-xl text-stone-600 hover:bg-stone-100"
                        aria-label={
                            let guest = order.guest_name.clone();
                            td_string!(locale, admin.more_for, guest).to_string()
                        }
                    >
                        "⋯"
                    </summary>
                    <div class="absolute right-0 z-10 mt-1 w-44 rounded-xl bg-white p-1 shadow-lg ring-1 ring-stone-200">
                        <button
                            type="button"
                            class="min-h-12 w-full rounded-lg px-3 text-left text-sm text-red-800 hover:bg-red-50"
                            on:click=move |_| {
                                let guest = guest_name.clone();
                                if confirm(&td_string!(locale, admin.remove_confirm, guest).to_string()) {
                                    remove.dispatch(RemoveGuest { guest_id: guest_id.clone() });
                                }
                            }
                        >
                            {td_string!(locale, admin.remove_guest)}
                        </button>
                    </div>
                </details>
            </div>
        </li>
    }
}

/// "just now", "4 min".
fn age_label(locale: Locale, minutes: i64) -> String {
    match minutes {
        0 => td_string!(locale, admin.just_now).to_string(),
        count => td_string!(locale, admin.minutes, count).to_string(),
    }
}

/// The age turns amber after 5 minutes and red after 10: the drinks that have waited longest
/// stand out.
fn age_look(minutes: i64) -> &'static str {
    match minutes {
        ..5 => "shrink-0 rounded-full px-2 text-sm tabular-nums text-stone-600",
        5..10 => "shrink-0 rounded-full bg-amber-100 px-2 text-sm font-semibold tabular-nums text-amber-900",
        _ => "shrink-0 rounded-full bg-red-100 px-2 text-sm font-semibold tabular-nums text-red-900",
    }
}

/// This browser's clock (unix ms); the server's own while rendering there.
fn clock_ms() -> i64 {
    #[cfg(feature = "hydrate")]
    return js_sys::Date::now() as i64;
    #[cfg(not(feature = "hydrate"))]
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_millis() as i64)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{age_label, age_look};
    use crate::i18n::Locale;

    #[test]
    fn ages_read_short_and_change_colour_as_they_wait() {
        assert_eq!(age_label(Locale::en, 0), "just now");
        assert_eq!(age_label(Locale::en, 7), "7 min");
        assert_eq!(age_label(Locale::es, 0), "ahora mismo");
        assert!(age_look(4).contains("stone"));
        assert!(age_look(5).contains("amber"));
        assert!(age_look(9).contains("amber"));
        assert!(age_look(10).contains("red"));
    }
}
