//! `/admin/stats`: the night in numbers and charts (live while it lasts), and what to buy
//! tomorrow; `/admin/shopping-list`: the shopping list alone, to print. `?night=<closed at>` looks
//! back at a closed night.

use super::{admin_error, AdminNav};
use crate::api::stats::load_night_stats;
use crate::components::chart::{ColumnChart, RowChart};
use crate::components::live::{use_live_events, LastKnown};
use crate::i18n::*;
use crate::model::{duration_label, LiveEvent, NightStats, ShoppingList};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The night the address asks for: `None` is tonight.
fn chosen_night() -> Memo<Option<i64>> {
    let query = use_query_map();
    Memo::new(move |_| query.with(|q| q.get("night").and_then(|n| n.parse().ok())))
}

/// The chosen night's stats, refetched as orders come in while it is the current one.
fn night_stats(night: Memo<Option<i64>>) -> Resource<Result<NightStats, crate::error::AppError>> {
    let stats = Resource::new(move || night.get(), load_night_stats);
    use_live_events(move |event| {
        let tonight = night.get_untracked().is_none();
        if tonight
            && matches!(
                event,
                Some(LiveEvent::Order { .. } | LiveEvent::Bar { .. }) | None
            )
        {
            stats.refetch();
        }
    });
    stats
}

/// `?night=…` for links that keep the chosen night.
fn night_query(night: Option<i64>) -> String {
    night.map(|at| format!("?night={at}")).unwrap_or_default()
}

#[component]
pub fn StatsPage() -> impl IntoView {
    let night = chosen_night();
    let stats = night_stats(night);
    let last = LastKnown::new();
    let locale = crate::language::current();
    view! {
        <Title text=td_string!(locale, admin.stats)/>
        <AdminNav/>
        <Transition fallback=move || view! { <p class="mt-6 text-stone-600">{td_string!(locale, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match last.keep(stats.await) {
                    Err(error) => admin_error(error),
                    Ok(stats) => view! { <Stats stats night=night.get_untracked()/> }.into_any(),
                }
            })}
        </Transition>
        <super::bartender::BartenderPanel/>
    }
}

#[component]
fn Stats(stats: NightStats, night: Option<i64>) -> impl IntoView {
    let locale = crate::language::current();
    let heading = if stats.night.closed_at.is_some() {
        let when = stats.night.label.clone();
        td_string!(locale, admin.night_closed, when).to_string()
    } else {
        td_string!(locale, admin.tonight).to_string()
    };
    let waits = &stats.waits;
    let wait = |secs: Option<i64>| secs.map(duration_label).unwrap_or_else(|| "—".into());
    let bartender = &stats.bartender;
    let tiles = [
        (
            td_string!(locale, admin.tile_orders),
            stats.orders.to_string(),
            td_string!(locale, admin.tile_cancelled, count = stats.cancelled).to_string(),
        ),
        (
            td_string!(locale, admin.tile_median),
            wait(waits.median_secs),
            td_string!(locale, admin.tile_median_note, count = waits.ready).to_string(),
        ),
        (
            td_string!(locale, admin.tile_p90),
            wait(waits.p90_secs),
            td_string!(locale, admin.tile_p90_note).to_string(),
        ),
        (
            td_string!(locale, admin.tile_picks),
            td_string!(
                locale,
                admin.tile_picks_value,
                ordered = bartender.ordered_from_picks,
                picks = bartender.picks
            )
            .to_string(),
            td_string!(locale, admin.tile_picks_note).to_string(),
        ),
        (
            td_string!(locale, admin.tile_answers),
            bartender.answers.to_string(),
            td_string!(locale, admin.tile_answers_note, count = bartender.fell_back).to_string(),
        ),
    ];
    view! {
        <div class="mt-4 flex flex-wrap items-end justify-between gap-3">
            <h1 class="text-2xl font-bold">{heading}</h1>
            <NightPicker stats=stats.clone() night/>
        </div>
        <ul class="mt-4 grid grid-cols-2 gap-3 lg:grid-cols-5" aria-label=td_string!(locale, admin.numbers)>
            {tiles.into_iter().map(|(name, value, note)| view! {
                <li class="rounded-2xl bg-white p-4 ring-1 ring-stone-200" data-testid="stat">
                    <p class="text-sm text-stone-600">{name}</p>
                    <p class="mt-1 text-2xl font-bold tabular-nums">{value}</p>
                    <p class="mt-1 text-xs text-stone-600">{note}</p>
                </li>
            }).collect_view()}
        </ul>
        <div class="mt-4 grid gap-4 lg:grid-cols-2">
            <div class="lg:col-span-2">
                <ColumnChart title=td_string!(locale, admin.chart_per_quarter) bars=stats.per_quarter.clone() testid="chart-orders"/>
            </div>
            <RowChart title=td_string!(locale, admin.chart_top) bars=stats.top_drinks.clone() testid="chart-drinks"/>
            <RowChart title=td_string!(locale, admin.chart_guests) bars=stats.per_guest.clone() testid="chart-guests"/>
        </div>
        <section class="mt-6" aria-labelledby="shopping">
            <div class="flex flex-wrap items-center justify-between gap-3">
                <h2 id="shopping" class="text-xl font-bold">{td_string!(locale, admin.shopping)}</h2>
                <div class="flex gap-2">
                    <a
                        href=format!("/admin/shopping-list.csv{}", night_query(night))
                        download="shopping-list.csv"
                        rel="external"
                        class="inline-flex min-h-11 items-center rounded-full px-4 text-sm font-semibold ring-1 ring-stone-300 hover:bg-stone-100"
                    >
                        {td_string!(locale, admin.download_csv)}
                    </a>
                    <a
                        href=format!("/admin/shopping-list{}", night_query(night))
                        class="inline-flex min-h-11 items-center rounded-full px-4 text-sm font-semibold ring-1 ring-stone-300 hover:bg-stone-100"
                    >
                        {td_string!(locale, admin.printable)}
                    </a>
                </div>
            </div>
            <Shopping list=stats.shopping/>
        </section>
    }
}

