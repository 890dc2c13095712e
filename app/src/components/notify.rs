//! "Notify me when it's ready": after ordering, the guest may let the bar notify this phone by Web
//! Push, so the drink finds them with the page closed. The browser's permission prompt comes only
//! after that tap. Nothing shows where the browser cannot do it (or the bar does not send them).

use crate::i18n::*;
use leptos::prelude::*;

// The server renders nothing here: only the browser finds out what to offer.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Clone, Debug, PartialEq, Eq)]
enum Notify {
    /// Not known yet, or not possible here: nothing is shown.
    Hidden,
    Offer,
    Working,
    On,
    Blocked,
    Failed(String),
}

/// What the offer shows, kept by the page so a re-rendered list neither asks the browser again
/// nor flickers.
#[derive(Clone, Copy)]
pub struct NotifyState {
    shown: RwSignal<Notify>,
    checked: StoredValue<bool>,
}

impl NotifyState {
    pub fn new() -> Self {
        NotifyState {
            shown: RwSignal::new(Notify::Hidden),
            checked: StoredValue::new(false),
        }
    }
}

impl Default for NotifyState {
    fn default() -> Self {
        Self::new()
    }
}

#[component]
pub fn NotifyMe(state: NotifyState) -> impl IntoView {
    let NotifyState {
        shown: state,
        checked,
    } = state;
    // Effects run in the browser only; the first offer on the page asks, later ones remember.
    Effect::new(move |_| {
        if !checked.get_value() {
            checked.set_value(true);
            browser::check(state);
        }
    });
    let locale = crate::language::current();
    let box_class = "mt-4 flex flex-wrap items-center justify-between gap-3 rounded-2xl bg-white p-4 text-sm ring-1 ring-stone-200";
    let button = "min-h-11 rounded-full px-4 font-semibold";
    move || {
        match state.get() {
        Notify::Hidden => None,
        Notify::Offer => Some(view! {
            <div class=box_class data-testid="notify-me">
                <p class="text-stone-700">{td_string!(locale, notify.offer)}</p>
                <button type="button" class=format!("{button} bg-orange-800 text-white hover:bg-orange-900")
                    on:click=move |_| browser::turn_on(state)>
                    {td_string!(locale, notify.button)}
                </button>
            </div>
        }.into_any()),
        Notify::Working => Some(view! {
            <p class=box_class role="status" aria-busy="true">{td_string!(locale, notify.working)}</p>
        }.into_any()),
        Notify::On => Some(view! {
            <div class=box_class data-testid="notify-me">
                <p role="status" class="text-emerald-800">{td_string!(locale, notify.on)}</p>
                <button type="button" class=format!("{button} text-stone-700 ring-1 ring-stone-300 hover:bg-stone-100")
                    on:click=move |_| browser::turn_off(state)>
                    {td_string!(locale, notify.off)}
                </button>
            </div>
        }.into_any()),
        Notify::Blocked => Some(view! {
            <p class=box_class role="status">
                {td_string!(locale, notify.blocked)}
            </p>
        }.into_any()),
        Notify::Failed(why) => Some(view! {
            <div class=box_class role="alert">
                <p class="text-red-900">{td_string!(locale, notify.failed, why).to_string()}</p>
                <button type="button" class=format!("{button} text-stone-700 ring-1 ring-stone-300 hover:bg-stone-100")
                    on:click=move |_| browser::turn_on(state)>
                    {td_string!(locale, notify.retry)}
                </button>
            </div>
        }.into_any()),
    }
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::Notify;
    use crate::api::push::{push_key, push_subscribed, subscribe_push, unsubscribe_push};
    use leptos::prelude::*;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{
        Notification, NotificationPermission, PushSubscription, ServiceWorkerRegistration,
    };

    /// What `PushSubscription.toJSON()` gives.
    #[derive(serde::Deserialize)]
    struct Subscription {
        endpoint: String,
        keys: Keys,
    }

    #[derive(serde::Deserialize)]
    struct Keys {
        p256dh: String,
        auth: String,
    }

    fn supported() -> bool {
        let has = |target: &JsValue, name: &str| {
            js_sys::Reflect::has(target, &JsValue::from_str(name)).unwrap_or(false)
        };
        let window = window();
        has(&window.navigator(), "serviceWorker")
            && has(&window, "PushManager")
            && has(&window, "Notification")
    }

    fn words(error: JsValue) -> String {
        error
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| error.as_string())
            .unwrap_or_else(|| "the browser said no".into())
    }

    async fn registration() -> Result<ServiceWorkerRegistration, String> {
        let ready = window()
            .navigator()
            .service_worker()
            .ready()
            .map_err(words)?;
        JsFuture::from(ready)
            .await
            .map_err(words)?
            .dyn_into()
            .map_err(|_| "no service worker".to_string())
    }

    async fn current() -> Result<Option<PushSubscription>, String> {
        let manager = registration().await?.push_manager().map_err(words)?;
        let found = JsFuture::from(manager.get_subscription().map_err(words)?)
            .await
            .map_err(words)?;
        Ok(found.dyn_into().ok())
    }

    /// Shows the offer, or that notifications are on, blocked or impossible here.
    pub fn check(state: RwSignal<Notify>) {
        if !supported() {
            return;
        }
        leptos::task::spawn_local(async move {
            let Ok(Some(_)) = push_key().await else {
                return;
            };
            if Notification::permission() == NotificationPermission::Denied {
                state.set(Notify::Blocked);
                return;
            }
            let known = match current().await {
                Ok(Some(subscription)) => push_subscribed(subscription.endpoint())
                    .await
                    .unwrap_or(false),
                _ => false,
            };
            state.set(if known { Notify::On } else { Notify::Offer });
        });
    }

    pub fn turn_on(state: RwSignal<Notify>) {
        state.set(Notify::Working);
        leptos::task::spawn_local(async move {
            state.set(match subscribe().await {
                Ok(()) => Notify::On,
                Err(None) => Notify::Blocked,
                Err(Some(why)) => Notify::Failed(why),
            });
        });
    }

    /// Asks for permission (the browser's prompt), subscribes this browser with the bar's key and
    /// tells the bar. `Err(None)`: the guest said no.
    async fn subscribe() -> Result<(), Option<String>> {
        let key = push_key()
            .await
            .map_err(|e| Some(e.to_string()))?
            .ok_or_else(|| Some("this bar does not send notifications".to_string()))?;
        let asked = Notification::request_permission().map_err(|e| Some(words(e)))?;
        let answer = JsFuture::from(asked).await.map_err(|e| Some(words(e)))?;
        if answer.as_string().as_deref() != Some("granted") {
            return Err(None);
        }
        let manager = registration()
            .await
            .map_err(Some)?
            .push_manager()
            .map_err(|e| Some(words(e)))?;
        let options = web_sys::PushSubscriptionOptionsInit::new();
        options.set_user_visible_only(true);
        options.set_application_server_key(&JsValue::from_str(&key));
        let made = manager
            .subscribe_with_options(&options)
            .map_err(|e| Some(words(e)))?;
        let subscription: PushSubscription = JsFuture::from(made)
            .await
            .map_err(|e| Some(words(e)))?
            .dyn_into()
            .map_err(|_| Some("no subscription".to_string()))?;
        let json = subscription.to_json().map_err(|e| Some(words(e)))?;
        let text: String = js_sys::JSON::stringify(&json)
            .map_err(|e| Some(words(e)))?
            .into();
        let parsed: Subscription = serde_json::from_str(&text).map_err(|e| Some(e.to_string()))?;
        subscribe_push(parsed.endpoint, parsed.keys.p256dh, parsed.keys.auth)
            .await
            .map_err(|e| Some(e.to_string()))
    }

    pub fn turn_off(state: RwSignal<Notify>) {
        leptos::task::spawn_local(async move {
            if let Ok(Some(subscription)) = current().await {
                let _ = unsubscribe_push(subscription.endpoint()).await;
                if let Ok(done) = subscription.unsubscribe() {
                    let _ = JsFuture::from(done).await;
                }
            }
            state.set(Notify::Offer);
        });
    }
}

#[cfg(not(feature = "hydrate"))]
mod browser {
    use super::Notify;
    use leptos::prelude::RwSignal;

    pub fn check(_: RwSignal<Notify>) {}
    pub fn turn_on(_: RwSignal<Notify>) {}
    pub fn turn_off(_: RwSignal<Notify>) {}
}
