//! Publication dates as any metadata field may hold them. No string may panic, and what comes
//! back is ISO 8601 that reads back as itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stancer::input::date::{iso_week, normalize};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Some(d) = normalize(s) {
        assert!(d.len() >= 10 && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-', "{s:?} -> {d}");
        assert_eq!(normalize(&d).as_deref(), Some(d.as_str()), "{s:?} -> {d} is not a fixed point");
        assert!(iso_week(&d).is_some(), "{d}");
    }
});
