//! The photo picker on the drink editor: ask for an upload URL, PUT the file straight to storage
//! with a progress bar, then have the server finalise it.

#[cfg(feature = "hydrate")]
use crate::api::photos::{attach_photo, photo_upload};
#[cfg(feature = "hydrate")]
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn PhotoPicker(drink_id: String, image: String) -> impl IntoView {
    let image = RwSignal::new(image);
    let progress = RwSignal::new(None::<f64>);
    let error = RwSignal::new(None::<String>);
    let locale = crate::language::current();
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let file = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|input| input.files())
                .and_then(|files| files.get(0));
            if let Some(file) = file {
                let drink_id = drink_id.clone();
                error.set(None);
                progress.set(Some(0.0));
                leptos::task::spawn_local(async move {
                    match send(&drink_id, file, progress).await {
                        Ok(url) => image.set(url),
                        Err(err) => error.set(Some(err.to_string())),
                    }
                    progress.set(None);
                });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, &drink_id);
    };
    view! {
        <div class="flex items-center gap-4">
            <img src=move || image.get() srcset=move || crate::model::image_srcset(&image.get()) sizes="96px"
                alt="" width="96" height="115" class="h-28 w-24 rounded-xl bg-stone-100 object-cover" data-testid="photo-preview"/>
            <div class="flex-1">
                <label for="photo" class="block text-sm font-medium text-stone-700">{td_string!(locale, admin.photo)}</label>
                <input id="photo" type="file" accept="image/jpeg,image/png,image/webp" on:change=on_change class="mt-1 block w-full text-sm"/>
                {move || progress.get().map(|p| view! {
                    <progress class="mt-2 w-full" max="100" value=format!("{:.0}", p * 100.0) aria-label=td_string!(locale, admin.upload_progress)></progress>
                })}
                {move || error.get().map(|e| view! { <p role="alert" class="mt-2 text-sm text-red-800">{e}</p> })}
                <noscript><p class="mt-1 text-xs text-stone-600">{td_string!(locale, admin.photo_needs_js)}</p></noscript>
            </div>
        </div>
    }
}

#[cfg(feature = "hydrate")]
async fn send(
    drink_id: &str,
    file: web_sys::File,
    progress: RwSignal<Option<f64>>,
) -> Result<String, AppError> {
    let upload = photo_upload(drink_id.to_string(), file.type_(), file.size() as u64).await?;
    put_with_progress(&upload.url, &upload.content_type, &file, progress).await?;
    attach_photo(drink_id.to_string(), upload.key).await
}

/// `fetch` cannot report upload progress; `XMLHttpRequest` can.
#[cfg(feature = "hydrate")]
async fn put_with_progress(
    url: &str,
    content_type: &str,
    file: &web_sys::File,
    progress: RwSignal<Option<f64>>,
) -> Result<(), AppError> {
    use wasm_bindgen::{closure::Closure, JsCast};
    let failed = |_| AppError::Network("the upload did not go through".into());
    let xhr = web_sys::XmlHttpRequest::new().map_err(failed)?;
    xhr.open("PUT", url).map_err(failed)?;
    xhr.set_request_header("Content-Type", content_type)
        .map_err(failed)?;
    let on_progress =
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |ev: web_sys::ProgressEvent| {
            if ev.length_computable() && ev.total() > 0.0 {
                progress.set(Some(ev.loaded() / ev.total()));
            }
        });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    }
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        xhr.set_onload(Some(&resolve));
        xhr.set_onerror(Some(&reject));
    });
    xhr.send_with_opt_blob(Some(file)).map_err(failed)?;
    wasm_bindgen_futures::JsFuture::from(done)
        .await
        .map_err(failed)?;
    drop(on_progress);
    match xhr.status().unwrap_or(0) {
        200..=299 => Ok(()),
        status => {
            let text = xhr.response_text().ok().flatten().unwrap_or_default();
            let message = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| v["message"].as_str().map(str::to_string))
                .unwrap_or_else(|| format!("the upload was refused ({status})"));
            Err(AppError::invalid("photo", message))
        }
    }
}
