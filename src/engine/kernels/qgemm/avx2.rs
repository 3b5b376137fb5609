//! The AVX2 kernels, for x86-64 CPUs without AVX-512 (Haswell to Zen 3).
//!
//! `vpmaddubsw`, AVX2's u8 × i8 instruction, adds two products into a saturating i16, and with
//! 8-bit weights 2 · 255 · 127 does not fit. So weights meant for this kernel are quantized to
//! 7 bits (`QWeights::levels` = 63, as FBGEMM and ONNX Runtime's `reduce_range` do on CPUs without
//! VNNI): 2 · 255 · 63 = 32,130 fits, and `vpmaddubsw` then `vpmaddwd` by ones gives every group
//! of 4 exactly in i32, what `vpdpbusd` does in one step (`narrow`, 4 rows × 16 columns).
//! 8-bit weights (a model quantized for another kernel) take the exact widening path (`wide`):
//! bytes widened to i16 and `vpmaddwd`, at half the throughput.

use std::arch::x86_64::*;

use super::{QRows, QWeights, LANES};

/// Rows of x per step (each row's 16 columns take four accumulators of 8 i32 lanes).
const ROWS: usize = 2;

/// Rows `r0 .. r0 + n_rows` of the product into `y` (those rows only): `y += x · Wᵀ`.
///
/// # Safety
/// The CPU must have AVX2; `q` and `w` must come from `quantize_rows` and `QWeights::quantize`
/// for the same k, and `y` must hold `n_rows` rows of `w.n`.
#[target_feature(enable = "avx2")]
pub unsafe fn rows(q: &QRows, r0: usize, n_rows: usize, w: &QWeights, y: &mut [f32]) {
    if w.levels <= SATURATION_FREE {
        narrow(q, r0, n_rows, w, y)
    } else {
        wide(q, r0, n_rows, w, y)
    }
}

/// The largest weight magnitude for which `vpmaddubsw` never saturates: 2 · 255 · 63 < 2¹⁵.
pub(super) const SATURATION_FREE: i32 = 63;

/// Rows of x per tile: 4 rows × 2 registers of 8 columns take 8 of the 16 ymm registers,
/// leaving the weights, x and the ones.
const NARROW_ROWS: usize = 4;

/// One step of a 256-bit int8 tile: `acc` plus, per i32 lane, the sum of 4 products of x's u8
/// by W's i8 (`vpdpbusd` on AVX-VNNI, `avxvnni.rs`; two instructions here).
pub(super) trait Dot {
    /// # Safety
    /// The CPU must have the instructions the implementation uses.
    unsafe fn dot(acc: __m256i, x: __m256i, w: __m256i) -> __m256i;
}

/// `vpmaddubsw` then `vpmaddwd` by ones: exact for 7-bit weights only.
pub(super) struct Maddubs;

impl Dot for Maddubs {
    #[inline(always)]
    unsafe fn dot(acc: __m256i, x: __m256i, w: __m256i) -> __m256i {
        let pairs = _mm256_maddubs_epi16(x, w);
        _mm256_add_epi32(acc, _mm256_madd_epi16(pairs, _mm256_set1_epi16(1)))
    }
}

/// `rows` for 7-bit weights: `vpmaddubsw` + `vpmaddwd`.
#[target_feature(enable = "avx2")]
unsafe fn narrow(q: &QRows, r0: usize, n_rows: usize, w: &QWeights, y: &mut [f32]) {
    tiles::<Maddubs>(q, r0, n_rows, w, y)
}

