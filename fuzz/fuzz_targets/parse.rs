//! Fuzz target `parse`: any bytes are a file daybook may be handed; parsing never panics.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parsed = daybook::syntax::parse(data);
    // A file that yields no day says why (DB0001 or DB0002 at least).
    assert!(!parsed.days.is_empty() || parsed.has_errors());
    for diagnostic in &parsed.diagnostics {
        assert!(
            diagnostic.line >= 1 && diagnostic.column >= 1,
            "{diagnostic:?}"
        );
    }
});
