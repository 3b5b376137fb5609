//! Feature hashing: a template id and its values mixed into one u64 whose top bits pick the
//! weight bucket.

/// The FNV-1a offset basis.
pub const FNV: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a over bytes, from the offset basis.
pub fn text(s: &str) -> u64 {
    bytes(FNV, s.as_bytes())
}

/// FNV-1a continued over `b` from `h`.
pub fn bytes(h: u64, b: &[u8]) -> u64 {
    b.iter()
        .fold(h, |h, &b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

/// Mixes values into a feature hash whose top bits pick the bucket.
pub fn mix(parts: &[u64]) -> u64 {
    let mut h = FNV;
    for &p in parts {
        h = (h ^ p).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        h ^= h >> 29;
    }
    h.wrapping_mul(0xbf58_476d_1ce4_e5b9)
}
