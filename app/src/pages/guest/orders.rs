//! `/orders`: my orders, live: status, place in the queue, estimated wait, and "Cancel" while queued.

use crate::api::orders::{my_orders, CancelOrder};
use crate::components::live::{use_live_events, LastKnown};
use crate::components::notify::{NotifyMe, NotifyState};
use crate::components::{confirm, ErrorNotice};
use crate::error::AppError;
use crate::i18n::*;
use crate::model::{
    patch_tracked, pick_up_sentence, GuestOrders, LiveEvent, OrderStatus, TrackedOrder,
};
use leptos::prelude::*;
use leptos_meta::Title;
use std::future::Future;

#[component]
pub fn OrdersPage() -> impl IntoView {
    // Order buttons and the strip under the navigation follow the bar's order controls.
    crate::components::controls::watch_bar_status();
    let cancel = ServerAction::<CancelOrder>::new();
    let orders = Resource::new(move || cancel.version().get(), |_| my_orders());
    let last = LastKnown::new();
    use_live_events(move |event| {
        // A visitor who has not joined has no orders to follow.
        if orders.with_untracked(|o| matches!(o, Some(Err(AppError::Unauthorized)))) {
            return;
        }
        match event {
            // The event carries the order: its line changes in place, at once. An order this
            // page has not seen (placed in another tab) needs the list.
            Some(LiveEvent::Order { order }) => {
                patch_or_refetch(orders, |list| patch_tracked(&mut list.orders, &order))
            }
            Some(LiveEvent::Pickup { place }) => patch_or_refetch(orders, |list| {
                list.place = place;
                true
            }),
            // Places and waits moved, or the stream reopened: only the server knows them now.
            Some(LiveEvent::Queue) | None => orders.refetch(),
            Some(_) => {}
        }
    });

    // Asked once per page, whatever the list does meanwhile.
    let notify = NotifyState::new();
    let locale = crate::language::current();

    view! {
        <Title text=td_string!(locale, orders.title)/>
        <h1 class="mt-6 text-2xl font-bold tracking-tight">{td_string!(locale, orders.title)}</h1>
        {move || cancel.value().get().and_then(Result::err).map(|e| view! {
            <p role="alert" class="mt-3 rounded-xl bg-red-50 p-3 text-sm text-red-900">{e.sentence_in(locale)}</p>
        })}
        <Transition fallback=move || view! { <p class="mt-6 text-stone-600">{td_string!(locale, orders.loading)}</p> }>
            {move || Suspend::new(async move {
                match last.keep(orders.await) {
                    Err(AppError::Unauthorized) => view! {
                        <div class="mt-8 rounded-2xl bg-white p-5 ring-1 ring-stone-200">
                            <p class="font-medium">{td_string!(locale, common.join_to_order)}</p>
                            <p class="mt-1 text-sm text-stone-600">{td_string!(locale, common.join_how)}</p>
                        </div>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    Ok(GuestOrders { orders: list, .. }) if list.is_empty() => view! {
                        <div class="mt-8 text-center text-stone-600">
                            <p>{td_string!(locale, orders.none)}</p>
                            <a href="/" class="mt-3 inline-flex min-h-11 items-center rounded-full bg-orange-800 px-5 font-medium text-white">{td_string!(locale, orders.pick)}</a>
                        </div>
                    }.into_any(),
                    Ok(GuestOrders { orders: list, place }) => view! {
                        // Offered while a drink is on the way.
                        {list.iter().any(|t| t.order.status.is_waiting()).then(|| view! { <NotifyMe state=notify/> })}
                        <ul class="mt-4 space-y-3" aria-live="polite">
                            {list.into_iter().map(|tracked| view! { <OrderCard tracked place=place.clone() cancel/> }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

type OrdersResource = Resource<Result<GuestOrders, AppError>>;

/// Applies what the live stream says to the list on screen, or asks the server again when that
/// cannot be done in place: `patch` answers false, or the list is still being fetched. A fetch in
/// flight must not be written into: reactive_graph then ends its loading at once (a list not yet
/// fetched would be awaited as nothing, a panic) and throws its answer away when it comes.
fn patch_or_refetch(orders: OrdersResource, patch: impl FnOnce(&mut GuestOrders) -> bool) {
    let settled = untrack(|| {
        let mut context = std::task::Context::from_waker(std::task::Waker::noop());
        std::pin::pin!(orders.ready()).poll(&mut context).is_ready()
    });
    let mut patched = false;
    if settled {
        orders.update(|list| {
            if let Some(Ok(list)) = list {
                patched = patch(list);
            }
        });
    }
    if !patched {
        orders.refetch();
    }
}

#[component]
fn OrderCard(
    tracked: TrackedOrder,
    place: String,
    cancel: ServerAction<CancelOrder>,
) -> impl IntoView {
    let TrackedOrder {
        order,
        queue_position,
        eta_minutes,
    } = tracked;
    let status = order.status;
    let locale = crate::language::current();
    let badge = match status {
        OrderStatus::Queued => "bg-amber-100 text-amber-900",
        OrderStatus::Making => "bg-sky-100 text-sky-900",
        OrderStatus::Ready => "bg-emerald-600 text-white",
        OrderStatus::Collected => "bg-stone-200 text-stone-700",
        OrderStatus::Cancelled => "bg-stone-200 text-stone-600 line-through",
    };
    let detail = match (status, queue_position, eta_minutes) {
        (OrderStatus::Queued, Some(place), Some(eta)) => {
            td_string!(locale, orders.queued_detail, place, eta).to_string()
        }
        (OrderStatus::Making, _, Some(eta)) => {
            td_string!(locale, orders.making_detail, eta).to_string()
        }
        (OrderStatus::Ready, ..) => {
            let pickup = pick_up_sentence(locale, &place);
            td_string!(locale, orders.ready_detail, pickup).to_string()
        }
        _ => String::new(),
    };
    let order_id = order.id.clone();
    view! {
        <li class="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-stone-200" data-testid="order" data-status=status.as_str()>
            <div class="flex items-start justify-between gap-3">
                <div>
                    <p class="font-semibold">{format!("{}× {}", order.quantity, order.drink_name)}</p>
                    {(!order.choices.is_empty()).then(|| view! {
                        <p class="text-sm text-stone-600" data-testid="order-choices">
                            {order.choices.iter().map(|c| c.label()).collect::<Vec<_>>().join(" · ")}
                        </p>
                    })}
                    {(!order.note.is_empty()).then(|| view! { <p class="text-sm text-stone-600">{format!("“{}”", order.note)}</p> })}
                    <p class="mt-1 text-sm text-stone-600">{detail}</p>
                </div>
                <span class=format!("shrink-0 rounded-full px-3 py-1 text-sm font-semibold {badge}") data-testid="order-status">
                    {status.label(locale)}
                </span>
            </div>
            {(status == OrderStatus::Queued).then(|| {
                let question = td_string!(locale, orders.cancel_question, drink = order.drink_name.clone()).to_string();
                view! {
                    <ActionForm action=cancel attr:class="mt-3">
                        <input type="hidden" name="order_id" value=order_id/>
                        // Asks first: a Cancel tapped by mistake cannot be taken back.
                        <button
                            type="submit"
                            on:click=move |ev| {
                                if !confirm(&question) {
                                    ev.prevent_default();
                                }
                            }
                            class="min-h-11 rounded-full px-4 text-sm font-medium text-red-800 ring-1 ring-red-200 hover:bg-red-50"
                        >
                            {td_string!(locale, orders.cancel)}
                        </button>
                    </ActionForm>
                }
            })}
        </li>
    }
}
