//! Bar charts drawn as SVG while the page renders on the server: no chart library, nothing drawn
//! in the browser. Each chart is an image with an `aria-label` that says its data, and the same
//! numbers are there as a table for anyone who wants them.

use crate::i18n::*;
use crate::model::Tally;
use leptos::prelude::*;

/// The drawing's size (it scales to the width it is given).
const WIDTH: f64 = 640.0;
const COLUMN_HEIGHT: f64 = 180.0;
const ROW_HEIGHT: f64 = 30.0;
/// Room under columns for their labels, and left of rows for theirs.
const AXIS: f64 = 22.0;
const LABELS: f64 = 170.0;

/// "Orders per 15 minutes: 21:45 2, 22:00 none, 22:15 1." — what a screen reader says.
pub fn summary(locale: Locale, title: &str, bars: &[Tally]) -> String {
    if bars.is_empty() {
        return td_string!(locale, admin.summary_nothing, title).to_string();
    }
    let items: Vec<String> = bars
        .iter()
        .map(|bar| match bar.count {
            0 => td_string!(locale, admin.summary_none, label = &bar.label).to_string(),
            n => format!("{} {n}", bar.label),
        })
        .collect();
    let items = items.join(", ");
    td_string!(locale, admin.summary, title, items).to_string()
}

/// A bar's length against the longest, in `room` units.
fn scaled(count: i64, most: i64, room: f64) -> f64 {
    if most <= 0 {
        0.0
    } else {
        count.max(0) as f64 / most as f64 * room
    }
}

/// Which column labels to write so they do not overlap: every `step`-th.
fn label_step(columns: usize) -> usize {
    columns.div_ceil(12).max(1)
}

/// Columns over time (orders per quarter of an hour).
#[component]
pub fn ColumnChart(
    #[prop(into)] title: String,
    bars: Vec<Tally>,
    testid: &'static str,
) -> impl IntoView {
    let label = summary(crate::language::current(), &title, &bars);
    let most = bars.iter().map(|b| b.count).max().unwrap_or(0);
    let width = WIDTH / bars.len().max(1) as f64;
    let step = label_step(bars.len());
    let columns = bars
        .iter()
        .enumerate()
        .map(|(i, bar)| {
            let height = scaled(bar.count, most, COLUMN_HEIGHT - 16.0);
            let x = i as f64 * width;
            view! {
                <rect x={x + 1.0} y={COLUMN_HEIGHT - height} width={(width - 2.0).max(1.0)} height=height rx="2" class="fill-orange-700"/>
                {(bar.count > 0).then(|| view! {
                    <text x={x + width / 2.0} y={COLUMN_HEIGHT - height - 3.0} text-anchor="middle" class="fill-stone-700 text-[11px]">{bar.count}</text>
                })}
                {(i % step == 0).then(|| view! {
                    <text x={x + width / 2.0} y={COLUMN_HEIGHT + 16.0} text-anchor="middle" class="fill-stone-600 text-[11px]">{bar.label.clone()}</text>
                })}
            }
        })
        .collect_view();
    view! {
        <Figure title testid bars=bars.clone()>
            <svg viewBox=format!("0 0 {WIDTH} {}", COLUMN_HEIGHT + AXIS) role="img" aria-label=label class="w-full">
                <line x1="0" y1=COLUMN_HEIGHT x2=WIDTH y2=COLUMN_HEIGHT class="stroke-stone-300"/>
                {columns}
            </svg>
        </Figure>
    }
}

/// Ranked rows (the most ordered drinks, drinks per guest).
#[component]
pub fn RowChart(
    #[prop(into)] title: String,
    bars: Vec<Tally>,
    testid: &'static str,
) -> impl IntoView {
    let label = summary(crate::language::current(), &title, &bars);
    let most = bars.iter().map(|b| b.count).max().unwrap_or(0);
    let room = WIDTH - LABELS - 40.0;
    let rows = bars
        .iter()
        .enumerate()
        .map(|(i, bar)| {
            let y = i as f64 * ROW_HEIGHT;
            let length = scaled(bar.count, most, room);
            view! {
                <text x={LABELS - 8.0} y={y + ROW_HEIGHT / 2.0 + 5.0} text-anchor="end" class="fill-stone-800 text-[14px]">{bar.label.clone()}</text>
                <rect x=LABELS y={y + 5.0} width={length.max(1.0)} height={ROW_HEIGHT - 10.0} rx="3" class="fill-orange-700"/>
                <text x={LABELS + length + 6.0} y={y + ROW_HEIGHT / 2.0 + 5.0} class="fill-stone-700 text-[14px]">{bar.count}</text>
            }
        })
        .collect_view();
    let height = (bars.len().max(1) as f64) * ROW_HEIGHT;
    view! {
        <Figure title testid bars=bars.clone()>
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=label class="w-full">
                {rows}
            </svg>
        </Figure>
    }
}

/// A chart with its title and its numbers as a table.
#[component]
fn Figure(
    title: String,
    testid: &'static str,
    bars: Vec<Tally>,
    children: Children,
) -> impl IntoView {
    let locale = crate::language::current();
    view! {
        <figure class="rounded-2xl bg-white p-4 ring-1 ring-stone-200" data-testid=testid>
            <figcaption class="mb-3 font-semibold">{title}</figcaption>
            {if bars.is_empty() {
                view! { <p class="text-sm text-stone-600">{td_string!(locale, admin.chart_empty)}</p> }.into_any()
            } else {
                view! {
                    {children()}
                    <details class="mt-2 text-sm">
                        <summary class="cursor-pointer text-stone-600">{td_string!(locale, admin.chart_table)}</summary>
                        <table class="mt-2 w-full text-left">
                            <tbody>
                                {bars.iter().map(|bar| view! {
                                    <tr class="border-t border-stone-100">
                                        <th scope="row" class="py-1 font-normal">{bar.label.clone()}</th>
                                        <td class="py-1 text-right tabular-nums">{bar.count}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </details>
                }.into_any()
            }}
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(label: &str, count: i64) -> Tally {
        Tally {
            label: label.into(),
            count,
        }
    }

    #[test]
    fn a_chart_says_its_data_in_words() {
        let bars = [tally("21:45", 2), tally("22:00", 0), tally("22:15", 1)];
        assert_eq!(
            summary(Locale::en, "Orders per 15 minutes", &bars),
            "Orders per 15 minutes: 21:45 2, 22:00 none, 22:15 1."
        );
        assert_eq!(
            summary(Locale::en, "Most ordered", &[]),
            "Most ordered: nothing yet."
        );
        assert_eq!(
            summary(Locale::es, "Pedidos", &bars),
            "Pedidos: 21:45 2, 22:00 ninguno, 22:15 1."
        );
    }

    #[test]
    fn bars_scale_to_the_longest_and_labels_thin_out() {
        assert_eq!(scaled(5, 10, 100.0), 50.0);
        assert_eq!(scaled(0, 0, 100.0), 0.0);
        assert_eq!(label_step(8), 1);
        assert_eq!(label_step(13), 2);
        assert_eq!(label_step(96), 8);
    }
}
