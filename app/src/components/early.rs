//! Nothing typed early is lost. On a slow phone the page is on screen seconds before its code has
//! started; a guest types and taps in that time. A few lines of plain script, inlined in every
//! page's head (with the page's CSP nonce), hold what happens until then:
//!
//! - what is typed into a field is remembered, and once the app has started it is put back and
//!   announced with an `input` event, so the app's own handlers see it (hydration resets fields
//!   the app controls);
//! - a form marked `data-needs-app` (one with no plain-HTML path, like the bartender chat) is not
//!   sent away by the browser: it is held and submitted again once the app runs;
//! - Enter in a field marked `data-enter-sends` submits its form, as it will with the app.
//!
//! Forms with a plain-HTML path (join, order, search) go to the server as they always could.
//! The browser entry (`frontend`) calls `window.__barbackStarted()` after hydrating.

/// The cookie that tells the server the browser's clock (minutes east of UTC), so the host's
/// stats read in local time.
pub const CLOCK_COOKIE: &str = "barback_clock";

/// The script, inlined as is (as the inner HTML of its `<script>`, so it must never contain `</`).
pub const EARLY_INPUT_SCRIPT: &str = "(function(){\
var w=window,d=document,typed=new Map();\
d.cookie='barback_clock='+(-new Date().getTimezoneOffset())+';path=/;max-age=31536000;samesite=lax';\
function live(){return w.__barbackLive===true}\
function remember(e){var t=e.target;if(!live()&&t&&t.form!==undefined&&'value' in t){typed.set(t,[t.value,t.checked])}}\
d.addEventListener('input',remember,true);\
d.addEventListener('change',remember,true);\
d.addEventListener('submit',function(e){var f=e.target;if(!live()&&f.hasAttribute('data-needs-app')){e.preventDefault();f.setAttribute('data-pending','')}},true);\
d.addEventListener('keydown',function(e){var t=e.target;if(!live()&&e.key==='Enter'&&!e.shiftKey&&!e.isComposing&&t.form&&t.hasAttribute('data-enter-sends')){e.preventDefault();remember(e);t.form.requestSubmit()}},true);\
function restore(){\
typed.forEach(function(v,t){if(!t.isConnected){return}if(t.type==='checkbox'||t.type==='radio'){t.checked=v[1]}else{t.value=v[0]}\
t.dispatchEvent(new Event('input',{bubbles:true}));t.dispatchEvent(new Event('change',{bubbles:true}))});\
typed.clear();\
d.querySelectorAll('form[data-pending]').forEach(function(f){f.removeAttribute('data-pending');f.requestSubmit()})}\
w.__barbackStarted=function(){w.__barbackLive=true;requestAnimationFrame(function(){setTimeout(restore,0)})}\
})()";

/// Where the guest's own pick of light or dark is kept, in the browser (`localStorage`).
pub const THEME_KEY: &str = "barback_theme";

/// Light or dark (`style/colors.css`): the browser's preference, unless the guest picked one with
/// the switch (`components::ThemeSwitch`). The pick is put on `<html data-theme>` before the body
/// is drawn, so a dark page never flashes light; the switch works from the first paint, without
/// waiting for the app's code.
pub const THEME_SCRIPT: &str = "(function(){\
var d=document,r=d.documentElement,k='barback_theme';\
try{var t=localStorage.getItem(k);if(t==='light'||t==='dark'){r.setAttribute('data-theme',t)}}catch(e){}\
d.addEventListener('click',function(e){\
var b=e.target&&e.target.closest?e.target.closest('[data-theme-switch]'):null;if(!b){return}\
var now=r.getAttribute('data-theme')||(matchMedia('(prefers-color-scheme: dark)').matches?'dark':'light');\
var t=now==='dark'?'light':'dark';r.setAttribute('data-theme',t);\
try{localStorage.setItem(k,t)}catch(e){}})\
})()";

/// Installs the service worker (`/sw.js`: the app shell for a dead network, see
/// `backend::offline`) once the page has loaded, so it never competes with the page's own code.
pub const SERVICE_WORKER_SCRIPT: &str = "if('serviceWorker' in navigator){\
addEventListener('load',function(){navigator.serviceWorker.register('/sw.js').catch(function(e){console.warn('no offline support:',e)})})}";

#[cfg(test)]
mod tests {
    #[test]
    fn the_scripts_cannot_end_their_element_early() {
        assert!(super::EARLY_INPUT_SCRIPT.contains(&format!("'{}='", super::CLOCK_COOKIE)));
        assert!(super::THEME_SCRIPT.contains(&format!("k='{}'", super::THEME_KEY)));
        for script in [
            super::EARLY_INPUT_SCRIPT,
            super::THEME_SCRIPT,
            super::SERVICE_WORKER_SCRIPT,
        ] {
            assert!(!script.contains("</"));
            assert!(!script.contains("<!--"));
        }
    }
}