/// Rows `r0 .. r0 + n_rows` in tiles of `NARROW_ROWS` × 16 with the dot step `D`; inlined into
/// a function compiled for `D`'s instructions.
#[inline(always)]
pub(super) unsafe fn tiles<D: Dot>(
    q: &QRows,
    r0: usize,
    n_rows: usize,
    w: &QWeights,
    y: &mut [f32],
) {
    // Blocks outside, rows inside: a block of W (64 bytes per group, 24 kB for k = 1,536) stays
    // in L1 while the task's rows (at most 64) stream past it from L2.
    for b in 0..w.blocks {
        let mut i = 0;
        while i < n_rows {
            let mr = (n_rows - i).min(NARROW_ROWS);
            match mr {
                NARROW_ROWS => tile::<D, NARROW_ROWS>(q, r0 + i, i, b, w, y),
                _ => (0..mr).for_each(|d| tile::<D, 1>(q, r0 + i + d, i + d, b, w, y)),
            }
            i += mr;
        }
    }
}

/// An `R × 16` tile: rows `row ..` of x (`yrow ..` of y), column block `b`.
#[inline(always)]
unsafe fn tile<D: Dot, const R: usize>(
    q: &QRows,
    row: usize,
    yrow: usize,
    b: usize,
    w: &QWeights,
    y: &mut [f32],
) {
    let mut acc = [[_mm256_setzero_si256(); 2]; R];
    let wp = w.packed.as_ptr().add(b * w.groups * LANES * 4);
    let up = q.data.as_ptr();
    for g in 0..w.groups {
        // Columns 0–7 and 8–15 of the block, 4 inputs each.
        let w0 = _mm256_loadu_si256(wp.add(g * LANES * 4) as *const __m256i);
        let w1 = _mm256_loadu_si256(wp.add(g * LANES * 4 + 32) as *const __m256i);
        for (r, a) in acc.iter_mut().enumerate() {
            let four = (up.add((row + r) * q.stride + g * 4) as *const i32).read_unaligned();
            let xv = _mm256_set1_epi32(four);
            a[0] = D::dot(a[0], xv, w0);
            a[1] = D::dot(a[1], xv, w1);
        }
    }
    let j0 = b * LANES;
    let cols = (w.n - j0).min(LANES);
    for (r, a) in acc.iter().enumerate() {
        let sx = q.scales[row + r];
        let yr = &mut y[(yrow + r) * w.n..][..w.n];
        if cols == LANES {
            add_dequantized_16(a, sx, j0, w, yr);
            continue;
        }
        let mut sums = [0i32; LANES];
        _mm256_storeu_si256(sums.as_mut_ptr() as *mut __m256i, a[0]);
        _mm256_storeu_si256(sums[8..].as_mut_ptr() as *mut __m256i, a[1]);
        add_dequantized(&sums[..cols], sx, j0, w, yr);
    }
}

/// `add_dequantized` for a whole block, on vectors: the same operations in the same order
/// (separate multiplies and adds, no FMA), so the same floats. Left to the compiler, the scalar
/// form ran partly scalar behind aliasing checks: outside the inner loop was 18.5% of this
/// kernel's time in `perf` (forced `avx2` `classify`).
#[inline(always)]
unsafe fn add_dequantized_16(a: &[__m256i; 2], sx: f32, j0: usize, w: &QWeights, yr: &mut [f32]) {
    debug_assert!(j0 + LANES <= w.n && w.n <= yr.len());
    let sx = _mm256_set1_ps(sx);
    for (h, acc) in a.iter().enumerate() {
        let j = j0 + 8 * h;
        let offsets = _mm256_loadu_si256(w.offsets.as_ptr().add(j) as *const __m256i);
        let exact = _mm256_cvtepi32_ps(_mm256_add_epi32(*acc, offsets));
        let scale = _mm256_mul_ps(sx, _mm256_loadu_ps(w.scales.as_ptr().add(j)));
        let correction = _mm256_loadu_ps(w.correction.as_ptr().add(j));
        let v = _mm256_add_ps(_mm256_mul_ps(exact, scale), correction);
        let yp = yr.as_mut_ptr().add(j);
        _mm256_storeu_ps(yp, _mm256_add_ps(_mm256_loadu_ps(yp), v));
    }
}

