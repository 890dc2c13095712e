//! `/admin/menu` (sections and drinks, reorder, hide, delete) and `/admin/menu/drinks/{id}` (edit;
//! `new` creates). Every form also works without JavaScript.

use super::{admin_error, AdminNav};
use crate::api::admin_menu::{
    load_admin_menu, load_drink_form, CreateSection, DeleteDrink, DeleteSection, MoveDrink,
    MoveSection, RenameSection, SaveDrink, ShowDrink, ShowSection,
};
use crate::components::{FormError, SubmitButton};
use crate::domain::{DrinkForm, LineForm, GLASSES};
use crate::error::AppError;
use crate::i18n::*;
use crate::model::{AdminDrink, AdminMenu, AdminSection, Direction, ProposedPhoto};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

const SMALL: &str =
    "rounded-full px-2.5 py-1 text-xs font-medium ring-1 ring-stone-300 hover:bg-stone-100";

/// ↑ and ↓ for a list whose move action takes `id` and `direction`.
macro_rules! move_buttons {
    ($action:expr, $id:expr) => {
        Direction::BOTH
            .into_iter()
            .map(|direction| {
                let id = $id.clone();
                view! {
                    <ActionForm action=$action>
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="direction" value=direction.as_str()/>
                        <button type="submit" class=SMALL aria-label=direction.label(crate::language::current())>
                            {direction.arrow()}
                        </button>
                    </ActionForm>
                }
            })
            .collect_view()
    };
}

/// All the menu editor's actions, created once and shared by every row.
#[derive(Clone, Copy)]
struct Actions {
    create_section: ServerAction<CreateSection>,
    rename_section: ServerAction<RenameSection>,
    show_section: ServerAction<ShowSection>,
    delete_section: ServerAction<DeleteSection>,
    move_section: ServerAction<MoveSection>,
    show_drink: ServerAction<ShowDrink>,
    delete_drink: ServerAction<DeleteDrink>,
    move_drink: ServerAction<MoveDrink>,
}

impl Actions {
    fn new() -> Self {
        Actions {
            create_section: ServerAction::new(),
            rename_section: ServerAction::new(),
            show_section: ServerAction::new(),
            delete_section: ServerAction::new(),
            move_section: ServerAction::new(),
            show_drink: ServerAction::new(),
            delete_drink: ServerAction::new(),
            move_drink: ServerAction::new(),
        }
    }

    fn version(&self) -> usize {
        self.create_section.version().get()
            + self.rename_section.version().get()
            + self.show_section.version().get()
            + self.delete_section.version().get()
            + self.move_section.version().get()
            + self.show_drink.version().get()
            + self.delete_drink.version().get()
            + self.move_drink.version().get()
    }

    fn error(&self) -> Option<AppError> {
        fn err<T>(v: Option<Result<T, AppError>>) -> Option<AppError> {
            v.and_then(Result::err)
        }
        err(self.create_section.value().get())
            .or_else(|| err(self.rename_section.value().get()))
            .or_else(|| err(self.show_section.value().get()))
            .or_else(|| err(self.delete_section.value().get()))
            .or_else(|| err(self.move_section.value().get()))
            .or_else(|| err(self.show_drink.value().get()))
            .or_else(|| err(self.delete_drink.value().get()))
            .or_else(|| err(self.move_drink.value().get()))
    }
}

