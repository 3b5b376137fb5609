//! x quantized per row at run time, as the kernels read it.

use rayon::prelude::*;

use super::{QWeights, ROWS_PER_TASK, ROW_TILES};

/// Rows of x quantized to u8 (q + zero), padded to whole groups of 4, with their scales.
pub(super) struct QRows {
    pub(super) data: Vec<u8>,
    pub(super) scales: Vec<f32>,
    pub(super) stride: usize,
}

/// x's rows quantized, in parallel tasks or (`parallel` false, for callers that already split
/// the work) on the calling thread.
pub(super) fn quantize_rows(x: &[f32], rows: usize, w: &QWeights, parallel: bool) -> QRows {
    let (k, stride) = (w.k, w.groups * 4);
    let mut data = vec![128u8; rows.next_multiple_of(ROW_TILES) * stride];
    let mut scales = vec![0f32; rows];
    let task = |t: usize, d: &mut [u8], s: &mut [f32]| {
        for (i, (row, scale)) in d.chunks_exact_mut(stride).zip(s.iter_mut()).enumerate() {
            let src = &x[(t * ROWS_PER_TASK + i) * k..][..k];
            *scale = match w.zero {
                0 => quantize_row_unsigned(src, w.shift, row),
                _ => quantize_row(src, row),
            };
        }
    };
    let (d, s) = (
        data.chunks_mut(stride * ROWS_PER_TASK),
        scales.chunks_mut(ROWS_PER_TASK),
    );
    if parallel {
        let (d, s) = (
            data.par_chunks_mut(stride * ROWS_PER_TASK),
            scales.par_chunks_mut(ROWS_PER_TASK),
        );
        d.zip(s).enumerate().for_each(|(t, (d, s))| task(t, d, s));
    } else {
        d.zip(s).enumerate().for_each(|(t, (d, s))| task(t, d, s));
    }
    QRows {
        data,
        scales,
        stride,
    }
}

/// Quantizes one row into `row` (u = q + 128) and returns its scale; the AVX-512 build of the
/// same code where the CPU has it (the crate is compiled for baseline x86-64, where these loops
/// only get SSE: 17% of an int8 run in `perf`).
pub(super) fn quantize_row(src: &[f32], row: &mut [u8]) -> f32 {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx512f") && std::is_x86_feature_detected!("avx512bw") {
        // SAFETY: the features were just detected.
        return unsafe { quantize_row_avx512(src, row) };
    }
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: as above.
        return unsafe { quantize_row_avx2(src, row) };
    }
    quantize_row_any(src, row)
}

/// `quantize_row_any` compiled for AVX2 (the CPUs whose int8 kernel is `avx2.rs`): the same
/// code, so the same bytes.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
pub(super) unsafe fn quantize_row_avx2(src: &[f32], row: &mut [u8]) -> f32 {
    quantize_row_any(src, row)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw")]
unsafe fn quantize_row_avx512(src: &[f32], row: &mut [u8]) -> f32 {
    use std::arch::x86_64::*;
    let n16 = src.len() / 16 * 16;
    let sign = _mm512_set1_ps(-0.0);
    let mut m = _mm512_setzero_ps();
    let mut nan: __mmask16 = 0;
    for i in (0..n16).step_by(16) {
        let v = _mm512_loadu_ps(src.as_ptr().add(i));
        nan |= _mm512_cmp_ps_mask::<_CMP_UNORD_Q>(v, v);
        m = _mm512_max_ps(m, _mm512_andnot_ps(sign, v));
    }
    let tail = &src[n16..];
    let amax = tail
        .iter()
        .fold(_mm512_reduce_max_ps(m), |a, x| a.max(x.abs()));
    if nan != 0 || tail.iter().any(|x| x.is_nan()) || !amax.is_finite() {
        return f32::NAN;
    }
    if amax == 0.0 {
        return 0.0;
    }
    let inv = 127.0 / amax;
    let (vinv, half) = (_mm512_set1_ps(inv), _mm512_set1_ps(128.5));
    for i in (0..n16).step_by(16) {
        let v = _mm512_fmadd_ps(_mm512_loadu_ps(src.as_ptr().add(i)), vinv, half);
        let bytes = _mm512_cvtepi32_epi8(_mm512_cvttps_epi32(v));
        _mm_storeu_si128(row.as_mut_ptr().add(i) as *mut __m128i, bytes);
    }
    for (u, v) in row[n16..].iter_mut().zip(tail) {
        *u = (v * inv + 128.5) as i32 as u8;
    }
    amax / 127.0
}

#[inline(always)]
pub(super) fn quantize_row_any(src: &[f32], row: &mut [u8]) -> f32 {
    let amax = abs_max(src);
    if amax == 0.0 || !amax.is_finite() {
        return if amax.is_finite() { 0.0 } else { f32::NAN };
    }
    let inv = 127.0 / amax;
    // q + 128 rounded half up, as one cast: `f32::round` is a libm call per element, and
    // quantizing took 32% of an int8 run in `perf` with it.
    for (u, v) in row.iter_mut().zip(src) {
        *u = (v * inv + 128.5) as i32 as u8; // in [0.5, 255.5]: i32 is exact
    }
    amax / 127.0
}

/// Quantizes `src + shift` (≥ 0) into `row` as u in [0, 255] and returns its scale; on
/// AVX-512 where the CPU has it (as plain loops the float-to-byte casts did not vectorise: 22%
/// of an int8 run in `perf`).
pub(super) fn quantize_row_unsigned(src: &[f32], shift: f32, row: &mut [u8]) -> f32 {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx512f") && std::is_x86_feature_detected!("avx512bw") {
        // SAFETY: the features were just detected.
        return unsafe { quantize_row_unsigned_avx512(src, shift, row) };
    }
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: as above.
        return unsafe { quantize_row_unsigned_avx2(src, shift, row) };
    }
    quantize_row_unsigned_any(src, shift, row)
}

