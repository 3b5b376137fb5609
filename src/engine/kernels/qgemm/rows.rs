//! x quantized per row at run time, as the kernels read it.

use rayon::prelude::*;

use super::{QWeights, ROWS_PER_TASK, ROW_TILES};
#[cfg(target_arch = "x86_64")]
use crate::engine::kernels::isa::Vectors;

/// Rows of x quantized to u8 (q + zero), padded to whole groups of 4, with their scales.
pub(super) struct QRows {
    pub(super) data: Vec<u8>,
    pub(super) scales: Vec<f32>,
    pub(super) stride: usize,
}

thread_local! {
    /// The last `QRows::data` this thread dropped, for the next product to fill. Allocated
    /// fresh per product (several per layer and sequence), it was zeroed each time: part of the
    /// `memset` that took 4% of a `stancer classify` run in `perf`.
    static SPARE: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

impl Drop for QRows {
    fn drop(&mut self) {
        SPARE.set(std::mem::take(&mut self.data));
    }
}

/// x's rows quantized, in parallel tasks or (`parallel` false, for callers that already split
/// the work) on the calling thread. The padding (columns past k, rows past `rows`) keeps
/// whatever bytes the buffer held: its weights are zero and its rows are never stored, so no
/// kernel's result depends on it.
pub(super) fn quantize_rows(x: &[f32], rows: usize, w: &QWeights, parallel: bool) -> QRows {
    let (k, stride) = (w.k, w.groups * 4);
    let len = rows.next_multiple_of(ROW_TILES) * stride;
    let mut data = SPARE.take();
    if data.len() < len {
        data.resize(len, 128);
    }
    data.truncate(len);
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

/// Quantizes one row into `row` (u = q + 128) and returns its scale; on AVX-512 or AVX2 where
/// `Vectors` allows (the crate is compiled for baseline x86-64, where these loops only get SSE:
/// 17% of an int8 run in `perf`).
pub(super) fn quantize_row(src: &[f32], row: &mut [u8]) -> f32 {
    #[cfg(target_arch = "x86_64")]
    match Vectors::detect() {
        // SAFETY: `detect` found the features each build is compiled for.
        Vectors::Avx512 => return unsafe { avx512::quantize_row(src, row) },
        Vectors::Avx2 => return unsafe { avx2::quantize_row(src, row) },
        Vectors::Baseline => {}
    }
    quantize_row_any(src, row)
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
/// AVX-512 or AVX2 where `Vectors` allows (as plain loops the float-to-byte casts did not
/// vectorise: 22% of an int8 run in `perf`).
pub(super) fn quantize_row_unsigned(src: &[f32], shift: f32, row: &mut [u8]) -> f32 {
    #[cfg(target_arch = "x86_64")]
    match Vectors::detect() {
        // SAFETY: `detect` found the features each build is compiled for.
        Vectors::Avx512 => return unsafe { avx512::quantize_row_unsigned(src, shift, row) },
        Vectors::Avx2 => return unsafe { avx2::quantize_row_unsigned(src, shift, row) },
        Vectors::Baseline => {}
    }
    quantize_row_unsigned_any(src, shift, row)
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
    if let Some(scale) = unsigned_edge(nan, tail, max, &mut row[..src.len()]) {
        return scale;
    }
    let inv = 255.0 / max;
    for (u, v) in row.iter_mut().zip(src) {
        // in [0, 255.5] after the clamp: the cast is exact and rounds half up.
        *u = ((v + shift) * inv + 0.5).clamp(0.0, 255.0) as u8;
    }
    max / 255.0
}

/// A signed row's scale when it needs no scaling: NaN when a value is NaN (`nan` for the
/// vector part, `tail` for the rest) or the largest magnitude is infinite, 0 when all are 0.
fn signed_edge(nan: bool, tail: &[f32], amax: f32) -> Option<f32> {
    if nan || tail.iter().any(|x| x.is_nan()) || !amax.is_finite() {
        return Some(f32::NAN);
    }
    (amax == 0.0).then_some(0.0)
}

/// `signed_edge` for a row quantized from a floor, `max` being its largest value plus the
/// shift: nothing above the floor gives all-zero bytes and scale 0.
fn unsigned_edge(nan: bool, tail: &[f32], max: f32, row: &mut [u8]) -> Option<f32> {
    if nan || tail.iter().any(|x| x.is_nan()) || max == f32::INFINITY {
        return Some(f32::NAN);
    }
    if max <= 0.0 {
        row.fill(0);
        return Some(0.0);
    }
    None
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

/// The AVX-512 builds: 16 lanes, the last partial 16 as scalar code.
#[cfg(target_arch = "x86_64")]
pub(super) mod avx512 {
    use std::arch::x86_64::*;

    /// # Safety
    /// The CPU must have AVX-512 F and BW.
    #[target_feature(enable = "avx512f,avx512bw")]
    pub unsafe fn quantize_row(src: &[f32], row: &mut [u8]) -> f32 {
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
        if let Some(scale) = super::signed_edge(nan != 0, tail, amax) {
            return scale;
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

    /// # Safety
    /// The CPU must have AVX-512 F and BW.
    #[target_feature(enable = "avx512f,avx512bw")]
    pub unsafe fn quantize_row_unsigned(src: &[f32], shift: f32, row: &mut [u8]) -> f32 {
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
        if let Some(scale) = super::unsigned_edge(nan != 0, tail, max, &mut row[..src.len()]) {
            return scale;
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
}

/// The AVX2 builds: the AVX-512 ones' steps on two 8-lane halves (an FMA for the scaling,
/// truncation, the same scalar tail past the last 16), so both give the same bytes and a
/// forced `avx2`/`avxvnni` run's reports match the AVX-512 machine's. As the portable loops
/// compiled for AVX2 the float-to-byte casts stayed scalar (`cvttss2si` and a NaN check per
/// value): 10.5% of a forced `avx2` int8 run in `perf`.
#[cfg(target_arch = "x86_64")]
pub(super) mod avx2 {
    use std::arch::x86_64::*;

    /// # Safety
    /// The CPU must have AVX2 and FMA.
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn quantize_row(src: &[f32], row: &mut [u8]) -> f32 {
        let sign = _mm256_set1_ps(-0.0);
        let (lanes, nan) = lane_max(src, _mm256_setzero_ps(), |v| _mm256_andnot_ps(sign, v));
        let tail = &src[src.len() / 16 * 16..];
        let amax = tail.iter().fold(lanes, |a, x| a.max(x.abs()));
        if let Some(scale) = super::signed_edge(nan, tail, amax) {
            return scale;
        }
        let inv = 127.0 / amax;
        let (vinv, half) = (_mm256_set1_ps(inv), _mm256_set1_ps(128.5));
        store_bytes(src, row, |v| _mm256_fmadd_ps(v, vinv, half));
        for (u, v) in row[src.len() / 16 * 16..].iter_mut().zip(tail) {
            *u = (v * inv + 128.5) as i32 as u8;
        }
        amax / 127.0
    }

    /// # Safety
    /// The CPU must have AVX2 and FMA.
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn quantize_row_unsigned(src: &[f32], shift: f32, row: &mut [u8]) -> f32 {
        let (lanes, nan) = lane_max(src, _mm256_set1_ps(f32::NEG_INFINITY), |v| v);
        let tail = &src[src.len() / 16 * 16..];
        let max = tail.iter().fold(lanes, |a, x| a.max(*x)) + shift;
        if let Some(scale) = super::unsigned_edge(nan, tail, max, &mut row[..src.len()]) {
            return scale;
        }
        let inv = 255.0 / max;
        let (vinv, vshift, half) = (
            _mm256_set1_ps(inv),
            _mm256_set1_ps(shift),
            _mm256_set1_ps(0.5),
        );
        let (lo, hi) = (_mm256_setzero_ps(), _mm256_set1_ps(255.0));
        store_bytes(src, row, |v| {
            let v = _mm256_fmadd_ps(_mm256_add_ps(v, vshift), vinv, half);
            _mm256_min_ps(_mm256_max_ps(v, lo), hi)
        });
        for (u, v) in row[src.len() / 16 * 16..].iter_mut().zip(tail) {
            *u = ((v + shift) * inv + 0.5).clamp(0.0, 255.0) as u8;
        }
        max / 255.0
    }

    /// The largest `f(v)` over the whole 16s of `src`, starting from `init`'s lanes, and
    /// whether any v there is NaN.
    #[inline(always)]
    unsafe fn lane_max(src: &[f32], init: __m256, f: impl Fn(__m256) -> __m256) -> (f32, bool) {
        let (mut m, mut nan) = (init, _mm256_setzero_ps());
        for i in (0..src.len() / 16 * 16).step_by(8) {
            let v = _mm256_loadu_ps(src.as_ptr().add(i));
            nan = _mm256_or_ps(nan, _mm256_cmp_ps::<_CMP_UNORD_Q>(v, v));
            m = _mm256_max_ps(m, f(v));
        }
        let mut lanes = [0f32; 8];
        _mm256_storeu_ps(lanes.as_mut_ptr(), m);
        let max = lanes
            .iter()
            .fold(lanes[0], |a, x| if *x > a { *x } else { a });
        (max, _mm256_movemask_ps(nan) != 0)
    }

    /// `row[i] = f(src[i])` truncated to a byte, over the whole 16s of `src` (`f` keeps values
    /// in [0, 256)).
    #[inline(always)]
    unsafe fn store_bytes(src: &[f32], row: &mut [u8], f: impl Fn(__m256) -> __m256) {
        for i in (0..src.len() / 16 * 16).step_by(16) {
            let p = src.as_ptr().add(i);
            let a = _mm256_cvttps_epi32(f(_mm256_loadu_ps(p)));
            let b = _mm256_cvttps_epi32(f(_mm256_loadu_ps(p.add(8))));
            // i32 → u16 → u8 saturating (nothing saturates here); the packs work within
            // 128-bit lanes, so the words are put back in order between them.
            let words = _mm256_permute4x64_epi64::<0b11_01_10_00>(_mm256_packus_epi32(a, b));
            let bytes = _mm_packus_epi16(
                _mm256_castsi256_si128(words),
                _mm256_extracti128_si256::<1>(words),
            );
            _mm_storeu_si128(row.as_mut_ptr().add(i) as *mut __m128i, bytes);
        }
    }
}
