//! `/drinks/{id}`: one drink, with its recipe.

use crate::api::guests::whoami;
use crate::api::menu::{closest_drink, get_drink};
use crate::api::orders::PlaceOrder;
use crate::components::controls::order_refusal;
use crate::components::live::{use_live_events, LastKnown};
use crate::components::{Badges, ErrorNotice, FormError, SubmitButton};
use crate::domain::{IdempotencyKey, OrderNote, Quantity};
use crate::error::AppError;
use crate::i18n::*;
use crate::model::{Drink, DrinkOption, LiveEvent, Viewer};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn DrinkPage() -> impl IntoView {
    // Order buttons and the strip under the navigation follow the bar's order controls.
    crate::components::controls::watch_bar_status();
    let params = use_params_map();
    let drink = Resource::new(
        move || params.with(|p| p.get("id").unwrap_or_default()),
        get_drink,
    );
    // Who is looking (may they order, and how many more), the form's idempotency key and the
    // order action live as long as the page: a refetch after a menu change redraws the drink in
    // place, and the order form (with what the guest is typing, and its focus) stays as it is.
    let viewer = Resource::new(|| (), |_| whoami());
    let order = OrderState::new(viewer);
    let last = LastKnown::new();
    // The drink is menu data: a stream that opens on the menu this page shows (the first one
    // after the page loads, mostly) leaves it be; who is looking may have changed meanwhile.
    use_live_events(move |event| {
        let menu_stale = match event {
            Some(LiveEvent::Menu) => true,
            None => !crate::components::live::menu_unchanged(),
            Some(_) => return,
        };
        if menu_stale {
            drink.refetch();
        }
        viewer.refetch();
    });
    let locale = crate::language::current();
    view! {
        <a href="/" class="mt-2 inline-flex min-h-11 items-center text-sm text-stone-600 hover:text-stone-900">
            {td_string!(locale, drink.back)}
        </a>
        <Transition fallback=move || view! { <p class="my-8 text-stone-600" aria-busy="true">{td_string!(locale, common.loading)}</p> }>
            {move || Suspend::new(async move {
                let (drink, viewer, key) = (drink.await, viewer.await, order.key.await);
                match last.keep(drink) {
                    Ok(drink) => view! { <DrinkDetail drink viewer key order/> }.into_any(),
                    Err(error) => view! { <Title text=td_string!(locale, common.not_found_title)/> <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// What the order form keeps for as long as the page is open. The signals its view reads live
/// here, not in the form: the form is redrawn in place when the drink is refetched, and its
/// effects keep running until the redraw, so what they read must outlive each drawing.
#[derive(Clone, Copy)]
struct OrderState {
    key: OnceResource<String>,
    action: ServerAction<PlaceOrder>,
    /// Why an order would be refused now (paused, last call, the guest's limit), said before the tap.
    refusal: Signal<Option<String>>,
    /// Refused, or a submission in flight.
    blocked: Signal<bool>,
    /// The last submission's error.
    error: Signal<Option<AppError>>,
}

impl OrderState {
    fn new(viewer: Resource<Result<Viewer, AppError>>) -> Self {
        let action = ServerAction::<PlaceOrder>::new();
        let locale = crate::language::current();
        let bar_refusal = order_refusal();
        let limit = move || {
            viewer
                .get()
                .and_then(Result::ok)
                .and_then(|viewer| viewer.order_limit(locale))
        };
        let refusal = Signal::derive(move || bar_refusal.get().or_else(limit));
        Self {
            key: OnceResource::new(async { IdempotencyKey::generate() }),
            action,
            refusal,
            blocked: Signal::derive(move || {
                action.pending().get() || refusal.with(Option::is_some)
            }),
            error: Signal::derive(move || action.value().get().and_then(Result::err)),
        }
    }
}

#[component]
fn DrinkDetail(
    drink: Drink,
    viewer: Result<Viewer, AppError>,
    key: String,
    order: OrderState,
) -> impl IntoView {
    let missing: Vec<String> = drink
        .missing_ingredients()
        .map(|l| l.name.clone())
        .collect();
    let locale = crate::language::current();
    let abv = if drink.alcohol_free {
        td_string!(locale, drink.abv_zero).to_string()
    } else {
        let abv = crate::language::number(locale, drink.abv);
        td_string!(locale, drink.abv_about, abv).to_string()
    };
    let glass = drink.glass.clone();
    let image_alt = {
        let name = drink.name.clone();
        let glass = glass.clone();
        td_string!(locale, drink.image_alt, name, glass).to_string()
    };
    view! {
        <Title text=drink.name.clone()/>
        <article class="mt-3">
            <div class="flex flex-col gap-4 sm:flex-row">
                <img
                    srcset=crate::model::image_srcset(&drink.image)
                    sizes="(min-width: 640px) 200px, 100vw"
                    src=drink.image.clone()
                    alt=image_alt
                    width="200"
                    height="240"
                    class="mx-auto h-60 w-50 rounded-2xl bg-stone-100 object-cover sm:mx-0"
                    class:grayscale=!drink.available
                />
                <div class="flex-1">
                    <h1 class="text-3xl font-bold tracking-tight">{drink.name.clone()}</h1>
                    <div class="mt-2 flex flex-wrap items-center gap-2">
                        <Badges alcohol_free=drink.alcohol_free available=drink.available/>
                        <span class="text-sm text-stone-600">{abv}</span>
                        <span class="text-sm text-stone-600">{td_string!(locale, drink.glass, glass).to_string()}</span>
                    </div>
                    <p class="mt-3 text-stone-700">{drink.description.clone()}</p>
                    {(!missing.is_empty())
                        .then(|| {
                            view! {
                                <div role="status" class="mt-3 rounded-xl bg-stone-200 p-3 text-sm text-stone-800">
                                    <p>{
                                        let missing = missing.join(", ");
                                        td_string!(locale, drink.out_of, missing).to_string()
                                    }</p>
                                    <Closest id=drink.id.clone()/>
                                </div>
                            }
                        })}
                    <OrderForm drink_id=drink.id.clone() available=drink.available options=drink.options.clone() viewer key order/>
                </div>
            </div>
            <section class="mt-6" aria-labelledby="ingredients">
                <h2 id="ingredients" class="text-lg font-semibold">{td_string!(locale, drink.ingredients)}</h2>
                <ul class="mt-2 divide-y divide-stone-200 rounded-2xl bg-white ring-1 ring-stone-200">
                    {drink
                        .ingredients
                        .iter()
                        .map(|line| {
                            let out = !line.in_stock;
                            view! {
                                <li class="flex items-baseline justify-between gap-3 px-4 py-2" class:text-stone-500=out>
                                    <span>
                                        {line.name.clone()}
                                        {line.optional.then(|| view! { <span class="ml-1 text-xs text-stone-600">{td_string!(locale, drink.optional)}</span> })}
                                        {out.then(|| view! { <span class="ml-1 text-xs font-medium text-red-700">{td_string!(locale, drink.out_of_stock)}</span> })}
                                    </span>
                                    <span class="shrink-0 tabular-nums text-stone-700">{line.amount_label(locale)}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
            <section class="mt-6" aria-labelledby="method">
                <h2 id="method" class="text-lg font-semibold">{td_string!(locale, drink.method)}</h2>
                <ol class="mt-2 list-decimal space-y-1 pl-6 text-stone-700">
                    {drink.steps.iter().map(|step| view! { <li>{step.clone()}</li> }).collect_view()}
                </ol>
            </section>
        </article>
    }
}

/// "Close to it, and ready now: …", under an unavailable drink.
#[component]
fn Closest(id: String) -> impl IntoView {
    let closest = OnceResource::new(closest_drink(id));
    let locale = crate::language::current();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                closest.await.ok().flatten().map(|(id, name)| view! {
                    <p class="mt-1">
                        {td_string!(locale, drink.closest)}
                        <a href=format!("/drinks/{id}") class="inline-flex min-h-11 items-center font-semibold underline" data-testid="closest-drink">{name}</a>
                    </p>
                })
            })}
        </Suspense>
    }
}

/// Quantity, note and "Order". The idempotency key is made once per page (on the server for the
/// first render, so the form works before the WASM loads) and sent with every submission. No
/// `Suspense` here: everything the form needs is known when the drink is, so a redraw of the
/// drink keeps the form's nodes.
#[component]
fn OrderForm(
    drink_id: String,
    available: bool,
    options: Vec<DrinkOption>,
    viewer: Result<Viewer, AppError>,
    key: String,
    order: OrderState,
) -> impl IntoView {
    let locale = crate::language::current();
    let OrderState {
        action,
        refusal,
        blocked,
        error,
        ..
    } = order;
    match viewer {
        Ok(Viewer::Guest { .. }) if available => view! {
            <ActionForm action attr:class="mt-4 space-y-3 rounded-2xl bg-white p-4 ring-1 ring-stone-200">
                <input type="hidden" name="drink_id" value=drink_id/>
                <input type="hidden" name="idempotency_key" value=key/>
                <div class="flex items-center gap-3">
                    <label for="quantity" class="text-sm font-medium text-stone-700">{td_string!(locale, drink.quantity)}</label>
                    <select id="quantity" name="quantity" class="min-h-11 rounded-lg border border-stone-300 bg-white px-3">
                        {(1..=Quantity::MAX).map(|n| view! { <option value=n>{n}</option> }).collect_view()}
                    </select>
                </div>
                // The host's options for this drink, the usual choice first.
                {options.into_iter().enumerate().map(|(i, option)| view! {
                    <div class="flex items-center gap-3">
                        <label for=format!("choice-{i}") class="text-sm font-medium text-stone-700">{option.name.clone()}</label>
                        <select id=format!("choice-{i}") name=format!("choices[{i}]") class="min-h-11 rounded-lg border border-stone-300 bg-white px-3">
                            {option.choices.into_iter().map(|choice| view! { <option value=choice.clone()>{choice.clone()}</option> }).collect_view()}
                        </select>
                    </div>
                }).collect_view()}
                <div>
                    <label for="note" class="block text-sm font-medium text-stone-700">{td_string!(locale, drink.note)}</label>
                    <input
                        id="note"
                        name="note"
                        maxlength=OrderNote::MAX_CHARS
                        placeholder=td_string!(locale, drink.note_hint)
                        class="mt-1 min-h-11 w-full rounded-xl border border-stone-300 bg-white px-3 py-2"
                    />
                </div>
                <FormError error/>
                {move || refusal.get().map(|why| view! {
                    <p data-testid="order-refusal" class="rounded-xl bg-amber-50 p-3 text-sm text-amber-950 ring-1 ring-amber-200">{why}</p>
                })}
                <SubmitButton label=td_string!(locale, drink.order) pending=blocked/>
            </ActionForm>
        }.into_any(),
        Ok(Viewer::Guest { .. }) => ().into_any(),
        Ok(Viewer::Admin { .. }) => view! {
            <p class="mt-4 text-sm text-stone-600">{td_string!(locale, drink.host_signed_in)}</p>
        }.into_any(),
        _ => view! {
            <p class="mt-4 rounded-xl bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200">
                {td_string!(locale, drink.join_to_order)}
            </p>
        }.into_any(),
    }
}
