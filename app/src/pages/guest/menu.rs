//! `/`: the menu, grouped by section, with search and an alcohol-free filter.
//! Without JavaScript the search box is a plain GET form; once hydrated it filters as you type.

use crate::api::menu::get_menu;
use crate::components::live::{use_live_events, LastKnown};
use crate::components::{DrinkCard, ErrorNotice, MenuSkeleton};
use crate::i18n::*;
use crate::model::{LiveEvent, Menu, MenuFilter};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

#[component]
pub fn MenuPage() -> impl IntoView {
    // Order buttons and the strip under the navigation follow the bar's order controls.
    crate::components::controls::watch_bar_status();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|params| {
            MenuFilter::from_query(params.latest_values().map(|(k, v)| (k.as_ref(), v)))
        })
    });
    let menu = Resource::new(|| (), |_| get_menu());
    let last = LastKnown::new();
    // Stock and menu changes show up on an open menu without a reload, and what changed while
    // the stream was down when it opens again. A stream that opens on the very menu this page
    // shows (the first one after the page loads, mostly) is no reason to fetch and redraw it all.
    use_live_events(move |event| {
        let stale = match event {
            Some(LiveEvent::Menu) => true,
            None => !crate::components::live::menu_unchanged(),
            Some(_) => false,
        };
        if stale {
            menu.refetch();
        }
    });

    let locale = crate::language::current();
    view! {
        <Title text=td_string!(locale, menu.title)/>
        <h1 class="sr-only">{td_string!(locale, menu.title)}</h1>
        // The search, the alcohol-free switch and the sections stay at hand on a long menu.
        <div class="sticky top-14 z-10 -mx-4 bg-stone-50/95 px-4 backdrop-blur">
            <SearchBar filter=Signal::derive(move || filter.get().unwrap_or_default())>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match (menu.await, filter.get()) {
                            (Ok(menu), Ok(filter)) => view! { <SectionTabs menu filter/> }.into_any(),
                            _ => ().into_any(),
                        }
                    })}
                </Transition>
            </SearchBar>
        </div>
        <Transition fallback=MenuSkeleton>
            {move || Suspend::new(async move {
                match (last.keep(menu.await), filter.get()) {
                    (Err(error), _) => view! { <ErrorNotice error/> }.into_any(),
                    (_, Err(error)) => view! { <ErrorNotice error=error.into()/> }.into_any(),
                    (Ok(menu), Ok(filter)) => view! { <MenuSections menu filter/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The search box (a plain GET form without JavaScript; as you type with it), then one row that
/// scrolls sideways: the alcohol-free switch and the menu's sections (`children`).
#[component]
fn SearchBar(filter: Signal<MenuFilter>, children: Children) -> impl IntoView {
    let search = NodeRef::<leptos::html::Input>::new();
    let alcohol_free = NodeRef::<leptos::html::Input>::new();
    let navigate = use_navigate();
    // Once hydrated, every keystroke or tick updates the URL (so it can be shared and survives a
    // reload) and the list follows it; no round trip to the server.
    let apply = move || {
        let q = search.get().map(|el| el.value()).unwrap_or_default();
        let af = alcohol_free.get().is_some_and(|el| el.checked());
        navigate(
            &menu_url(&q, af),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };
    let on_input = {
        let apply = apply.clone();
        move |_| apply()
    };
    let on_change = {
        let apply = apply.clone();
        move |_| apply()
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        apply();
    };
    let locale = crate::language::current();

    view! {
        <form
            id="menu-search"
            method="get"
            action="/"
            role="search"
            class="flex items-center gap-2 pt-3"
            on:input=on_input
            on:submit=on_submit
        >
            <label for="q" class="sr-only">{td_string!(locale, menu.search_label)}</label>
            <input
                id="q"
                name="q"
                type="search"
                node_ref=search
                placeholder=td_string!(locale, menu.search_label)
                autocomplete="off"
                enterkeyhint="search"
                maxlength="100"
                prop:value=move || filter.with(|f| f.q.clone().unwrap_or_default())
                class="min-h-11 min-w-0 flex-1 rounded-full border border-stone-300 bg-white px-4 py-2 text-base shadow-sm focus:border-orange-600 focus:outline-none focus:ring-2 focus:ring-orange-200"
            />
            <button
                type="submit"
                class="min-h-11 rounded-full bg-orange-800 px-4 font-medium text-white hover:bg-orange-900 focus-visible:outline-2 focus-visible:outline-orange-700"
            >
                {td_string!(locale, menu.search)}
            </button>
        </form>
        <div class="-mx-4 flex items-center gap-2 overflow-x-auto px-4 py-1.5 [scrollbar-width:none]">
            // Part of the search form (`form=`), though it sits in this row.
            <label class="flex min-h-11 shrink-0 items-center gap-2 rounded-full bg-white px-3 text-sm font-medium text-stone-700 ring-1 ring-stone-300 has-[:checked]:bg-emerald-50 has-[:checked]:text-emerald-900 has-[:checked]:ring-emerald-700">
                <input
                    type="checkbox"
                    form="menu-search"
                    name="alcohol_free"
                    value="true"
                    node_ref=alcohol_free
                    prop:checked=move || filter.with(|f| f.alcohol_free == Some(true))
                    on:change=on_change
                    class="size-5 accent-emerald-700"
                />
                {td_string!(locale, menu.alcohol_free_only)}
            </label>
            {children()}
        </div>
    }
}

/// Links to the sections on show, so a long menu is one tap from any part of it.
#[component]
fn SectionTabs(menu: Menu, filter: MenuFilter) -> impl IntoView {
    let sections: Vec<_> = menu
        .grouped(&filter)
        .into_iter()
        .map(|(section, _)| (section.id.clone(), section.name.clone()))
        .collect();
    let locale = crate::language::current();
    (sections.len() > 1).then(|| {
        view! {
            <nav aria-label=td_string!(locale, menu.sections) class="flex shrink-0 gap-2">
                {sections
                    .into_iter()
                    .map(|(id, name)| view! {
                        <a
                            href=format!("#section-{id}")
                            class="flex min-h-11 shrink-0 items-center rounded-full px-3 text-sm font-medium text-stone-700 hover:bg-stone-200"
                        >
                            {name}
                        </a>
                    })
                    .collect_view()}
            </nav>
        }
    })
}

/// `/?q=…&alcohol_free=true`, the same link the no-JavaScript form produces.
fn menu_url(q: &str, alcohol_free: bool) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    if !q.trim().is_empty() {
        query.append_pair("q", q.trim());
    }
    if alcohol_free {
        query.append_pair("alcohol_free", "true");
    }
    let query = query.finish();
    if query.is_empty() {
        "/".into()
    } else {
        format!("/?{query}")
    }
}

#[component]
fn MenuSections(menu: Menu, filter: MenuFilter) -> impl IntoView {
    let groups: Vec<_> = menu
        .grouped(&filter)
        .into_iter()
        .map(|(section, drinks)| {
            (
                section.clone(),
                drinks.into_iter().cloned().collect::<Vec<_>>(),
            )
        })
        .collect();
    let locale = crate::language::current();
    if groups.is_empty() {
        let message = if menu.drinks.is_empty() {
            td_string!(locale, menu.empty_menu)
        } else {
            td_string!(locale, menu.no_match)
        };
        return view! {
            <div class="my-12 text-center text-stone-600" role="status">
                <p class="text-lg">{message}</p>
                {(!filter.is_empty())
                    .then(|| view! {
                        <p class="mt-2">{td_string!(locale, menu.ask_instead)}</p>
                        <div class="mt-4 flex flex-wrap justify-center gap-3">
                            <a href="/bartender" class="inline-flex min-h-11 items-center rounded-full bg-orange-800 px-5 font-medium text-white hover:bg-orange-900">
                                {td_string!(locale, menu.ask_bartender)}
                            </a>
                            <a href="/" class="inline-flex min-h-11 items-center rounded-full px-5 font-medium text-stone-700 ring-1 ring-stone-300 hover:bg-stone-100">
                                {td_string!(locale, menu.whole_menu)}
                            </a>
                        </div>
                    })}
            </div>
        }
        .into_any();
    }
    let count: usize = groups.iter().map(|(_, drinks)| drinks.len()).sum();
    view! {
        <p class="sr-only" role="status">{td_string!(locale, menu.count, count).to_string()}</p>
        {groups
            .into_iter()
            .map(|(section, drinks)| {
                let heading_id = format!("section-{}", section.id);
                let labelled_by = heading_id.clone();
                view! {
                    // Clear of the sticky header and search when a section link scrolls here.
                    <section class="mt-6 scroll-mt-44" aria-labelledby=labelled_by>
                        <h2 id=heading_id class="mb-3 text-xl font-bold text-orange-950">{section.name}</h2>
                        <ul class="grid gap-3 sm:grid-cols-2">
                            {drinks.into_iter().map(|drink| view! { <DrinkCard drink/> }).collect_view()}
                        </ul>
                    </section>
                }
            })
            .collect_view()}
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::menu_url;

    #[test]
    fn menu_urls_encode_the_search_and_drop_empty_parts() {
        assert_eq!(menu_url("", false), "/");
        assert_eq!(
            menu_url(" gin & tonic ", true),
            "/?q=gin+%26+tonic&alcohol_free=true"
        );
    }
}