#[component]
pub fn MenuAdminPage() -> impl IntoView {
    let actions = Actions::new();
    let menu = Resource::new(move || actions.version(), |_| load_admin_menu());
    let locale = crate::language::current();
    view! {
        <Title text=td_string!(locale, admin.menu)/>
        <AdminNav/>
        <div class="mt-4 flex items-center justify-between gap-2">
            <h1 class="text-2xl font-bold">{td_string!(locale, admin.menu)}</h1>
            <a href="/admin/menu/drinks/new" class="rounded-full bg-orange-800 px-4 py-2 text-sm font-semibold text-white">{td_string!(locale, admin.new_drink)}</a>
        </div>
        <FormError error=Signal::derive(move || actions.error())/>
        <ActionForm action=actions.create_section attr:class="mt-4 flex gap-2">
            <label for="new-section" class="sr-only">{td_string!(locale, admin.new_section)}</label>
            <input id="new-section" name="name" placeholder=td_string!(locale, admin.new_section_hint) required maxlength="60"
                class="min-w-0 flex-1 rounded-full border border-stone-300 bg-white px-4 py-2"/>
            <button type="submit" class="rounded-full px-4 py-2 text-sm font-medium ring-1 ring-stone-300">{td_string!(locale, admin.add_section)}</button>
        </ActionForm>
        <Transition fallback=move || view! { <p class="mt-6 text-stone-600">{td_string!(locale, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match menu.await {
                    Err(error) => admin_error(error),
                    Ok(menu) => view! { <Sections menu actions/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Sections(menu: AdminMenu, actions: Actions) -> impl IntoView {
    let AdminMenu {
        sections, drinks, ..
    } = menu;
    sections
        .into_iter()
        .map(|section| {
            let mine: Vec<AdminDrink> = drinks
                .iter()
                .filter(|d| d.section_id == section.id)
                .cloned()
                .collect();
            view! { <SectionBlock section drinks=mine actions/> }
        })
        .collect_view()
}

#[component]
fn SectionBlock(section: AdminSection, drinks: Vec<AdminDrink>, actions: Actions) -> impl IntoView {
    let AdminSection { id, name, active } = section;
    let hidden = !active;
    let (rename_id, name_input_id, move_id, show_id) =
        (id.clone(), format!("name-{id}"), id.clone(), id.clone());
    let name_label_for = name_input_id.clone();
    let name_value = name.clone();
    let locale = crate::language::current();
    view! {
        <section class="mt-6 rounded-2xl bg-white p-4 ring-1 ring-stone-200" aria-label=name data-testid="admin-section">
            <div class="flex flex-wrap items-center gap-2">
                <ActionForm action=actions.rename_section attr:class="flex min-w-0 flex-1 gap-2">
                    <input type="hidden" name="id" value=rename_id/>
                    <label class="sr-only" for=name_label_for>{td_string!(locale, admin.section_name)}</label>
                    <input id=name_input_id name="name" value=name_value required maxlength="60"
                        class="min-w-0 flex-1 rounded-lg border border-transparent px-2 py-1 text-lg font-bold hover:border-stone-300"/>
                    <button type="submit" class=SMALL>{td_string!(locale, admin.rename)}</button>
                </ActionForm>
                {hidden.then(|| view! { <span class="rounded-full bg-stone-200 px-2 py-0.5 text-xs">{td_string!(locale, admin.hidden)}</span> })}
                {move_buttons!(actions.move_section, move_id)}
                <ActionForm action=actions.show_section>
                    <input type="hidden" name="id" value=show_id/>
                    <input type="hidden" name="active" value=hidden.to_string()/>
                    <button type="submit" class=SMALL>{if hidden { td_string!(locale, admin.show) } else { td_string!(locale, admin.hide) }}</button>
                </ActionForm>
                <ActionForm action=actions.delete_section>
                    <input type="hidden" name="id" value=id/>
                    <button type="submit" class=SMALL>{td_string!(locale, admin.delete)}</button>
                </ActionForm>
            </div>
            {if drinks.is_empty() {
                view! { <p class="mt-2 text-sm text-stone-600">{td_string!(locale, admin.no_drinks)}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-2 divide-y divide-stone-100">
                        {drinks.into_iter().map(|drink| view! { <DrinkRow drink actions/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn DrinkRow(drink: AdminDrink, actions: Actions) -> impl IntoView {
    let AdminDrink {
        id,
        name,
        active,
        image,
        ..
    } = drink;
    let hidden = !active;
    let locale = crate::language::current();
    let verb = if hidden {
        td_string!(locale, admin.show)
    } else {
        td_string!(locale, admin.hide)
    };
    let (move_id, show_id) = (id.clone(), id.clone());
    let show_label = if hidden {
        td_string!(locale, admin.show_drink, name = name.clone()).to_string()
    } else {
        td_string!(locale, admin.hide_drink, name = name.clone()).to_string()
    };
    let delete_label = td_string!(locale, admin.delete_drink, name = name.clone()).to_string();
    view! {
        <li class="flex flex-wrap items-center gap-2 py-2" data-testid="admin-drink">
            <img src=image alt="" width="32" height="38" class="h-10 w-8 rounded object-cover"/>
            <a href=format!("/admin/menu/drinks/{id}") class="min-w-0 flex-1 font-medium hover:underline" class:text-stone-500=hidden>
                {name}
            </a>
            {hidden.then(|| view! { <span class="rounded-full bg-stone-200 px-2 py-0.5 text-xs">{td_string!(locale, admin.hidden)}</span> })}
            {move_buttons!(actions.move_drink, move_id)}
            <ActionForm action=actions.show_drink>
                <input type="hidden" name="id" value=show_id/>
                <input type="hidden" name="active" value=hidden.to_string()/>
                <button type="submit" class=SMALL aria-label=show_label>{verb}</button>
            </ActionForm>
            <ActionForm action=actions.delete_drink>
                <input type="hidden" name="id" value=id/>
                <button type="submit" class=SMALL aria-label=delete_label>{td_string!(locale, admin.delete)}</button>
            </ActionForm>
        </li>
    }
}

#[component]
pub fn DrinkEditPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let data = Resource::new(id, |id| async move {
        let menu = load_admin_menu().await?;
        let form = if id == "new" {
            DrinkForm {
                section_id: menu
                    .sections
                    .first()
                    .map(|s| s.id.clone())
                    .unwrap_or_default(),
                abv: "0".into(),
                glass: "rocks".into(),
                color: "#d97706".into(),
                ..DrinkForm::default()
            }
        } else {
            load_drink_form(id).await?
        };
        Ok::<_, AppError>((menu, form))
    });
    let save = ServerAction::<SaveDrink>::new();
    let locale = crate::language::current();
    view! {
        <AdminNav/>
        <Transition fallback=move || view! { <p class="mt-6 text-stone-600">{td_string!(locale, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => admin_error(error),
                    Ok((menu, form)) => {
                        let drink_id = form.id.clone();
                        view! {
                            <DrinkEditor menu form save/>
                            {(!drink_id.is_empty()).then(|| view! { <ImagePromptPanel drink_id/> })}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The drink's photo prompt, written in the background after the drink was created.
#[component]
fn ImagePromptPanel(drink_id: String) -> impl IntoView {
    use crate::api::admin_menu::drink_image_prompt;
    use crate::model::JobState;
    let check = RwSignal::new(0u32);
    let panel_drink = drink_id.clone();
    let prompt = Resource::new(
        move || check.get(),
        move |_| drink_image_prompt(drink_id.clone()),
    );
    let locale = crate::language::current();
    view! {
        <section class="mt-8 rounded-2xl bg-white p-4 ring-1 ring-stone-200" aria-labelledby="photo-prompt" data-testid="image-prompt">
            <div class="flex items-center justify-between gap-3">
                <h2 id="photo-prompt" class="text-lg font-semibold">{td_string!(locale, admin.photo_prompt)}</h2>
                <button type="button" class="rounded-full px-3 py-1 text-sm ring-1 ring-stone-300 hover:bg-stone-100" on:click=move |_| check.update(|n| *n += 1)>
                    {td_string!(locale, admin.check_again)}
                </button>
            </div>
            <Transition fallback=move || view! { <p class="mt-2 text-sm text-stone-600">{td_string!(locale, common.loading)}</p> }>
                {move || { let panel_drink = panel_drink.clone(); Suspend::new(async move {
                    match prompt.await {
                        Err(error) => view! { <p class="mt-2 text-sm text-red-800">{error.sentence_in(locale)}</p> }.into_any(),
                        Ok(found) => {
                            let state = match found.job {
                                None => td_string!(locale, admin.prompt_none).to_string(),
                                Some(JobState::Pending { attempts: 0 }) => td_string!(locale, admin.prompt_waiting).to_string(),
                                Some(JobState::Pending { attempts }) => td_string!(locale, admin.prompt_pending, attempts).to_string(),
                                Some(JobState::Done) => td_string!(locale, admin.prompt_done).to_string(),
                                Some(JobState::Failed { attempts, error }) => td_string!(locale, admin.prompt_failed, attempts, error).to_string(),
                            };
                            let making = match (&found.proposed, found.photo_job) {
                                (None, Some(JobState::Pending { .. })) => Some(td_string!(locale, admin.photo_making).to_string()),
                                (None, Some(JobState::Failed { error, .. })) => Some(td_string!(locale, admin.photo_failed, error).to_string()),
                                _ => None,
                            };
                            let drink_id = panel_drink.clone();
                            view! {
                                <p class="mt-2 text-sm text-stone-600" data-testid="image-prompt-state">{state}</p>
                                {found.prompt.map(|p| view! { <p class="mt-2 whitespace-pre-line rounded-xl bg-stone-50 p-3 text-sm" data-testid="image-prompt-text">{p}</p> })}
                                {making.map(|m| view! { <p class="mt-2 text-sm text-stone-600" data-testid="proposed-photo-state">{m}</p> })}
                                {found.proposed.map(|photo| view! { <ProposedPhotoView drink_id photo/> })}
                            }.into_any()
                        }
                    }
                })}}
            </Transition>
        </section>
    }
}

/// The photo an image model made from the prompt: the host approves it (it becomes the drink's
/// picture) or discards it.
#[component]
fn ProposedPhotoView(drink_id: String, photo: ProposedPhoto) -> impl IntoView {
    use crate::api::admin_menu::{ApprovePhoto, DiscardPhoto};
    let approve = ServerAction::<ApprovePhoto>::new();
    let discard = ServerAction::<DiscardPhoto>::new();
    let error = move || {
        approve
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| discard.value().get().and_then(Result::err))
    };
    let decided = move || {
        let locale = crate::language::current();
        if approve.value().get().is_some_and(|r| r.is_ok()) {
            Some(td_string!(locale, admin.photo_approved))
        } else if discard.value().get().is_some_and(|r| r.is_ok()) {
            Some(td_string!(locale, admin.photo_discarded))
        } else {
            None
        }
    };
    let pending = move || approve.pending().get() || discard.pending().get();
    let locale = crate::language::current();
    let model = crate::model::model_name(&photo.model).to_string();
    let (image, approve_image, discard_image) =
        (photo.image.clone(), photo.image.clone(), photo.image);
    let (approve_id, discard_id) = (drink_id.clone(), drink_id);
    view! {
        <div class="mt-4 border-t border-stone-200 pt-4" data-testid="proposed-photo">
            <h3 class="font-semibold">{td_string!(locale, admin.proposed_photo)}</h3>
            <p class="mt-1 text-sm text-stone-600">{td_string!(locale, admin.proposed_by, model)}</p>
            <img src=image.clone() srcset=crate::model::image_srcset(&image) sizes="(min-width: 640px) 320px, 80vw" alt=td_string!(locale, admin.proposed_photo) width="320" height="400" class="mt-3 aspect-[4/5] w-full max-w-80 rounded-xl bg-stone-100 object-cover"/>
            {move || match decided() {
                Some(done) => view! { <p class="mt-3 text-sm font-medium" role="status">{done}</p> }.into_any(),
                None => {
                    let (approve_id, discard_id) = (approve_id.clone(), discard_id.clone());
                    let (approve_image, discard_image) = (approve_image.clone(), discard_image.clone());
                    view! {
                        <div class="mt-3 flex flex-wrap gap-2">
                            <button type="button" disabled=pending class="min-h-11 rounded-full bg-orange-800 px-5 font-semibold text-white hover:bg-orange-900 disabled:opacity-60"
                                on:click=move |_| { approve.dispatch(ApprovePhoto { id: approve_id.clone(), image: approve_image.clone() }); }>
                                {td_string!(locale, admin.approve_photo)}
                            </button>
                            <button type="button" disabled=pending class="min-h-11 rounded-full px-5 font-medium text-red-800 ring-1 ring-red-200 hover:bg-red-50 disabled:opacity-60"
                                on:click=move |_| { discard.dispatch(DiscardPhoto { id: discard_id.clone(), image: discard_image.clone() }); }>
                                {td_string!(locale, admin.discard_photo)}
                            </button>
                        </div>
                    }.into_any()
                }
            }}
            <div class="mt-2"><FormError error=Signal::derive(error)/></div>
        </div>
    }
}

#[component]
fn DrinkEditor(menu: AdminMenu, form: DrinkForm, save: ServerAction<SaveDrink>) -> impl IntoView {
    let locale = crate::language::current();
    let title = if form.id.is_empty() {
        td_string!(locale, admin.new_drink).to_string()
    } else {
        td_string!(locale, admin.edit_drink, name = form.name.clone()).to_string()
    };
    // Existing lines plus blank rows; "Add ingredient" adds more once the page is interactive.
    let rows = RwSignal::new(form.lines.len() + 3);
    let lines = form.lines.clone();
    let field = "mt-1 w-full rounded-xl border border-stone-300 bg-white px-3 py-2";
    let label = "block text-sm font-medium text-stone-700";
    view! {
        <Title text=title.clone()/>
        <h1 class="mt-4 text-2xl font-bold">{title}</h1>
        {(!form.id.is_empty()).then(|| {
            let image = menu.drinks.iter().find(|d| d.id == form.id).map(|d| d.image.clone()).unwrap_or_default();
            view! {
                <div class="mt-4 rounded-2xl bg-white p-4 ring-1 ring-stone-200">
                    <crate::components::upload::PhotoPicker drink_id=form.id.clone() image/>
                </div>
            }
        })}
        <datalist id="ingredient-names">
            {menu.ingredients.iter().map(|name| view! { <option value=name.clone()></option> }).collect_view()}
        </datalist>
        <ActionForm action=save attr:class="mt-4 space-y-4 rounded-2xl bg-white p-4 ring-1 ring-stone-200">
            <input type="hidden" name="form[id]" value=form.id.clone()/>
            <div class="grid gap-4 sm:grid-cols-2">
                <div>
                    <label for="drink-name" class=label>{td_string!(locale, admin.name)}</label>
                    <input id="drink-name" name="form[name]" value=form.name.clone() required maxlength="60" class=field/>
                </div>
                <div>
                    <label for="drink-section" class=label>{td_string!(locale, admin.section)}</label>
                    <select id="drink-section" name="form[section_id]" class=field>
                        {menu.sections.iter().map(|s| view! {
                            <option value=s.id.clone() selected=s.id == form.section_id>{s.name.clone()}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <div>
                <label for="drink-description" class=label>{td_string!(locale, admin.description)}</label>
                <textarea id="drink-description" name="form[description]" maxlength="300" rows="2" class=field>{form.description.clone()}</textarea>
            </div>
            <div class="grid gap-4 sm:grid-cols-3">
                <div>
                    <label for="drink-abv" class=label>{td_string!(locale, admin.abv)}</label>
                    <input id="drink-abv" name="form[abv]" value=form.abv.clone() inputmode="decimal" required class=field/>
                </div>
                <div>
                    <label for="drink-glass" class=label>{td_string!(locale, admin.glass)}</label>
                    <select id="drink-glass" name="form[glass]" class=field>
                        {GLASSES.iter().map(|g| view! { <option value=*g selected=*g == form.glass>{*g}</option> }).collect_view()}
                    </select>
                </div>
                <div>
                    <label for="drink-color" class=label>{td_string!(locale, admin.colour)}</label>
                    <input id="drink-color" name="form[color]" type="color" value=form.color.clone() class="mt-1 h-10 w-full rounded-xl"/>
                </div>
            </div>
            <div>
                <label for="drink-tags" class=label>{td_string!(locale, admin.tags)}</label>
                <input id="drink-tags" name="form[tags]" value=form.tags.clone() placeholder=td_string!(locale, admin.tags_hint) class=field/>
            </div>
            <fieldset>
                <legend class=label>{td_string!(locale, admin.ingredients_legend)}</legend>
                <div class="mt-1 space-y-2">
                    {move || (0..rows.get()).map(|i| {
                        let line = lines.get(i).cloned().unwrap_or_default();
                        view! { <LineRow i line/> }
                    }).collect_view()}
                </div>
                <button type="button" class="mt-2 text-sm font-medium text-orange-900 underline" on:click=move |_| rows.update(|n| *n += 1)>
                    {td_string!(locale, admin.add_ingredient)}
                </button>
            </fieldset>
            <div>
                <label for="drink-steps" class=label>{td_string!(locale, admin.steps)}</label>
                <textarea id="drink-steps" name="form[steps]" rows="4" class=field>{form.steps.clone()}</textarea>
            </div>
            <div>
                <label for="drink-options" class=label>{td_string!(locale, admin.options)}</label>
                <textarea
                    id="drink-options"
                    name="form[options]"
                    rows="3"
                    placeholder=td_string!(locale, admin.options_hint)
                    aria-describedby="drink-options-help"
                    class=field
                >{form.options.clone()}</textarea>
                <p id="drink-options-help" class="mt-1 text-xs text-stone-600">
                    {td_string!(locale, admin.options_help)}
                </p>
            </div>
            <FormError error=Signal::derive(move || save.value().get().and_then(Result::err))/>
            <SubmitButton label=td_string!(locale, admin.save_drink) pending=save.pending()/>
        </ActionForm>
    }
}

#[component]
fn LineRow(i: usize, line: LineForm) -> impl IntoView {
    let input = "w-full rounded-lg border border-stone-300 bg-white px-2 py-1.5";
    let n = i + 1;
    let locale = crate::language::current();
    view! {
        <div class="grid grid-cols-12 items-center gap-2" data-testid="line">
            <input name=format!("form[lines][{i}][ingredient]") value=line.ingredient list="ingredient-names"
                aria-label=td_string!(locale, admin.ingredient_n, n).to_string() placeholder=td_string!(locale, admin.ingredient) class=format!("col-span-5 {input}")/>
            <input name=format!("form[lines][{i}][amount]") value=line.amount inputmode="decimal"
                aria-label=td_string!(locale, admin.amount_n, n).to_string() placeholder="45" class=format!("col-span-2 {input}")/>
            <input name=format!("form[lines][{i}][unit]") value=line.unit
                aria-label=td_string!(locale, admin.unit_n, n).to_string() placeholder="ml" class=format!("col-span-3 {input}")/>
            <label class="col-span-2 flex items-center gap-1 text-xs text-stone-600">
                <input type="checkbox" name=format!("form[lines][{i}][optional]") checked=line.optional.is_some()/>
                {td_string!(locale, admin.optional)}
            </label>
        </div>
    }
}