/// `quantize_row_unsigned_any` compiled for AVX2, as `quantize_row_avx2`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
pub(super) unsafe fn quantize_row_unsigned_avx2(src: &[f32], shift: f32, row: &mut [u8]) -> f32 {
    quantize_row_unsigned_any(src, shift, row)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw")]
unsafe fn quantize_row_unsigned_avx512(src: &[f32], shift: f32, row: &mut [u8]) -> f32 {
    use std::arch::x86_64::*;
    let n16 = src.len() / 16 * 16;
    let mut m = _mm512_set1_ps(f32::NEG_INFINITY);
    let mut nan: __mmask16 = 0;
    for i in (0..n16).step_by(16) {
        let v = _mm512_loadu_ps(src.as_ptr().add(i));
        nan |= _mm512_cmp_ps_mask::<_CMP_UNORD_Q>(v, v);
        m = _mm512_max_ps(m, v);
    }
    let tail = &src[n16..];
    let top = tail.iter().fold(_mm512_reduce_max_ps(m), |a, x| a.max(*x));
    let max = top + shift;
    if nan != 0 || tail.iter().any(|x| x.is_nan()) || max == f32::INFINITY {
        return f32::NAN;
    }
    if max <= 0.0 {
        row[..src.len()].fill(0);
        return 0.0;
    }
    let inv = 255.0 / max;
    let (vinv, vshift, half) = (
        _mm512_set1_ps(inv),
        _mm512_set1_ps(shift),
        _mm512_set1_ps(0.5),
    );
    let (lo, hi) = (_mm512_setzero_ps(), _mm512_set1_ps(255.0));
    for i in (0..n16).step_by(16) {
        let v = _mm512_add_ps(_mm512_loadu_ps(src.as_ptr().add(i)), vshift);
        let v = _mm512_min_ps(_mm512_max_ps(_mm512_fmadd_ps(v, vinv, half), lo), hi);
        let bytes = _mm512_cvtepi32_epi8(_mm512_cvttps_epi32(v));
        _mm_storeu_si128(row.as_mut_ptr().add(i) as *mut __m128i, bytes);
    }
    for (u, v) in row[n16..].iter_mut().zip(tail) {
        *u = ((v + shift) * inv + 0.5).clamp(0.0, 255.0) as u8;
    }
    max / 255.0
}

#[inline(always)]
pub(super) fn quantize_row_unsigned_any(src: &[f32], shift: f32, row: &mut [u8]) -> f32 {
    // The largest x, in 16 lanes so that it vectorises (an empty row gives −∞: scale 0).
    let mut lanes = [f32::NEG_INFINITY; 16];
    let mut nan = false;
    let chunks = src.chunks_exact(16);
    let tail = chunks.remainder();
    for c in chunks {
        for (m, x) in lanes.iter_mut().zip(c) {
            nan |= x.is_nan();
            *m = if *x > *m { *x } else { *m };
        }
    }
    let max = tail
        .iter()
        .chain(&lanes)
        .fold(f32::NEG_INFINITY, |m, x| m.max(*x))
        + shift;
    if nan || tail.iter().any(|x| x.is_nan()) || max == f32::INFINITY {
        return f32::NAN;
    }
    if max <= 0.0 {
        row[..src.len()].fill(0);
        return 0.0;
    }
    let inv = 255.0 / max;
    for (u, v) in row.iter_mut().zip(src) {
        // in [0, 255.5] after the clamp: the cast is exact and rounds half up.
        *u = ((v + shift) * inv + 0.5).clamp(0.0, 255.0) as u8;
    }
    max / 255.0
}

/// The largest |v| (NaN when some v is NaN), in 16 lanes so that it vectorises.
#[inline(always)]
pub(super) fn abs_max(v: &[f32]) -> f32 {
    let mut lanes = [0f32; 16];
    let mut nan = false;
    let chunks = v.chunks_exact(16);
    let tail = chunks.remainder();
    for c in chunks {
        for (m, x) in lanes.iter_mut().zip(c) {
            let a = x.abs();
            nan |= a.is_nan();
            *m = if a > *m { a } else { *m };
        }
    }
    let m = tail.iter().chain(&lanes).fold(0f32, |m, x| m.max(x.abs()));
    if nan || tail.iter().any(|x| x.is_nan()) {
        f32::NAN
    } else {
        m
    }
}
