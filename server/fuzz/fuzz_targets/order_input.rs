#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| app::backend::fuzz::order_input(data));
