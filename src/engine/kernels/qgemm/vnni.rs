//! The AVX512-VNNI kernel: `vpdpbusd` on 4 rows × 4 blocks of 16 columns at a time.

use super::{QRows, QWeights, LANES, MR, NB};
use std::arch::x86_64::*;

/// Rows `r0 .. r0 + n_rows` of the product into `y` (those rows only).
#[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
pub unsafe fn rows(q: &QRows, r0: usize, n_rows: usize, w: &QWeights, y: &mut [f32]) {
    let mut i = 0;
    while i < n_rows {
        let mr = (n_rows - i).min(MR);
        let mut b = 0;
        while b < w.blocks {
            let nb = (w.blocks - b).min(NB);
            match (mr, nb) {
                (MR, NB) => tile::<MR, NB>(q, r0 + i, i, b, w, y),
                (_, NB) => (0..mr).for_each(|d| tile::<1, NB>(q, r0 + i + d, i + d, b, w, y)),
                _ => (0..mr).for_each(|d| {
                    (0..nb).for_each(|e| tile::<1, 1>(q, r0 + i + d, i + d, b + e, w, y))
                }),
            }
            b += nb;
        }
        i += mr;
    }
}

/// An `R × (C·16)` tile: rows `row ..` of x (`yrow ..` of y), column blocks `b0 ..`.
#[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
#[inline]
unsafe fn tile<const R: usize, const C: usize>(
    q: &QRows,
    row: usize,
    yrow: usize,
    b0: usize,
    w: &QWeights,
    y: &mut [f32],
) {
    let mut acc = [[_mm512_setzero_si512(); C]; R];
    let wp = w.packed.as_ptr();
    let up = q.data.as_ptr();
    for g in 0..w.groups {
        let mut wv = [_mm512_setzero_si512(); C];
        for (c, v) in wv.iter_mut().enumerate() {
            *v = _mm512_loadu_si512(wp.add(((b0 + c) * w.groups + g) * LANES * 4) as *const _);
        }
        for (r, a) in acc.iter_mut().enumerate() {
            let four = (up.add((row + r) * q.stride + g * 4) as *const i32).read_unaligned();
            let xv = _mm512_set1_epi32(four);
            for (c, v) in a.iter_mut().enumerate() {
                *v = _mm512_dpbusd_epi32(*v, xv, wv[c]);
            }
        }
    }
    for (r, a) in acc.iter().enumerate() {
        let sx = _mm512_set1_ps(q.scales[row + r]);
        let yr = y.as_mut_ptr().add((yrow + r) * w.n);
        for (c, v) in a.iter().enumerate() {
            add_dequantized(*v, sx, (b0 + c) * LANES, w, yr);
        }
    }
}

/// `y[j .. j + 16] += s_x · s_w · (acc + offsets) + correction` for one row, masked at the last column: the
/// way out of every int8 kernel (AMX's tiles are stored and come through here too).
#[target_feature(enable = "avx512f,avx512bw")]
#[inline]
pub(super) unsafe fn add_dequantized(
    acc: __m512i,
    sx: __m512,
    j: usize,
    w: &QWeights,
    yr: *mut f32,
) {
    let mask = column_mask(w.n, j);
    let offsets = _mm512_maskz_loadu_epi32(mask, w.offsets.as_ptr().add(j));
    let exact = _mm512_add_epi32(acc, offsets);
    let sw = _mm512_maskz_loadu_ps(mask, w.scales.as_ptr().add(j));
    let correction = _mm512_maskz_loadu_ps(mask, w.correction.as_ptr().add(j));
    let scaled = _mm512_mul_ps(_mm512_cvtepi32_ps(exact), _mm512_mul_ps(sx, sw));
    let scaled = _mm512_add_ps(scaled, correction);
    let old = _mm512_maskz_loadu_ps(mask, yr.add(j));
    _mm512_mask_storeu_ps(yr.add(j), mask, _mm512_add_ps(old, scaled));
}

/// The lanes of the 16 columns from `j` that are among the `n` outputs.
#[inline(always)]
pub(super) fn column_mask(n: usize, j: usize) -> __mmask16 {
    match (n - j).min(LANES) {
        LANES => 0xffff,
        valid => (1u16 << valid) - 1,
    }
}
