#![no_main]
// See fuzz_targets::eg for the input layout and the checks.
libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_targets::eg(data));