/// `y[j0 ..] += (exact · (s_x · s_w) + correction)`, the other kernels' rounding, for one row's
/// sums of one block.
#[inline(always)]
fn add_dequantized(sums: &[i32], sx: f32, j0: usize, w: &QWeights, yr: &mut [f32]) {
    for (l, acc) in sums.iter().enumerate() {
        let j = j0 + l;
        let exact = acc + w.offsets[j];
        yr[j] += exact as f32 * (sx * w.scales[j]) + w.correction[j];
    }
}

/// `rows` for 8-bit weights: x's rows and each block of W are widened to i16 once per call, so
/// that the inner loop only loads, multiplies and adds: widening in the loop (two shuffles per
/// multiply, on the one port AVX2 shuffles run on) made the int8 model slower than f32 on this
/// kernel.
#[target_feature(enable = "avx2")]
unsafe fn wide(q: &QRows, r0: usize, n_rows: usize, w: &QWeights, y: &mut [f32]) {
    let stride = q.stride;
    let x: Vec<i16> = q.data[r0 * stride..][..n_rows.next_multiple_of(ROWS) * stride]
        .iter()
        .map(|&u| u as i16)
        .collect();
    let mut wb = vec![0i16; w.groups * LANES * 4];
    for b in 0..w.blocks {
        let packed = &w.packed[b * w.groups * LANES * 4..][..wb.len()];
        wb.iter_mut().zip(packed).for_each(|(d, &v)| *d = v as i16);
        for i in (0..n_rows).step_by(ROWS) {
            let sums = block(&x[i * stride..], stride, &wb, w.groups);
            for (r, s) in sums.iter().enumerate().take((n_rows - i).min(ROWS)) {
                let yr = &mut y[(i + r) * w.n..][..w.n];
                let cols = (w.n - b * LANES).min(LANES);
                add_dequantized(&s[..cols], q.scales[r0 + i + r], b * LANES, w, yr);
            }
        }
    }
}

/// Σ_k x[r][k] · w[k][j] for two rows of widened x (row stride `stride`) and the 16 columns of
/// one widened block.
#[target_feature(enable = "avx2")]
#[inline]
unsafe fn block(x: &[i16], stride: usize, wb: &[i16], groups: usize) -> [[i32; LANES]; ROWS] {
    // acc[r][c]: 8 lanes for 4 columns (4c .. 4c + 4), two partial sums per column.
    let mut acc = [[_mm256_setzero_si256(); 4]; ROWS];
    let (xp, wp) = (x.as_ptr(), wb.as_ptr());
    for g in 0..groups {
        let mut wv = [_mm256_setzero_si256(); 4];
        for (c, v) in wv.iter_mut().enumerate() {
            // 4 columns × 4 inputs.
            *v = _mm256_loadu_si256(wp.add(g * LANES * 4 + 16 * c) as *const __m256i);
        }
        for (r, a) in acc.iter_mut().enumerate() {
            // x's 4 inputs of this group, repeated for each of the 4 columns.
            let four = (xp.add(r * stride + g * 4) as *const i64).read_unaligned();
            let xv = _mm256_set1_epi64x(four);
            for (c, v) in a.iter_mut().enumerate() {
                *v = _mm256_add_epi32(*v, _mm256_madd_epi16(xv, wv[c]));
            }
        }
    }
    let mut out = [[0i32; LANES]; ROWS];
    for (r, a) in acc.iter().enumerate() {
        for half in 0..2 {
            // Pairs summed: hadd works within 128-bit lanes, giving columns (0 1 4 5 | 2 3 6 7)
            // of the 8; the permute puts them in order.
            let h = _mm256_hadd_epi32(a[2 * half], a[2 * half + 1]);
            let h = _mm256_permute4x64_epi64::<0b11_01_10_00>(h);
            _mm256_storeu_si256(out[r][8 * half..].as_mut_ptr() as *mut __m256i, h);
        }
    }
    out
}