/// Tonight, or a night closed before.
#[component]
fn NightPicker(stats: NightStats, night: Option<i64>) -> impl IntoView {
    let locale = crate::language::current();
    (!stats.earlier.is_empty()).then(|| {
        view! {
            <form method="get" action="/admin/stats" class="flex items-end gap-2">
                <div>
                    <label for="night" class="block text-sm font-medium text-stone-700">{td_string!(locale, admin.night)}</label>
                    <select id="night" name="night" class="mt-1 min-h-11 rounded-xl border border-stone-300 bg-white px-3">
                        <option value="" selected=night.is_none()>{td_string!(locale, admin.tonight)}</option>
                        {stats.earlier.iter().map(|earlier| {
                            let at = earlier.closed_at.unwrap_or_default();
                            view! {
                                <option value=at selected=night == Some(at)>{td_string!(locale, admin.closed_at, when = earlier.label.clone()).to_string()}</option>
                            }
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="min-h-11 rounded-full px-4 text-sm font-semibold ring-1 ring-stone-300 hover:bg-stone-100">
                    {td_string!(locale, admin.show_night)}
                </button>
            </form>
        }
    })
}

#[component]
fn Shopping(list: ShoppingList) -> impl IntoView {
    let locale = crate::language::current();
    view! {
        <div class="mt-3 grid gap-4 md:grid-cols-3" data-testid="shopping-list">
            <div>
                <h3 class="font-semibold">{td_string!(locale, admin.out_of_stock)}</h3>
                {if list.out_of_stock.is_empty() {
                    view! { <p class="mt-1 text-sm text-stone-600">{td_string!(locale, admin.nothing_ran_out)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="mt-1 list-disc pl-5">
                            {list.out_of_stock.into_iter().map(|name| view! { <li>{name}</li> }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </div>
            <div>
                <h3 class="font-semibold">{td_string!(locale, admin.used_tonight)}</h3>
                {if list.used.is_empty() {
                    view! { <p class="mt-1 text-sm text-stone-600">{td_string!(locale, admin.no_drinks_yet)}</p> }.into_any()
                } else {
                    view! {
                        <table class="mt-1 w-full text-left">
                            <tbody>
                                {list.used.into_iter().map(|used| view! {
                                    <tr class="border-t border-stone-100" data-testid="used">
                                        <th scope="row" class="py-1 font-normal">{used.ingredient.clone()}</th>
                                        <td class="py-1 text-right tabular-nums">{used.amount_label()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            </div>
            <div>
                <h3 class="font-semibold">{td_string!(locale, admin.wished_for)}</h3>
                {if list.wished.is_empty() {
                    view! { <p class="mt-1 text-sm text-stone-600">{td_string!(locale, admin.no_wishes)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="mt-1 space-y-1">
                            {list.wished.into_iter().map(|wish| view! {
                                <li class="flex justify-between gap-2">
                                    <span>{wish.label}</span>
                                    <span class="text-sm text-stone-600">{td_string!(locale, admin.asked, count = wish.count).to_string()}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </div>
        </div>
    }
}

/// The shopping list alone, for the printer.
#[component]
pub fn ShoppingListPage() -> impl IntoView {
    let night = chosen_night();
    let stats = night_stats(night);
    let print = |_| {
        let _ = window().print();
    };
    let locale = crate::language::current();
    view! {
        <Title text=td_string!(locale, admin.shopping)/>
        <div class="print:hidden"><AdminNav/></div>
        // A page made to be printed stays light (`style/colors.css`).
        <div class="mt-4 flex items-center justify-between gap-3" data-print-page="">
            <h1 class="text-2xl font-bold">{td_string!(locale, admin.shopping)}</h1>
            <button type="button" on:click=print class="min-h-11 rounded-full px-4 text-sm font-semibold ring-1 ring-stone-300 hover:bg-stone-100 print:hidden">
                {td_string!(locale, admin.print)}
            </button>
        </div>
        <Transition fallback=move || view! { <p class="mt-6 text-stone-600">{td_string!(locale, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match stats.await {
                    Err(error) => admin_error(error),
                    Ok(stats) => view! {
                        // Names the night, and keeps the headings in order above the list's h3s.
                        <h2 class="mt-1 text-sm font-normal text-stone-600">
                            {match stats.night.closed_at {
                                Some(_) => td_string!(locale, admin.night_closed, when = stats.night.label.clone()).to_string(),
                                None => td_string!(locale, admin.tonight_so_far).to_string(),
                            }}
                        </h2>
                        <Shopping list=stats.shopping/>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
