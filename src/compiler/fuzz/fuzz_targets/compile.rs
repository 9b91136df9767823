// SPDX-License-Identifier: GPL-2.0

//! Fuzz the policy compiler: any text either compiles to a policy the
//! validator accepts, or yields diagnostics; it never panics.

#![no_main]

use carapace_core::policy::PolicyDb;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // No includes: the fuzzer must not read files.
    if text.contains("include") {
        return;
    }
    match carapace_compiler::compile_str("fuzz.cpol", text) {
        Ok(out) => {
            let db = PolicyDb::parse(&out.binary).expect("compiled policy must validate");
            let _ = db.type_count();
        }
        Err(e) => {
            assert!(!e.render().is_empty());
        }
    }
});
