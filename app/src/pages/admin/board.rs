//! `/admin/board`: the live bar board. Columns Queued / Making / Ready, oldest first, each card with
//! the recipe so the host never leaves the screen; one tap moves a card on.

use super::AdminNav;
use crate::api::admin::{get_board, AdvanceOrder, RemoveGuest};
use crate::api::pickup::Remind;
use crate::components::confirm;
use crate::components::live::{use_live_events, LastKnown};
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
        Some(LiveEvent::Queue | LiveEvent::Menu) | None => board.refetch(),
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

    view! {
        <Title text=move || match queued() { 0 => "Board".to_string(), n => format!("({n}) Board") }/>
        <AdminNav/>
        {move || error().map(|e| view! {
            <p role="alert" class="mt-3 rounded-xl bg-red-50 p-3 text-sm text-red-900">{e.to_string()}</p>
        })}
        <p role="status" class="mt-3 text-sm text-emerald-800 empty:hidden">
            {move || reminded().map(|order| format!("Reminded {}: their {} is ready.", order.guest_name, order.drink_name))}
        </p>
        <Transition fallback=|| view! { <p class="mt-6 text-stone-500">"Loading the board…"</p> }>
            {move || Suspend::new(async move {
                let menu = menu.await.unwrap_or_default();
                match last.keep(board.await) {
                    Err(error) => super::admin_error(error),
                    Ok(board) => view! { <Columns board menu advance remove remind/> }.into_any(),
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
) -> impl IntoView {
    let now = board.now;
    let column = |status: OrderStatus| {
        let orders: Vec<Order> = board
            .active
            .iter()
            .filter(|o| o.status == status)
            .cloned()
            .collect();
        let menu = menu.clone();
        view! {
            <section class="rounded-2xl bg-stone-100 p-3" aria-label=status.label() data-testid=format!("column-{}", status.as_str())>
                <h2 class="mb-2 flex items-center justify-between font-bold">
                    {status.label()}
                    <span class="rounded-full bg-white px-2 text-sm">{orders.len()}</span>
                </h2>
                {orders.is_empty().then(|| view! { <p class="px-1 py-4 text-sm text-stone-500">"Nothing here right now."</p> })}
                <ul class="space-y-2">
                    {orders.into_iter().map(|order| {
                        let recipe = menu.drink(&order.drink_id).map(|d| d.ingredients.clone()).unwrap_or_default();
                        view! { <Card order recipe now advance remove remind/> }
                    }).collect_view()}
                </ul>
            </section>
        }
    };
    view! {
        <div class="mt-4 grid gap-3 md:grid-cols-3">
            {column(OrderStatus::Queued)}
            {column(OrderStatus::Making)}
            {column(OrderStatus::Ready)}
        </div>
        <section class="mt-8" aria-label="History">
            <h2 class="text-lg font-bold">"History"</h2>
            {if board.history.is_empty() {
                view! { <p class="mt-2 text-sm text-stone-500">"Collected and cancelled orders appear here."</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-2 divide-y divide-stone-200 rounded-2xl bg-white text-sm ring-1 ring-stone-200">
                        {board.history.into_iter().map(|o| view! {
                            <li class="flex justify-between gap-2 px-3 py-2">
                                <span>{format!("{}× {} for {}", o.quantity, o.drink_name, o.guest_name)}</span>
                                <span class="text-stone-500">{o.status.label()}</span>
                            </li>
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
    now: i64,
    advance: ServerAction<AdvanceOrder>,
    remove: ServerAction<RemoveGuest>,
    remind: ServerAction<Remind>,
) -> impl IntoView {
    let age_min = ((now - order.created_at).max(0) / 60_000) as u64;
    let age = if age_min == 0 {
        "just now".to_string()
    } else {
        format!("{age_min} min ago")
    };
    let next = order.status.next_step();
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
                <span class="shrink-0 text-xs text-stone-500">{age}</span>
            </div>
            <p class="text-sm text-stone-700">{format!("for {}", order.guest_name)}</p>
            {(!order.note.is_empty()).then(|| view! { <p class="mt-1 rounded bg-amber-50 px-2 py-1 text-sm text-amber-900">{format!("“{}”", order.note)}</p> })}
            <ul class="mt-2 text-xs text-stone-600">
                {recipe.into_iter().map(|line| view! {
                    <li class="flex justify-between gap-2"><span>{line.name.clone()}</span><span>{line.amount_label()}</span></li>
                }).collect_view()}
            </ul>
            <div class="mt-3 flex flex-wrap gap-2">
                {next.map(|(status, label)| {
                    let id = id.clone();
                    view! {
                        <ActionForm action=advance>
                            <input type="hidden" name="order_id" value=id/>
                            <input type="hidden" name="status" value=status.as_str()/>
                            <button type="submit" class="rounded-full bg-orange-800 px-4 py-1.5 text-sm font-semibold text-white hover:bg-orange-900">
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
                                class="rounded-full px-4 py-1.5 text-sm font-semibold text-emerald-900 ring-1 ring-emerald-300 hover:bg-emerald-50"
                                title="Tell the guest again, on their phone and on the pickup screen"
                            >
                                "Remind"
                            </button>
                        </ActionForm>
                    }
                })}
                {cancellable.then(|| {
                    let id = id.clone();
                    view! {
                        <button
                            type="button"
                            class="rounded-full px-3 py-1.5 text-sm font-medium text-red-800 ring-1 ring-red-200 hover:bg-red-50"
                            on:click=move |_| {
                                if confirm("Cancel this order?") {
                                    advance.dispatch(AdvanceOrder { order_id: id.clone(), status: OrderStatus::Cancelled });
                                }
                            }
                        >
                            "Cancel"
                        </button>
                    }
                })}
                <button
                    type="button"
                    class="ml-auto rounded-full px-3 py-1.5 text-xs text-stone-500 hover:bg-stone-100"
                    on:click=move |_| {
                        if confirm(&format!("Remove {guest_name} from the party? Their phone is signed out at once.")) {
                            remove.dispatch(RemoveGuest { guest_id: guest_id.clone() });
                        }
                    }
                >
                    "Remove guest"
                </button>
            </div>
        </li>
    }
}
