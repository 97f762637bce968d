#![no_main]
// See fuzz_targets::huffman for the input layout and the checks.
libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_targets::huffman(data));
