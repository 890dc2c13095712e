#![recursion_limit = "512"]
//! The browser entry point: hydrate the server-rendered page (waiting for the code of an
//! on-demand page first), then hand over what the guest typed or submitted while the code was
//! loading (see `app::components::early`).

use wasm_bindgen::JsCast;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let Some(body) = leptos::prelude::document().body() else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        leptos::mount::hydrate_from_async(body, app::App)
            .await
            .forget();
        started();
    });
}

/// Tells the page's early-input script that the app now handles input.
fn started() {
    let started = js_sys::Reflect::get(&js_sys::global(), &"__barbackStarted".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(started) = started {
        let _ = started.call0(&wasm_bindgen::JsValue::NULL);
    }
}
