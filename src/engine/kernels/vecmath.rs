//! Elementwise kernels for the CPU encoder: exact (erf) GELU, masked softmax, layer norm.
//!
//! candle's `gelu_erf` calls libm's erf per element on one thread; on MiniLM's intermediate
//! layer it cost about as much as the matmul before it. This version uses a rational erf
//! (absolute error < 4.5e-7 against libm, tested), written so the compiler vectorises it, and
//! splits the work across threads. The default x86-64 target has SSE2 only
//! (no vector floor, no FMA), so each kernel is also compiled for AVX2+FMA and picked at run
//! time.

use candle_core::{Device, Result, Tensor};
use rayon::prelude::*;

#[cfg(target_arch = "x86_64")]
use super::isa::Vectors;

#[inline(always)]
pub(crate) fn exp_neg(x: f32) -> f32 {
    // e^x for x <= 0: 2^k * e^r with |r| <= ln2/2, degree-6 Taylor polynomial (rel. error < 3e-8).
    // k is rounded by adding 1.5·2^23, which leaves it in the low mantissa bits: a float-to-int
    // cast (`as i32` saturates) would not vectorise, and the whole loop would run one lane.
    const MAGIC: f32 = 12_582_912.0;
    let x = x.max(-87.0);
    let t = x * std::f32::consts::LOG2_E + MAGIC;
    let k = t - MAGIC;
    let r = x - k * 0.693_145_75 - k * 1.428_606_8e-6;
    let p = 1.0
        + r * (1.0
            + r * (0.5
                + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0))))));
    // The low bits of t hold k (in [-126, 0]): k + 127 is 2^k's exponent field.
    p * f32::from_bits(t.to_bits().wrapping_add(127) << 23)
}

