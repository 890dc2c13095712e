//! Reusable view pieces.

pub mod chart;
pub mod controls;
pub mod early;
pub mod live;
pub mod notify;
pub mod ready;
pub mod upload;

pub use ready::ReadyAlerts;

use crate::error::AppError;
use crate::i18n::*;
use crate::model::Drink;
use leptos::prelude::*;

#[component]
pub fn Header() -> impl IntoView {
    // The pickup screen fills a TV: no navigation there.
    let location = leptos_router::hooks::use_location();
    let shown = move || location.pathname.with(|path| path != "/screen");
    // Admin pages have the admin navigation only (`pages::admin::AdminNav`).
    let guest_page = move || location.pathname.with(|path| !path.starts_with("/admin"));
    let locale = crate::language::current();
    let links = [
        ("/", td_string!(locale, nav.menu)),
        ("/bartender", td_string!(locale, nav.bartender)),
        ("/orders", td_string!(locale, nav.my_orders)),
    ];
    view! {
        <Show when=shown>
        <header class="sticky top-0 z-20 bg-stone-50/95 backdrop-blur">
            <Show when=guest_page>
            <nav class="mx-auto flex h-14 max-w-3xl items-center justify-between gap-1 border-b border-stone-200 px-4" aria-label=td_string!(locale, nav.main)>
                // Below 360 px (a small phone, or large text) the three links and the switch need the row.
                <a href="/" class="-ml-1 hidden min-h-11 min-w-11 items-center gap-2 rounded-full px-1 text-lg font-bold tracking-tight text-orange-900 min-[360px]:flex">
                    <img src="/favicon.svg" alt="" width="24" height="24" class="size-6"/>
                    // A phone's width is for the three links; the name shows from a tablet up.
                    <span class="sr-only sm:not-sr-only">"Barback"</span>
                </a>
                <div class="flex items-center gap-0.5">
                    {links
                        .into_iter()
                        .map(|(href, label)| view! {
                            <a href=href class="flex min-h-11 items-center rounded-full px-2.5 text-sm font-medium text-stone-700 hover:bg-stone-200">
                                {label}
                            </a>
                        })
                        .collect_view()}
                    <ThemeSwitch/>
                </div>
            </nav>
            </Show>
            <ConnectionNotice/>
            <Show when=guest_page>
                <controls::BarNotice/>
            </Show>
        </header>
        </Show>
    }
}

/// Light or dark, by hand. Pressing it is handled by the early script (`early::THEME_SCRIPT`), so it
/// works before the app's code has loaded and on pages that never load it; the icon and the name
/// say what a press does, from the theme in force (CSS alone, so they are never out of step).
#[component]
pub fn ThemeSwitch() -> impl IntoView {
    let locale = crate::language::current();
    view! {
        <button
            type="button"
            data-theme-switch=""
            class="flex size-11 shrink-0 items-center justify-center rounded-full text-stone-700 hover:bg-stone-200"
        >
            <span class="dark:hidden">
                <svg aria-hidden="true" viewBox="0 0 24 24" class="size-5 fill-none stroke-current" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
                    <path d="M20.5 14.5A8.5 8.5 0 0 1 9.5 3.5a8.5 8.5 0 1 0 11 11z"/>
                </svg>
                <span class="sr-only">{td_string!(locale, nav.dark_mode)}</span>
            </span>
            <span class="hidden dark:inline">
                <svg aria-hidden="true" viewBox="0 0 24 24" class="size-5 fill-none stroke-current" stroke-width="2" stroke-linecap="round">
                    <circle cx="12" cy="12" r="4"/>
                    <path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4"/>
                </svg>
                <span class="sr-only">{td_string!(locale, nav.light_mode)}</span>
            </span>
        </button>
    }
}

/// The foot of every page but the pickup screen: the language switch.
#[component]
pub fn Footer() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let shown = move || location.pathname.with(|path| path != "/screen");
    view! {
        <Show when=shown>
            <footer class="mx-auto flex max-w-3xl justify-center border-t border-stone-200 px-4 py-4">
                <LanguageSwitch/>
            </footer>
        </Show>
    }
}

