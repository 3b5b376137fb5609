//! The AVX2 kernel, for x86-64 CPUs without AVX-512 (Haswell to Zen 3): exact products with
//! `vpmaddwd` on bytes widened to i16, 2 rows × 16 columns at a time.
//!
//! Why not `vpmaddubsw`, the u8 × i8 instruction: it adds two products into a saturating i16, and
//! 2 · 255 · 127 does not fit, so it would not give the integers the other kernels give. Widening
//! both sides to i16 first makes every pair sum exact in i32, at half the throughput.

use std::arch::x86_64::*;

use super::{QRows, QWeights, LANES};

/// Rows of x per step (each row's 16 columns take four accumulators of 8 i32 lanes).
const ROWS: usize = 2;

/// Rows `r0 .. r0 + n_rows` of the product into `y` (those rows only): `y += x · Wᵀ`.
///
/// x's rows and each block of W are widened to i16 once per call, so that the inner loop only
/// loads, multiplies and adds: widening in the loop (two shuffles per multiply, on the one port
/// AVX2 shuffles run on) made the int8 model slower than f32 on this kernel.
///
/// # Safety
/// The CPU must have AVX2; `q` and `w` must come from `quantize_rows` and `QWeights::quantize`
/// for the same k, and `y` must hold `n_rows` rows of `w.n`.
#[target_feature(enable = "avx2")]
pub unsafe fn rows(q: &QRows, r0: usize, n_rows: usize, w: &QWeights, y: &mut [f32]) {
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
                let sx = q.scales[r0 + i + r];
                let yr = &mut y[(i + r) * w.n..][..w.n];
                let cols = (w.n - b * LANES).min(LANES);
                for (l, acc) in s.iter().enumerate().take(cols) {
                    let j = b * LANES + l;
                    let exact = acc + w.offsets[j];
                    // The other kernels' rounding: (exact · (s_x · s_w) + correction) + y.
                    yr[j] += exact as f32 * (sx * w.scales[j]) + w.correction[j];
                }
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
