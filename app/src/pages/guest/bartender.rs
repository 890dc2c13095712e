//! `/bartender`: the AI bartender chat. The guest writes what they feel like, the answer streams
//! in word by word with drink cards that order in one tap ("Order this"). Below the chat: the
//! taste profile (what the bartender knows and learned), editable, and "Forget me".

use crate::api::bartender::{
    ask_bartender, load_chat, stop_answer, ForgetMe, ForgetTasteTerm, NewConversation, SaveTaste,
};
use crate::api::orders::{CancelOrder, PlaceOrder};
use crate::components::{confirm, Badges, ErrorNotice, FormError, SubmitButton};
use crate::domain::{ChatText, IdempotencyKey};
use crate::error::AppError;
use crate::i18n::*;
use crate::model::{
    drain_chunks, ChatCard, ChatChunk, ChatHistory, ChatMessage, ChatRole, Offer, Strength,
    TasteProfile,
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn BartenderPage() -> impl IntoView {
    // Order buttons and the strip under the navigation follow the bar's order controls.
    crate::components::controls::watch_bar_status();
    let save = ServerAction::<SaveTaste>::new();
    let remove = ServerAction::<ForgetTasteTerm>::new();
    let forget = ServerAction::<ForgetMe>::new();
    let restart = ServerAction::<NewConversation>::new();
    let history = Resource::new(
        move || {
            (
                save.version().get(),
                remove.version().get(),
                forget.version().get(),
                restart.version().get(),
            )
        },
        |_| load_chat(),
    );
    let locale = crate::language::current();
    view! {
        <Title text=td_string!(locale, bartender.title)/>
        <h1 class="mt-6 text-2xl font-bold tracking-tight">{td_string!(locale, bartender.heading)}</h1>
        <noscript>
            <p class="mt-3 rounded-xl bg-amber-50 p-3 text-sm text-amber-900">{td_string!(locale, bartender.needs_js)}</p>
        </noscript>
        <Transition fallback=move || view! { <p class="mt-6 text-stone-600">{td_string!(locale, bartender.loading)}</p> }>
            {move || Suspend::new(async move {
                match history.await {
                    Err(AppError::Unauthorized) => view! {
                        <div class="mt-8 rounded-2xl bg-white p-5 ring-1 ring-stone-200">
                            <p class="font-medium">{td_string!(locale, bartender.join)}</p>
                            <p class="mt-1 text-sm text-stone-600">{td_string!(locale, common.join_how)}</p>
                        </div>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    Ok(history) => view! {
                        <Chat history=history.clone() restart/>
                        <Profile profile=history.profile save remove forget/>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The answer being written right now.
#[derive(Clone, Debug, Default, PartialEq)]
struct LiveAnswer {
    text: String,
    cards: Vec<ChatCard>,
    note: Option<String>,
}

#[component]
fn Chat(history: ChatHistory, restart: ServerAction<NewConversation>) -> impl IntoView {
    let messages = RwSignal::new(history.messages);
    let live = RwSignal::new(None::<LiveAnswer>);
    let draft = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    // Once the bar has kept the message, until the answer is done: Stop can reach it.
    let stoppable = RwSignal::new(false);
    let bottom = NodeRef::<leptos::html::Div>::new();
    let per_hour = history.messages_per_hour;
    let locale = crate::language::current();
    let honest = if history.bartender == crate::model::HOUSE {
        td_string!(locale, bartender.house).to_string()
    } else {
        let name = crate::model::model_name(&history.bartender);
        td_string!(locale, bartender.model, name = name).to_string()
    };
    let examples = [
        td_string!(locale, bartender.example_smoky),
        td_string!(locale, bartender.example_like),
        td_string!(locale, bartender.example_driving),
    ];

    // Keep the newest words in view while they stream in.
    Effect::new(move |_| {
        messages.track();
        live.track();
        if let Some(el) = bottom.get() {
            el.scroll_into_view_with_bool(false);
        }
    });

    let send = move |text: String| {
        if busy.get_untracked() {
            return;
        }
        if let Err(err) = ChatText::parse(&text) {
            error.set(Some(err));
            return;
        }
        busy.set(true);
        error.set(None);
        draft.set(String::new());
        live.set(Some(LiveAnswer::default()));
        leptos::task::spawn_local(async move {
            use futures::StreamExt;
            // Until the bar says it kept the message, a failure gives the words back to retry.
            let mut kept = false;
            match ask_bartender(text.clone()).await {
                Err(err) => error.set(Some(err)),
                Ok(stream) => {
                    let mut stream = stream.into_inner();
                    let mut buffer = String::new();
                    while let Some(piece) = stream.next().await {
                        match piece {
                            Ok(more) => {
                                buffer.push_str(&more);
                                for chunk in drain_chunks(&mut buffer) {
                                    kept |= matches!(chunk, ChatChunk::Asked { .. });
                                    stoppable.set(kept && !matches!(chunk, ChatChunk::Done { .. }));
                                    apply(chunk, messages, live);
                                }
                            }
                            Err(err) => {
                                error.set(Some(err));
                                break;
                            }
                        }
                    }
                }
            }
            if !kept
                && error.with_untracked(Option::is_some)
                && draft.with_untracked(String::is_empty)
            {
                draft.set(text);
            }
            live.set(None);
            stoppable.set(false);
            busy.set(false);
        });
    };
    // The answer ends where it is; the bar keeps what was written and sends it as the last chunk.
    let stop = move |_| {
        stoppable.set(false);
        leptos::task::spawn_local(async move {
            if let Err(err) = stop_answer().await {
                error.set(Some(err));
            }
        });
    };

    view! {
        <div class="mt-1 flex flex-wrap items-center justify-between gap-2">
            <p class="text-sm text-stone-600">{honest}</p>
            // Once there is something to start afresh from; the taste profile stays.
            <Show when=move || !messages.with(Vec::is_empty) && !busy.get()>
                <ActionForm action=restart>
                    <button
                        type="submit"
                        class="min-h-11 rounded-full px-4 text-sm font-medium text-stone-700 ring-1 ring-stone-300 hover:bg-stone-100"
                    >
                        {td_string!(locale, bartender.new_conversation)}
                    </button>
                </ActionForm>
            </Show>
        </div>
        <section class="mt-4 space-y-4" aria-label=td_string!(locale, bartender.chat) aria-live="polite">
            {move || {
                let list = messages.get();
                (list.is_empty() && live.get().is_none()).then(|| view! {
                    <div class="rounded-2xl bg-white p-4 ring-1 ring-stone-200" data-testid="chat-empty">
                        <p class="font-medium">{td_string!(locale, bartender.mood)}</p>
                        <p class="mt-1 text-sm text-stone-600">{td_string!(locale, bartender.try_these)}</p>
                        <div class="mt-3 flex flex-wrap gap-2">
                            {examples.into_iter().map(|example| view! {
                                <button
                                    type="button"
                                    class="min-h-11 rounded-full bg-orange-50 px-4 text-sm text-orange-900 ring-1 ring-orange-200 hover:bg-orange-100"
                                    on:click=move |_| send(example.to_string())
                                >
                                    {example}
                                </button>
                            }).collect_view()}
                        </div>
                    </div>
                })
            }}
            <For each=move || messages.get() key=|m| m.id.clone() let(message)>
                <Bubble message/>
            </For>
            {move || live.get().map(|answer| view! { <LiveBubble answer/> })}
            <div node_ref=bottom></div>
        </section>
        <form
            data-needs-app=""
            class="sticky bottom-0 mt-4 flex items-end gap-2 bg-stone-50 py-3"
            on:submit=move |ev| {
                ev.prevent_default();
                send(draft.get_untracked());
            }
        >
            <label for="message" class="sr-only">{td_string!(locale, bartender.message)}</label>
            <textarea
                id="message"
                name="message"
                rows="2"
                data-enter-sends=""
                maxlength=ChatText::MAX_CHARS
                placeholder=td_string!(locale, bartender.placeholder)
                class="min-h-12 flex-1 resize-none rounded-2xl border border-stone-300 bg-white px-3 py-2"
                prop:value=move || draft.get()
                on:input=move |ev| draft.set(event_target_value(&ev))
                on:keydown=move |ev| {
                    if ev.key() == "Enter" && !ev.shift_key() {
                        ev.prevent_default();
                        send(draft.get_untracked());
                    }
                }
            ></textarea>
            {move || if busy.get() {
                view! {
                    <button
                        type="button"
                        on:click=stop
                        disabled=move || !stoppable.get()
                        aria-label=td_string!(locale, bartender.stop_label)
                        class="rounded-full bg-stone-800 px-5 py-3 font-semibold text-white hover:bg-stone-900 disabled:opacity-60"
                    >
                        {td_string!(locale, bartender.stop)}
                    </button>
                }.into_any()
            } else {
                view! {
                    <button
                        type="submit"
                        class="rounded-full bg-orange-800 px-5 py-3 font-semibold text-white hover:bg-orange-900"
                    >
                        {td_string!(locale, bartender.send)}
                    </button>
                }.into_any()
            }}
        </form>
        {move || error.get().map(|err| view! {
            <div role="alert" class="flex flex-wrap items-center justify-between gap-2 rounded-xl bg-red-50 p-3 text-sm text-red-900 ring-1 ring-red-200">
                <p>{friendly(locale, &err, per_hour)}</p>
                // The words are back in the box: one tap sends them again.
                <Show when=move || !draft.with(|d| d.trim().is_empty())>
                    <button
                        type="button"
                        class="min-h-11 rounded-full bg-white px-4 font-semibold text-red-900 ring-1 ring-red-300 hover:bg-red-100"
                        on:click=move |_| send(draft.get_untracked())
                    >
                        {td_string!(locale, bartender.retry)}
                    </button>
                </Show>
            </div>
        })}
    }
    .into_any()
}

fn apply(
    chunk: ChatChunk,
    messages: RwSignal<Vec<ChatMessage>>,
    live: RwSignal<Option<LiveAnswer>>,
) {
    match chunk {
        ChatChunk::Asked { message } => messages.update(|list| list.push(message)),
        ChatChunk::Text { text } => live.update(|a| {
            if let Some(a) = a {
                a.text.push_str(&text);
            }
        }),
        ChatChunk::Card { card } => live.update(|a| {
            if let Some(a) = a {
                a.cards.push(card);
            }
        }),
        ChatChunk::Note { text } => live.update(|a| {
            if let Some(a) = a {
                a.note = Some(text);
            }
        }),
        ChatChunk::Done { message } => {
            live.set(None);
            messages.update(|list| list.push(message));
        }
    }
}

/// Errors in the bartender's voice.
fn friendly(locale: Locale, error: &AppError, per_hour: u32) -> String {
    match error {
        AppError::RateLimited { retry_after_secs } if *retry_after_secs < 60 => {
            td_string!(locale, bartender.slow_down, secs = *retry_after_secs).to_string()
        }
        AppError::RateLimited { retry_after_secs } => {
            let minutes = retry_after_secs.div_ceil(60).max(1);
            td_string!(locale, bartender.breather, per_hour, minutes).to_string()
        }
        AppError::Unauthorized => td_string!(locale, bartender.session_ended).to_string(),
        other => other.sentence_in(locale),
    }
}

#[component]
fn Bubble(message: ChatMessage) -> impl IntoView {
    match message.role {
        ChatRole::Guest => view! {
            <div class="flex justify-end" data-testid="chat-guest">
                <p class="max-w-[85%] whitespace-pre-line rounded-2xl rounded-br-md bg-orange-800 px-4 py-2 text-white">{message.text}</p>
            </div>
        }.into_any(),
        ChatRole::Bartender => view! {
            <BartenderSays text=message.text html=message.html cards=message.cards note=message.note writing=false/>
        }.into_any(),
    }
}

#[component]
fn LiveBubble(answer: LiveAnswer) -> impl IntoView {
    view! { <BartenderSays text=answer.text html=None cards=answer.cards note=answer.note writing=true/> }
}

#[component]
fn BartenderSays(
    text: String,
    /// The finished answer's words as the server rendered them (a safe subset of HTML); while it
    /// is being written, the plain words.
    html: Option<String>,
    cards: Vec<ChatCard>,
    note: Option<String>,
    writing: bool,
) -> impl IntoView {
    let locale = crate::language::current();
    view! {
        <div class="max-w-[95%] space-y-2" data-testid="chat-bartender" aria-busy=writing.then_some("true")>
            {note.map(|note| view! { <p class="rounded-xl bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200" data-testid="chat-note">{note}</p> })}
            {match html {
                Some(html) => view! {
                    <div class=ANSWER_CLASS data-testid="chat-answer" inner_html=html></div>
                }.into_any(),
                None => view! {
            <p class="whitespace-pre-line rounded-2xl rounded-bl-md bg-white px-4 py-2 ring-1 ring-stone-200">
                {if writing && text.is_empty() {
                    td_string!(locale, bartender.thinking).to_string()
                } else {
                    text
                }}
                {writing.then(|| view! {
                    <span class="ml-1 inline-block animate-pulse text-stone-600" aria-hidden="true">"▍"</span>
                    <span class="sr-only">{td_string!(locale, bartender.writing)}</span>
                })}
            </p>
                }.into_any(),
            }}
            {(!cards.is_empty()).then(|| view! {
                <ul class="space-y-2">
                    {cards.into_iter().map(|card| view! { <CardView card/> }).collect_view()}
                </ul>
            })}
        </div>
    }
}

/// A finished answer's bubble, with room between paragraphs and markers on lists.
const ANSWER_CLASS: &str = "space-y-2 rounded-2xl rounded-bl-md bg-white px-4 py-2 ring-1 ring-stone-200 [&_ol]:list-decimal [&_ol]:pl-5 [&_ul]:list-disc [&_ul]:pl-5 [&_strong]:font-semibold [&_code]:rounded [&_code]:bg-stone-100 [&_code]:px-1";

#[component]
fn CardView(card: ChatCard) -> impl IntoView {
    let order = ServerAction::<PlaceOrder>::new();
    let key = IdempotencyKey::generate();
    let error = move || order.value().get().and_then(Result::err);
    let refusal = crate::components::controls::order_refusal();
    let href = format!("/drinks/{}", card.drink_id);
    let locale = crate::language::current();
    let abv = if card.alcohol_free {
        String::new()
    } else {
        let abv = card.abv.round();
        td_string!(locale, bartender.abv, abv).to_string()
    };
    view! {
        <li class="flex gap-3 rounded-2xl bg-white p-3 shadow-sm ring-1 ring-stone-200" data-testid="chat-card">
            <img src=card.image.clone() srcset=crate::model::image_srcset(&card.image) sizes="64px" alt="" width="64" height="80" class="h-20 w-16 shrink-0 rounded-xl bg-stone-100 object-cover"/>
            <div class="min-w-0 flex-1">
                <div class="flex flex-wrap items-center gap-2">
                    <a href=href class="inline-flex min-h-11 items-center font-semibold underline-offset-2 hover:underline">{card.name.clone()}</a>
                    <Badges alcohol_free=card.alcohol_free available=card.available/>
                    <span class="text-xs text-stone-600">{abv}</span>
                </div>
                <p class="mt-1 text-sm text-stone-700">{card.reason.clone()}</p>
                {match card.offer.clone() {
                    // The guest asked the chat to cancel: their own queued order, once they say so.
                    Some(Offer::Cancel { order_id }) => view! { <CancelOffer order_id/> }.into_any(),
                    _ if card.available => {
                        // "Order this" on a suggestion; "Yes, order it" when the guest asked for it.
                        let label = if card.offer == Some(Offer::Order) {
                            td_string!(locale, bartender.order_confirm)
                        } else {
                            td_string!(locale, bartender.order_this)
                        };
                        let placed = move || order.value().get().and_then(Result::ok);
                        // Once the app runs, the chat keeps the guest (and offers "Undo"); before
                        // it does, the plain form goes to the server and on to My orders.
                        let started = RwSignal::new(false);
                        Effect::new(move |_| started.set(true));
                        let drink_id = card.drink_id.clone();
                        let form = move || {
                            if let Some(placed) = placed() {
                                return view! { <Ordered order_id=placed.id/> }.into_any();
                            }
                            let (drink_id, key) = (drink_id.clone(), key.clone());
                            view! {
                            <ActionForm action=order attr:class="mt-2">
                                <input type="hidden" name="drink_id" value=drink_id.clone()/>
                                <input type="hidden" name="quantity" value="1"/>
                                <input type="hidden" name="note" value=""/>
                                <input type="hidden" name="idempotency_key" value=key.clone()/>
                                <input type="hidden" name="stay" value=move || if started.get() { "true" } else { "false" }/>
                                <button
                                    type="submit"
                                    disabled=move || order.pending().get() || refusal.with(Option::is_some)
                                    class="min-h-11 rounded-full bg-orange-800 px-5 text-sm font-semibold text-white hover:bg-orange-900 disabled:opacity-60"
                                >
                                    {label}
                                </button>
                                {move || refusal.get().map(|why| view! {
                                    <p data-testid="order-refusal" class="mt-1 text-sm text-amber-900">{why}</p>
                                })}
                            </ActionForm>
                            }.into_any()
                        };
                        form.into_any()
                    }
                    _ => view! { <p class="mt-2 text-sm text-stone-600">{td_string!(locale, bartender.not_available)}</p> }.into_any(),
                }}
                <div class="mt-2"><FormError error=Signal::derive(error)/></div>
            </div>
        </li>
    }
}

/// How long "Undo" stays after ordering from the chat.
const UNDO_SECONDS: u64 = 10;

/// "Ordered · Undo" in the chat after "Order this" or "Yes, order it": for a few seconds the order
/// can be taken back (cancelled, while it is still queued); then "Ordered · My orders".
#[component]
fn Ordered(order_id: String) -> impl IntoView {
    let undo = ServerAction::<CancelOrder>::new();
    let undone = move || undo.value().get().is_some_and(|r| r.is_ok());
    let error = move || undo.value().get().and_then(Result::err);
    let can_undo = RwSignal::new(true);
    set_timeout(
        move || can_undo.set(false),
        std::time::Duration::from_secs(UNDO_SECONDS),
    );
    let locale = crate::language::current();
    view! {
        <p class="mt-2 flex flex-wrap items-center gap-x-2 text-sm font-medium text-stone-700" role="status" data-testid="ordered">
            {move || if undone() {
                view! { <span>{td_string!(locale, bartender.undone)}</span> }.into_any()
            } else {
                let order_id = order_id.clone();
                view! {
                    <span>{td_string!(locale, bartender.ordered)}</span>
                    <span aria-hidden="true">"·"</span>
                    {move || if can_undo.get() {
                        let order_id = order_id.clone();
                        view! {
                            <button
                                type="button"
                                disabled=move || undo.pending().get()
                                on:click=move |_| { undo.dispatch(CancelOrder { order_id: order_id.clone() }); }
                                class="min-h-11 rounded-full px-4 font-semibold text-orange-900 underline underline-offset-2 hover:bg-orange-50 disabled:opacity-60"
                            >
                                {td_string!(locale, bartender.undo)}
                            </button>
                        }.into_any()
                    } else {
                        view! {
                            <a href="/orders" class="inline-flex min-h-11 items-center font-semibold text-orange-900 underline underline-offset-2">
                                {td_string!(locale, bartender.see_orders)}
                            </a>
                        }.into_any()
                    }}
                }.into_any()
            }}
        </p>
        <div class="mt-1"><FormError error=Signal::derive(error)/></div>
    }
}

/// "Yes, cancel it" for the order the guest asked the chat to cancel; "Cancelled." once done.
#[component]
fn CancelOffer(order_id: String) -> impl IntoView {
    let cancel = ServerAction::<CancelOrder>::new();
    let done = move || cancel.value().get().is_some_and(|r| r.is_ok());
    let error = move || cancel.value().get().and_then(Result::err);
    let locale = crate::language::current();
    let offer = move || {
        if done() {
            return view! {
                <p class="mt-2 text-sm font-medium text-stone-700" role="status">{td_string!(locale, bartender.cancelled)}</p>
            }
            .into_any();
        }
        let order_id = order_id.clone();
        view! {
            <ActionForm action=cancel attr:class="mt-2">
                <input type="hidden" name="order_id" value=order_id/>
                <button
                    type="submit"
                    disabled=move || cancel.pending().get()
                    class="min-h-11 rounded-full px-5 text-sm font-semibold text-red-800 ring-1 ring-red-200 hover:bg-red-50 disabled:opacity-60"
                >
                    {td_string!(locale, bartender.cancel_confirm)}
                </button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        {offer}
        <div class="mt-2"><FormError error=Signal::derive(error)/></div>
    }
}

#[component]
fn Profile(
    profile: TasteProfile,
    save: ServerAction<SaveTaste>,
    remove: ServerAction<ForgetTasteTerm>,
    forget: ServerAction<ForgetMe>,
) -> impl IntoView {
    let save_error = move || save.value().get().and_then(Result::err);
    let locale = crate::language::current();
    let learned = profile.learned.clone();
    let learned_ref = &learned;
    let chips: Vec<(&'static str, String, bool)> = [
        (td_string!(locale, bartender.likes), &profile.likes),
        (td_string!(locale, bartender.dislikes), &profile.dislikes),
        (td_string!(locale, bartender.allergy), &profile.allergies),
    ]
    .into_iter()
    .flat_map(|(kind, terms)| {
        terms
            .iter()
            .map(move |t| (kind, t.clone(), learned_ref.contains(t)))
    })
    .collect();
    let has_chips = !chips.is_empty();
    view! {
        <details class="mt-8 rounded-2xl bg-white p-4 ring-1 ring-stone-200">
            <summary class="flex min-h-11 cursor-pointer items-center font-semibold">{td_string!(locale, bartender.your_taste)}</summary>
            <p class="mt-2 text-sm text-stone-600">{td_string!(locale, bartender.taste_about)}</p>
            {has_chips.then(|| view! {
                <ul class="mt-3 flex flex-wrap gap-2" aria-label=td_string!(locale, bartender.knows)>
                    {chips.into_iter().map(|(kind, term, learned)| view! {
                        <li class="flex items-center gap-1 rounded-full bg-stone-100 pl-3 text-sm" data-testid="taste-chip">
                            <span class="text-stone-600">{format!("{kind}:")}</span>
                            <span>{term.clone()}</span>
                            {learned.then(|| view! { <span class="text-xs text-emerald-700">{td_string!(locale, bartender.learned)}</span> })}
                            <ActionForm action=remove>
                                <input type="hidden" name="term" value=term.clone()/>
                                <button type="submit" class="flex size-11 items-center justify-center rounded-full text-lg text-stone-600 hover:bg-stone-200" aria-label={
                                    let term = term.clone();
                                    td_string!(locale, bartender.remove, term).to_string()
                                }>"×"</button>
                            </ActionForm>
                        </li>
                    }).collect_view()}
                </ul>
            })}
            <ActionForm action=save attr:class="mt-4 space-y-3">
                <TermsField id="likes" label=td_string!(locale, bartender.likes) hint=td_string!(locale, bartender.likes_hint) terms=profile.likes.clone()/>
                <TermsField id="dislikes" label=td_string!(locale, bartender.dislikes) hint=td_string!(locale, bartender.dislikes_hint) terms=profile.dislikes.clone()/>
                <TermsField id="allergies" label=td_string!(locale, bartender.allergies) hint=td_string!(locale, bartender.allergies_hint) terms=profile.allergies.clone()/>
                <label class="flex min-h-11 w-fit items-center gap-3 pr-2">
                    <input type="checkbox" name="alcohol_free" value="on" checked=profile.alcohol_free class="size-5 accent-orange-800"/>
                    <span>{td_string!(locale, bartender.alcohol_free_only)}</span>
                </label>
                <div>
                    <label for="strength" class="block text-sm font-medium text-stone-700">{td_string!(locale, bartender.strength)}</label>
                    <select id="strength" name="strength" class="mt-1 min-h-11 w-full rounded-xl border border-stone-300 bg-white px-3 py-2">
                        {Strength::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=s == profile.strength>{s.label(locale)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <FormError error=Signal::derive(save_error)/>
                <SubmitButton label=td_string!(locale, bartender.save) pending=save.pending()/>
            </ActionForm>
            <div class="mt-6 border-t border-stone-200 pt-4">
                <p class="text-sm text-stone-600">{td_string!(locale, bartender.forget_about)}</p>
                <button
                    type="button"
                    class="mt-2 min-h-11 rounded-full px-4 text-sm font-medium text-red-800 ring-1 ring-red-200 hover:bg-red-50"
                    on:click=move |_| {
                        if confirm(td_string!(locale, bartender.forget_confirm)) {
                            forget.dispatch(ForgetMe {});
                        }
                    }
                >
                    {td_string!(locale, bartender.forget)}
                </button>
            </div>
        </details>
    }
    .into_any()
}

#[component]
fn TermsField(
    id: &'static str,
    label: &'static str,
    hint: &'static str,
    terms: Vec<String>,
) -> impl IntoView {
    view! {
        <div>
            <label for=id class="block text-sm font-medium text-stone-700">{label}</label>
            <input id=id name=id value=terms.join(", ") placeholder=hint class="mt-1 min-h-11 w-full rounded-xl border border-stone-300 bg-white px-3 py-2"/>
        </div>
    }
}