/// "English · Español": a plain form to `POST /language`, so it works before the app's code has
/// loaded; the server keeps the choice in a cookie and sends the page back in that language.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let locale = crate::language::current();
    let location = leptos_router::hooks::use_location();
    let back = move || {
        let search = location.search.get();
        let join = if search.is_empty() { "" } else { "?" };
        format!("{}{join}{search}", location.pathname.get())
    };
    let current = locale;
    view! {
        <form method="post" action="/language" class="flex items-center gap-1" aria-label=td_string!(locale, nav.language)>
            <input type="hidden" name="back" value=back/>
            {crate::language::ALL
                .into_iter()
                .map(|locale| {
                    let name = match locale {
                        Locale::en => "English",
                        Locale::es => "Español",
                    };
                    let here = locale == current;
                    view! {
                        <button
                            type="submit"
                            name="lang"
                            value=locale.as_str()
                            lang=locale.as_str()
                            disabled=here
                            aria-pressed=if here { "true" } else { "false" }
                            class="min-h-11 rounded-full px-4 text-sm font-medium text-stone-700 hover:bg-stone-200 aria-pressed:bg-stone-200 aria-pressed:text-stone-900"
                        >
                            {name}
                        </button>
                    }
                })
                .collect_view()}
        </form>
    }
}

/// The page's main area: a phone's column for guests, the full width of a tablet or laptop for the
/// host's pages (the board's three columns).
#[component]
pub fn Main(children: Children) -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let width = move || {
        if location.pathname.with(|path| path.starts_with("/admin")) {
            "mx-auto w-full max-w-7xl px-4 pb-16"
        } else {
            "mx-auto w-full max-w-3xl px-4 pb-16"
        }
    };
    view! { <main class=width>{children()}</main> }
}

/// A strip under the navigation while the bar cannot be reached; the page below keeps what it last
/// showed meanwhile, and catches up by itself when the connection is back.
#[component]
fn ConnectionNotice() -> impl IntoView {
    let connection = live::connection();
    let locale = crate::language::current();
    let text = move || match connection.get() {
        live::Connection::Live => None,
        live::Connection::Offline => Some(td_string!(locale, common.offline)),
        live::Connection::Reconnecting => Some(td_string!(locale, common.reconnecting)),
    };
    view! {
        <div role="status" aria-live="polite">
            {move || text().map(|text| view! {
                <p data-testid="connection-notice" class="bg-stone-800 px-4 py-1.5 text-center text-sm text-white">
                    {text}
                </p>
            })}
        </div>
    }
}

/// Shown when the server runs newer code than this page: one tap reloads onto it.
#[component]
pub fn NewVersionBanner() -> impl IntoView {
    let new_version = live::new_version();
    let locale = crate::language::current();
    let reload = |_| {
        let _ = window().location().reload();
    };
    view! {
        <Show when=move || new_version.get()>
            <div
                role="alert"
                class="fixed inset-x-3 bottom-3 z-50 mx-auto flex max-w-md items-center justify-between gap-3 rounded-2xl bg-stone-900 px-4 py-3 text-sm text-white shadow-lg"
            >
                <span>{td_string!(locale, common.new_version)}</span>
                <button
                    type="button"
                    on:click=reload
                    class="rounded-full bg-orange-500 px-3 py-1 font-semibold text-stone-950 hover:bg-orange-400 focus-visible:outline-2 focus-visible:outline-white"
                >
                    {td_string!(locale, common.reload)}
                </button>
            </div>
        </Show>
    }
}

/// A drink in a list: photo, name, short description and badges. Unavailable drinks stay visible,
/// greyed, so guests know they exist.
#[component]
pub fn DrinkCard(drink: Drink) -> impl IntoView {
    let href = format!("/drinks/{}", drink.id);
    let available = drink.available;
    let card_class = if available {
        "flex gap-3 rounded-2xl bg-white p-3 shadow-sm ring-1 ring-stone-200 transition hover:ring-orange-300 focus-visible:outline-2 focus-visible:outline-orange-700"
    } else {
        // Greyed by its picture and background, not by fading the words: they stay readable.
        "flex gap-3 rounded-2xl bg-stone-100 p-3 ring-1 ring-stone-200 focus-visible:outline-2 focus-visible:outline-orange-700"
    };
    let image_class = if available {
        "h-24 w-20 shrink-0 rounded-xl bg-stone-100 object-cover"
    } else {
        "h-24 w-20 shrink-0 rounded-xl bg-stone-100 object-cover opacity-50 grayscale"
    };
    view! {
        <li>
            <a href=href class=card_class data-testid="drink-card">
                <img
                    srcset=crate::model::image_srcset(&drink.image)
                    sizes="80px"
                    src=drink.image
                    alt=""
                    width="80"
                    height="96"
                    loading="lazy"
                    class=image_class
                />
                <div class="min-w-0 flex-1">
                    <h3 class="font-semibold leading-tight">{drink.name}</h3>
                    <p class="mt-1 line-clamp-2 text-sm text-stone-600">{drink.description}</p>
                    <div class="mt-2 flex flex-wrap gap-1.5">
                        <Badges alcohol_free=drink.alcohol_free available=available/>
                    </div>
                </div>
            </a>
        </li>
    }
}

