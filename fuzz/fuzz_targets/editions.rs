//! Fuzz target `editions`: whatever days parsing yields, every edition writes them, every
//! XML document written is well-formed, and the text edition of an error-free parse reads
//! back to the same days (positions aside) and is a fixpoint (the checks in `../check.rs`).

#![no_main]

#[path = "../check.rs"]
mod check;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(why) = check::check(data) {
        panic!("{why}");
    }
});