#[inline(always)]
fn gelu_one(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// erf as a rational function of x on [−4, 4] (odd degree-13 numerator, even degree-8
/// denominator: the single-precision approximation XLA lowers erf to), 1 beyond. No exp and one
/// division: the Abramowitz & Stegun form before it (an exp, a division and a polynomial) made
/// GELU a tenth of an AMX run in `perf`.
#[inline(always)]
fn erf(x: f32) -> f32 {
    let x = x.clamp(-4.0, 4.0);
    let x2 = x * x;
    let mut p = -2.726_142_3e-10f32;
    for c in [
        2.770_681_4e-8,
        -2.101_024e-6,
        -5.692_506_4e-5,
        -7.349_906_3e-4,
        -2.954_600_1e-3,
        -1.609_603_3e-2,
    ] {
        p = p * x2 + c;
    }
    let mut q = -1.456_607_2e-5f32;
    for c in [-2.133_740_6e-4, -1.682_827e-3, -7.373_329e-3, -1.426_474e-2] {
        q = q * x2 + c;
    }
    x * p / q
}

/// GELU in place over a buffer, on all cores.
pub fn gelu_in_place(v: &mut [f32]) {
    v.par_chunks_mut(16 * 1024).for_each(gelu_slice);
}

/// Defines `$name` running `$body` compiled for AVX-512 or AVX2+FMA when `Vectors::detect`
/// allows them, else for the baseline target: the same code each time, so the results agree up to FMA
/// rounding.
macro_rules! dispatch {
    ($(#[$doc:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),*) $body:block) => {
        $(#[$doc])*
        $vis fn $name($($arg: $ty),*) {
            #[inline(always)]
            fn body($($arg: $ty),*) $body
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f,avx512vl,avx2,fma")]
                unsafe fn avx512($($arg: $ty),*) {
                    body($($arg),*)
                }
                #[target_feature(enable = "avx2,fma")]
                unsafe fn avx2($($arg: $ty),*) {
                    body($($arg),*)
                }
                match Vectors::detect() {
                    // SAFETY: `detect` found the features `avx512` is compiled for.
                    Vectors::Avx512 => return unsafe { avx512($($arg),*) },
                    // SAFETY: as above, for `avx2`.
                    Vectors::Avx2 => return unsafe { avx2($($arg),*) },
                    Vectors::Baseline => {}
                }
            }
            body($($arg),*)
        }
    };
}

/// Float sums and maxima do not vectorise as plain loops (the compiler must keep their order);
/// sixteen independent lanes do.
const LANES: usize = 16;

#[inline(always)]
fn lane_sum(v: &[f32]) -> f32 {
    let mut acc = [0f32; LANES];
    let mut chunks = v.chunks_exact(LANES);
    for c in &mut chunks {
        for (a, x) in acc.iter_mut().zip(c) {
            *a += x;
        }
    }
    acc.iter().sum::<f32>() + chunks.remainder().iter().sum::<f32>()
}

#[inline(always)]
fn lane_max(v: &[f32]) -> f32 {
    let mut acc = [f32::NEG_INFINITY; LANES];
    let mut chunks = v.chunks_exact(LANES);
    for c in &mut chunks {
        for (a, x) in acc.iter_mut().zip(c) {
            *a = if *x > *a { *x } else { *a };
        }
    }
    chunks
        .remainder()
        .iter()
        .chain(&acc)
        .fold(f32::NEG_INFINITY, |m, &x| if x > m { x } else { m })
}

dispatch! {
    /// GELU in place on the calling thread.
    pub fn gelu_slice(c: &mut [f32]) {
        c.iter_mut().for_each(|e| *e = gelu_one(*e));
    }
}

/// Softmax of each `cols`-wide row of `scores` after adding `mask` (one value per column: 0, or a
/// large negative number for padding), as PyTorch's masked attention does.
pub fn masked_softmax_rows(scores: &mut [f32], cols: usize, mask: &[f32]) {
    assert!(
        mask.len() >= cols && scores.len().is_multiple_of(cols.max(1)),
        "softmax shapes"
    );
    #[cfg(target_arch = "x86_64")]
    match Vectors::detect() {
        // SAFETY: `detect` found the features each build needs; the shapes were checked above.
        Vectors::Avx512 => return unsafe { avx512::masked_softmax_rows(scores, cols, mask) },
        Vectors::Avx2 => return unsafe { avx2::masked_softmax_rows(scores, cols, mask) },
        Vectors::Baseline => {}
    }
    masked_softmax_rows_any(scores, cols, mask)
}

/// `masked_softmax_rows` as plain loops: attention rows are short (a sequence's tokens, ~50),
/// and there the scalar tails and the lane reductions of these loops, compiled for AVX-512,
/// made softmax a tenth of an int8 run in `perf`; `avx512` and `avx2` do them with masks.
fn masked_softmax_rows_any(scores: &mut [f32], cols: usize, mask: &[f32]) {
    for row in scores.chunks_exact_mut(cols) {
        row.iter_mut().zip(mask).for_each(|(s, m)| *s += m);
        let max = lane_max(row);
        row.iter_mut().for_each(|s| *s = exp_neg(*s - max));
        let inv = 1.0 / lane_sum(row);
        row.iter_mut().for_each(|s| *s *= inv);
    }
}

dispatch! {
    /// Layer norm of each `gamma.len()`-wide row of `x` in place, after adding `bias` to it
    /// when given (the bias of the linear layer whose output this is).
    pub fn layer_norm_rows(x: &mut [f32], bias: Option<&[f32]>, gamma: &[f32], beta: &[f32], eps: f32) {
        let h = gamma.len();
        for row in x.chunks_exact_mut(h) {
            if let Some(b) = bias {
                row.iter_mut().zip(b).for_each(|(v, b)| *v += b);
            }
            let mean = lane_sum(row) / h as f32;
            let mut sq = [0f32; LANES];
            let mut chunks = row.chunks_exact(LANES);
            for c in &mut chunks {
                for (a, v) in sq.iter_mut().zip(c) {
                    *a += (v - mean) * (v - mean);
                }
            }
            let rest: f32 = chunks.remainder().iter().map(|v| (v - mean) * (v - mean)).sum();
            let var = (sq.iter().sum::<f32>() + rest) / h as f32;
            let inv = 1.0 / (var + eps).sqrt();
            for ((v, g), b) in row.iter_mut().zip(gamma).zip(beta) {
                *v = (*v - mean) * inv * g + b;
            }
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod avx512 {
    use std::arch::x86_64::*;

    /// `super::exp_neg` on 16 lanes, the same steps.
    #[target_feature(enable = "avx512f")]
    #[inline]
    unsafe fn exp_neg(x: __m512) -> __m512 {
        let magic = _mm512_set1_ps(12_582_912.0);
        let x = _mm512_max_ps(x, _mm512_set1_ps(-87.0));
        let t = _mm512_add_ps(
            _mm512_mul_ps(x, _mm512_set1_ps(std::f32::consts::LOG2_E)),
            magic,
        );
        let k = _mm512_sub_ps(t, magic);
        let r = _mm512_sub_ps(
            _mm512_sub_ps(x, _mm512_mul_ps(k, _mm512_set1_ps(0.693_145_75))),
            _mm512_mul_ps(k, _mm512_set1_ps(1.428_606_8e-6)),
        );
        let mut p = _mm512_set1_ps(1.0 / 720.0);
        for c in [1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 0.5, 1.0, 1.0] {
            p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(c));
        }
        let two_k = _mm512_slli_epi32::<23>(_mm512_add_epi32(
            _mm512_castps_si512(t),
            _mm512_set1_epi32(127),
        ));
        _mm512_mul_ps(p, _mm512_castsi512_ps(two_k))
    }

    /// `super::masked_softmax_rows` with the row's last partial vector done under a mask.
    #[target_feature(enable = "avx512f")]
    pub unsafe fn masked_softmax_rows(scores: &mut [f32], cols: usize, mask: &[f32]) {
        if cols == 0 {
            return;
        }
        let vectors = cols.div_ceil(16);
        let lane_mask = |v: usize| -> __mmask16 {
            let left = cols - v * 16;
            if left >= 16 {
                0xffff
            } else {
                (1u16 << left) - 1
            }
        };
        let m = mask.as_ptr();
        for row in scores.chunks_exact_mut(cols) {
            let p = row.as_mut_ptr();
            let mut max = _mm512_set1_ps(f32::NEG_INFINITY);
            for v in 0..vectors {
                let k = lane_mask(v);
                let s = _mm512_add_ps(
                    _mm512_maskz_loadu_ps(k, p.add(v * 16)),
                    _mm512_maskz_loadu_ps(k, m.add(v * 16)),
                );
                _mm512_mask_storeu_ps(p.add(v * 16), k, s);
                max = _mm512_mask_max_ps(max, k, max, s);
            }
            let max = _mm512_set1_ps(_mm512_reduce_max_ps(max));
            let mut sum = _mm512_setzero_ps();
            for v in 0..vectors {
                let k = lane_mask(v);
                let e = exp_neg(_mm512_sub_ps(_mm512_maskz_loadu_ps(k, p.add(v * 16)), max));
                _mm512_mask_storeu_ps(p.add(v * 16), k, e);
                sum = _mm512_mask_add_ps(sum, k, sum, e);
            }
            let halves = (
                _mm512_castps512_ps256(sum),
                _mm256_castpd_ps(_mm512_extractf64x4_pd::<1>(_mm512_castps_pd(sum))),
            );
            // The AVX2 build's order of additions, so that both give the same floats.
            let inv = _mm512_set1_ps(1.0 / super::avx2::sum(halves.0, halves.1));
            for v in 0..vectors {
                let k = lane_mask(v);
                let e = _mm512_maskz_loadu_ps(k, p.add(v * 16));
                _mm512_mask_storeu_ps(p.add(v * 16), k, _mm512_mul_ps(e, inv));
            }
        }
    }
}

/// `avx512`'s softmax on 8-lane halves: the same steps on the same lanes (lane l of a 16-wide
/// vector is lane l mod 8 of half l / 8), summed in the same order, so both give the same
/// floats. As plain loops built for AVX2 it was 3.4% of a forced `avx2` int8 run in `perf`.
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    /// `super::exp_neg` on 8 lanes, `avx512::exp_neg`'s steps.
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    unsafe fn exp_neg(x: __m256) -> __m256 {
        let magic = _mm256_set1_ps(12_582_912.0);
        let x = _mm256_max_ps(x, _mm256_set1_ps(-87.0));
        let t = _mm256_add_ps(
            _mm256_mul_ps(x, _mm256_set1_ps(std::f32::consts::LOG2_E)),
            magic,
        );
        let k = _mm256_sub_ps(t, magic);
        let r = _mm256_sub_ps(
            _mm256_sub_ps(x, _mm256_mul_ps(k, _mm256_set1_ps(0.693_145_75))),
            _mm256_mul_ps(k, _mm256_set1_ps(1.428_606_8e-6)),
        );
        let mut p = _mm256_set1_ps(1.0 / 720.0);
        for c in [1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 0.5, 1.0, 1.0] {
            p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(c));
        }
        let two_k = _mm256_slli_epi32::<23>(_mm256_add_epi32(
            _mm256_castps_si256(t),
            _mm256_set1_epi32(127),
        ));
        _mm256_mul_ps(p, _mm256_castsi256_ps(two_k))
    }

    /// The sum of 16 lanes held as two halves, as a fixed tree (halves, then 128-bit lanes,
    /// then pairs), which `avx512` uses too.
    #[target_feature(enable = "avx2")]
    #[inline]
    pub(super) unsafe fn sum(lo: __m256, hi: __m256) -> f32 {
        let v = _mm256_add_ps(lo, hi);
        let x = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps::<1>(v));
        let x = _mm_add_ps(x, _mm_movehl_ps(x, x));
        _mm_cvtss_f32(_mm_add_ss(x, _mm_movehdup_ps(x)))
    }

    /// `super::masked_softmax_rows`, the row's last partial vector under a mask. Only that one:
    /// `vmaskmovps` stores are slow (microcoded on AMD Zen), and with every vector masked this
    /// took 3.9% of a forced `avx2` int8 run in `perf`, more than the plain loops' 3.4%.
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn masked_softmax_rows(scores: &mut [f32], cols: usize, mask: &[f32]) {
        let (full, vectors) = (cols / 8, cols.div_ceil(8));
        let all = _mm256_set1_epi32(-1);
        let tail = _mm256_cmpgt_epi32(
            _mm256_set1_epi32((cols % 8) as i32),
            _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7),
        );
        let lanes = |v: usize| if v < full { all } else { tail };
        let load = |q: *const f32, v: usize| match v < full {
            true => _mm256_loadu_ps(q.add(v * 8)),
            false => _mm256_maskload_ps(q.add(v * 8), tail),
        };
        let store = |q: *mut f32, v: usize, x: __m256| match v < full {
            true => _mm256_storeu_ps(q.add(v * 8), x),
            false => _mm256_maskstore_ps(q.add(v * 8), tail, x),
        };
        for row in scores.chunks_exact_mut(cols.max(1)) {
            let p = row.as_mut_ptr();
            let mut max = _mm256_set1_ps(f32::NEG_INFINITY);
            for v in 0..vectors {
                let s = _mm256_add_ps(load(p, v), load(mask.as_ptr(), v));
                store(p, v, s);
                let k = _mm256_castsi256_ps(lanes(v));
                max = _mm256_blendv_ps(max, _mm256_max_ps(max, s), k);
            }
            let mut top = [0f32; 8];
            _mm256_storeu_ps(top.as_mut_ptr(), max);
            let max = _mm256_set1_ps(top.iter().fold(f32::NEG_INFINITY, |a, x| a.max(*x)));
            // Two accumulators: 16 lanes, as `avx512` has.
            let mut acc = [_mm256_setzero_ps(); 2];
            for v in 0..vectors {
                let e = exp_neg(_mm256_sub_ps(load(p, v), max));
                store(p, v, e);
                let e = _mm256_and_ps(e, _mm256_castsi256_ps(lanes(v)));
                acc[v % 2] = _mm256_add_ps(acc[v % 2], e);
            }
            let inv = _mm256_set1_ps(1.0 / sum(acc[0], acc[1]));
            for v in 0..vectors {
                store(p, v, _mm256_mul_ps(load(p, v), inv));
            }
        }
    }
}