#[component]
pub fn Badges(alcohol_free: bool, available: bool) -> impl IntoView {
    let locale = crate::language::current();
    view! {
        {alcohol_free
            .then(|| {
                view! {
                    <span class="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">
                        {td_string!(locale, common.alcohol_free)}
                    </span>
                }
            })}
        {(!available)
            .then(|| {
                view! {
                    <span class="rounded-full bg-stone-300 px-2 py-0.5 text-xs font-medium text-stone-800">
                        {td_string!(locale, common.unavailable)}
                    </span>
                }
            })}
    }
}

/// A friendly message for a failed load, with the right HTTP status during server rendering.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    set_status(error.status());
    let locale = crate::language::current();
    view! {
        <div role="alert" class="my-8 rounded-2xl bg-red-50 p-4 text-red-900 ring-1 ring-red-200">
            <p class="font-medium">{error.sentence_in(locale)}</p>
            <a href="/" class="mt-1 inline-flex min-h-11 items-center text-sm underline">
                {td_string!(locale, common.back_to_menu)}
            </a>
        </div>
    }
}

/// Sets the response status while rendering on the server; a no-op in the browser.
pub fn set_status(status: u16) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = http::StatusCode::from_u16(status) {
            response.set_status(status);
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

/// Placeholder cards while the menu loads (only seen on slow client-side navigation).
#[component]
pub fn MenuSkeleton() -> impl IntoView {
    let locale = crate::language::current();
    view! {
        <ul class="grid gap-3 sm:grid-cols-2" aria-busy="true" aria-label=td_string!(locale, common.loading_menu)>
            {(0..4)
                .map(|_| view! { <li class="h-30 animate-pulse rounded-2xl bg-stone-200"></li> })
                .collect_view()}
        </ul>
    }
}

/// A form's last error, tied to its fields: the field the error names is marked invalid
/// (`aria-invalid`), described by the message under it (`FieldMessage`, id `{field}-error`), and
/// given the focus; an error about no field of the form shows above its button (`FormError` with
/// `fields`). A field's `id` is its name.
#[derive(Clone, Copy)]
pub struct FieldErrors {
    error: Signal<Option<AppError>>,
    fields: &'static [&'static str],
    locale: Locale,
}

impl FieldErrors {
    pub fn new(error: Signal<Option<AppError>>, fields: &'static [&'static str]) -> Self {
        Effect::new(move |_| {
            let field = error.with(|e| e.as_ref().and_then(AppError::field).map(str::to_string));
            if let Some(field) = field.filter(|field| fields.contains(&field.as_str())) {
                focus_field(&field);
            }
        });
        Self {
            error,
            fields,
            locale: crate::language::current(),
        }
    }

    fn about(self, field: &'static str) -> Option<String> {
        self.error.with(|e| {
            e.as_ref()
                .filter(|e| e.field() == Some(field))
                .map(|e| e.sentence_in(self.locale))
        })
    }

    /// For the field's `aria-invalid`.
    pub fn invalid(self, field: &'static str) -> impl Fn() -> Option<&'static str> + Copy {
        move || self.about(field).map(|_| "true")
    }

    /// For the field's `aria-describedby`.
    pub fn described_by(self, field: &'static str) -> impl Fn() -> Option<String> + Copy {
        move || self.about(field).map(|_| format!("{field}-error"))
    }

    /// The error, unless it is about one of the form's fields.
    pub fn general(self) -> Signal<Option<AppError>> {
        Signal::derive(move || {
            self.error
                .get()
                .filter(|e| e.field().is_none_or(|field| !self.fields.contains(&field)))
        })
    }
}

