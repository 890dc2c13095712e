#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| app::backend::fuzz::menu_query(data));