/// `0.5 x (1 + erf(x / √2))`, elementwise. Non-CPU tensors use candle's own kernel.
pub fn gelu_erf(x: &Tensor) -> Result<Tensor> {
    if !matches!(x.device(), Device::Cpu) || x.dtype() != candle_core::DType::F32 {
        return x.gelu_erf();
    }
    let shape = x.shape().clone();
    let mut v: Vec<f32> = x.flatten_all()?.to_vec1()?;
    gelu_in_place(&mut v);
    Tensor::from_vec(v, shape, x.device())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_matches_std_over_the_range_softmax_uses() {
        for i in 0..=87_000 {
            let x = -(i as f32) / 1000.0;
            let (ours, want) = (exp_neg(x), x.exp());
            assert!(
                (ours - want).abs() <= 1e-6 * want,
                "x={x}: {ours} vs {want}"
            );
        }
        // Masked keys come in near f32::MIN: clamped to e^-87, negligible next to any real key.
        assert!(exp_neg(f32::MIN) < 1e-37);
    }

    /// The vector softmaxes agree with the plain loops (to rounding) on rows of every length
    /// mod 16, with masked keys, and their rows sum to 1; the AVX2 and AVX-512 builds give the
    /// same floats (a forced `avx2` run is what an AVX2 machine computes).
    #[test]
    fn softmax_kernels_agree() {
        for cols in [1, 7, 8, 9, 16, 17, 50, 64, 131] {
            let scores: Vec<f32> = (0..cols * 3)
                .map(|i| ((i * 37 % 101) as f32 - 50.0) / 7.0)
                .collect();
            let mask: Vec<f32> = (0..cols)
                .map(|i| if i % 5 == 4 { f32::MIN } else { 0.0 })
                .collect();
            let (mut fast, mut slow) = (scores.clone(), scores.clone());
            masked_softmax_rows(&mut fast, cols, &mask);
            masked_softmax_rows_any(&mut slow, cols, &mask);
            for (a, b) in fast.iter().zip(&slow) {
                assert!(
                    (a - b).abs() <= 1e-6 * b.max(1e-30) + 1e-12,
                    "{cols}: {a} vs {b}"
                );
            }
            for row in fast.chunks(cols) {
                assert!((row.iter().sum::<f32>() - 1.0).abs() < 1e-5);
                assert!(cols < 5 || row[4] < 1e-30, "a masked key gets no weight");
            }
            #[cfg(target_arch = "x86_64")]
            if Vectors::Avx512.usable() {
                let (mut wide, mut narrow) = (scores.clone(), scores.clone());
                // SAFETY: `usable` found AVX-512 (with AVX2 and FMA); shapes as above.
                unsafe {
                    avx512::masked_softmax_rows(&mut wide, cols, &mask);
                    avx2::masked_softmax_rows(&mut narrow, cols, &mask);
                }
                assert_eq!(wide, narrow, "{cols}");
            }
        }
    }

    #[test]
    fn matches_libm_erf() {
        let xs: Vec<f32> = (-4000..=4000).map(|i| i as f32 / 500.0).collect();
        let t = Tensor::new(xs.as_slice(), &Device::Cpu).unwrap();
        let ours: Vec<f32> = gelu_erf(&t).unwrap().to_vec1().unwrap();
        let reference: Vec<f32> = t.gelu_erf().unwrap().to_vec1().unwrap();
        let mut worst = 0f32;
        for ((x, a), b) in xs.iter().zip(&ours).zip(&reference) {
            assert!((a - b).abs() < 2e-6, "x={x}: {a} vs {b}");
            worst = worst.max((a - b).abs());
        }
        eprintln!("gelu: largest difference from libm's erf {worst:e}");
        // erf itself, finer than the GELU test's grid, against f64 libm.
        let mut worst = 0f64;
        for i in -800_000..=800_000 {
            let x = i as f32 / 100_000.0;
            worst = worst.max((erf(x) as f64 - libm_erf(x as f64)).abs());
        }
        eprintln!("erf: largest error {worst:e}");
        assert!(worst < 1e-6, "{worst}");
    }

    fn libm_erf(x: f64) -> f64 {
        extern "C" {
            fn erf(x: f64) -> f64;
        }
        // SAFETY: libm's erf takes any double.
        unsafe { erf(x) }
    }
}
