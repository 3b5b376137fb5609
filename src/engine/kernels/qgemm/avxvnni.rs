//! The AVX-VNNI kernel (the VEX form of `vpdpbusd`: Alder Lake and later, Zen 5), for CPUs that
//! have it without AVX512-VNNI: the AVX2 kernel's tiles with one instruction per step instead of
//! two, on the 8-bit weights the VNNI and AMX kernels read (exact: it adds in i32).

use std::arch::x86_64::*;

use super::avx2::{tiles, Dot};
use super::{QRows, QWeights};

/// `vpdpbusd` on 256 bits.
struct DpBusd;

impl Dot for DpBusd {
    #[inline(always)]
    unsafe fn dot(acc: __m256i, x: __m256i, w: __m256i) -> __m256i {
        _mm256_dpbusd_avx_epi32(acc, x, w)
    }
}

/// Rows `r0 .. r0 + n_rows` of the product into `y` (those rows only): `y += x · Wᵀ`.
///
/// # Safety
/// The CPU must have AVX2 and AVX-VNNI; `q` and `w` as for `avx2::rows`.
#[target_feature(enable = "avx2,avxvnni")]
pub unsafe fn rows(q: &QRows, r0: usize, n_rows: usize, w: &QWeights, y: &mut [f32]) {
    tiles::<DpBusd>(q, r0, n_rows, w, y)
}