/// The message under a field that the form's last error was about.
#[component]
pub fn FieldMessage(errors: FieldErrors, field: &'static str) -> impl IntoView {
    move || {
        errors.about(field).map(|message| {
            view! {
                <p id=format!("{field}-error") role="alert" class="mt-1 text-sm font-medium text-red-800">
                    {message}
                </p>
            }
        })
    }
}

fn focus_field(id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast as _;
        if let Some(input) = document()
            .get_element_by_id(id)
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = input.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

/// The error of a form's last submission, if any, announced to screen readers.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let locale = crate::language::current();
    move || {
        error.get().map(|e| {
            view! {
                <p role="alert" class="rounded-xl bg-red-50 p-3 text-sm text-red-900 ring-1 ring-red-200">
                    {e.sentence_in(locale)}
                </p>
            }
        })
    }
}

/// A form's main button; disabled while the submission is in flight, so a double tap sends once.
#[component]
pub fn SubmitButton(
    #[prop(into)] label: String,
    #[prop(into)] pending: Signal<bool>,
) -> impl IntoView {
    view! {
        <button
            type="submit"
            disabled=move || pending.get()
            class="w-full rounded-full bg-orange-800 px-5 py-3 font-semibold text-white hover:bg-orange-900 disabled:opacity-60"
        >
            {label}
        </button>
    }
}

/// Asks the browser's confirm dialog; false where there is no browser.
pub fn confirm(question: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.confirm_with_message(question).ok())
            .unwrap_or(false)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = question;
        false
    }
}

/// A short tone (the board's new order, a guest's ready drink); silent where the browser has not
/// allowed sound yet.
pub fn chime(frequency: f32) {
    #[cfg(feature = "hydrate")]
    {
        let play = || -> Option<()> {
            let ctx = web_sys::AudioContext::new().ok()?;
            let osc = ctx.create_oscillator().ok()?;
            let gain = ctx.create_gain().ok()?;
            osc.frequency().set_value(frequency);
            let t = ctx.current_time();
            gain.gain().set_value_at_time(0.2, t).ok()?;
            gain.gain()
                .exponential_ramp_to_value_at_time(0.001, t + 0.4)
                .ok()?;
            osc.connect_with_audio_node(&gain).ok()?;
            gain.connect_with_audio_node(&ctx.destination()).ok()?;
            osc.start().ok()?;
            osc.stop_with_when(t + 0.4).ok()?;
            Some(())
        };
        let _ = play();
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = frequency;
}

/// A secret shown this once (a new API key, a screen link), with a button to copy it.
#[component]
pub fn ShownOnce(
    message: String,
    #[prop(into)] label: String,
    value: String,
    testid: &'static str,
) -> impl IntoView {
    let copied = RwSignal::new(false);
    let locale = crate::language::current();
    let secret = value.clone();
    view! {
        <div role="status" class="mt-4 rounded-2xl bg-emerald-50 p-4 ring-1 ring-emerald-200" data-testid=testid>
            <p class="font-medium text-emerald-900">{message}</p>
            <div class="mt-2 flex gap-2">
                <input readonly aria-label=label value=value
                    class="min-w-0 flex-1 rounded-xl border border-emerald-300 bg-white px-3 py-2 font-mono text-sm"
                    on:focus=|ev| select_all(&ev)/>
                <button type="button" class="rounded-full bg-emerald-800 px-4 py-2 text-sm font-medium text-white hover:bg-emerald-900"
                    on:click=move |_| copy(&secret, copied)>
                    {move || if copied.get() { td_string!(locale, admin.copied) } else { td_string!(locale, admin.copy) }}
                </button>
            </div>
        </div>
    }
}

fn select_all(ev: &leptos::ev::FocusEvent) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            input.select();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}

/// Copies `text` to the clipboard (where the browser allows it: https or localhost).
fn copy(text: &str, copied: RwSignal<bool>) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let promise = window.navigator().clipboard().write_text(text);
        leptos::task::spawn_local(async move {
            if wasm_bindgen_futures::JsFuture::from(promise).await.is_ok() {
                copied.set(true);
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (text, copied);
}
