//! The kernels against the definition, against each other, and against f32.

use super::rows::*;
use super::*;
#[cfg(target_arch = "x86_64")]
use crate::engine::kernels::isa::Vectors;

fn data(len: usize, seed: u32) -> Vec<f32> {
    let mut s = seed;
    (0..len)
        .map(|_| {
            s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (s >> 8) as f32 / (1u32 << 24) as f32 * 2.0 - 1.0
        })
        .collect()
}

/// `k × n` → `n × k`.
fn transposed(wt: &[f32], k: usize, n: usize) -> Vec<f32> {
    (0..n * k).map(|e| wt[(e % k) * n + e / k]).collect()
}

/// Every kernel gives the integers the definition gives (they must agree exactly), and the
/// product is within the error int8 rounding allows of the f32 product.
#[test]
fn kernels_match_the_definition_and_f32_within_rounding() {
    let shapes = [
        (1, 384, 384),
        (7, 384, 1152),
        (70, 130, 37),
        (5, 3, 16),
        (97, 1536, 384),
        (33, 64, 48),
    ];
    for (rows, k, n) in shapes {
        let x = data(rows * k, 1);
        let wt = data(k * n, 2);
        let w = QWeights::quantize(&transposed(&wt, k, n), n, k);
        let bias = data(rows * n, 3);
        let q = quantize_rows(&x, rows, &w, false);
        let mut slow = bias.clone();
        portable_rows(&q, 0, rows, &w, &mut slow);
        let mut fast = bias.clone();
        for kernel in Kernel::ALL {
            fast.copy_from_slice(&bias);
            product(kernel, &x, rows, &w, &mut fast, Epilogue::default());
            for (a, b) in fast.iter().zip(&slow) {
                assert!(
                    (a - b).abs() <= 1e-4 * b.abs().max(1.0),
                    "{kernel:?}: {a} vs {b} ({rows}×{k}×{n})"
                );
            }
        }
        // Against f32: each product term is off by at most half a step of each factor.
        let wd = w.dequantize();
        for r in 0..rows {
            let xr = &x[r * k..][..k];
            let amax = xr.iter().fold(0f32, |m, v| m.max(v.abs()));
            for j in 0..n {
                let exact: f32 =
                    bias[r * n + j] + (0..k).map(|i| xr[i] * wt[i * n + j]).sum::<f32>();
                let bound = (0..k)
                    .map(|i| (amax / 254.0) * wd[i * n + j].abs() + xr[i].abs() * w.scales[j] / 2.0)
                    .sum::<f32>();
                let got = fast[r * n + j];
                assert!(
                    (got - exact).abs() <= bound + 1e-4,
                    "{got} vs {exact} (bound {bound})"
                );
            }
        }
    }
}

/// With a bias and an activation, every kernel gives `act(b + x · Wᵀ)`, and the same floats,
/// split over the threads or on the calling thread (`linear_here`, the by-sequence path).
#[test]
fn bias_and_activation_are_applied_by_every_kernel() {
    let (rows, k, n) = (45, 128, 48);
    let x = data(rows * k, 8);
    let w = QWeights::quantize(&data(n * k, 9), n, k);
    let bias = data(n, 10);
    let relu = |c: &mut [f32]| c.iter_mut().for_each(|v| *v = v.max(0.0));
    let epilogue = Epilogue {
        bias: Some(&bias),
        then: Some(&relu),
    };
    let mut want = vec![0f32; rows * n];
    accumulate_with_portable(&x, rows, &w, &mut want);
    for (i, v) in want.iter_mut().enumerate() {
        *v = (*v + bias[i % n]).max(0.0);
    }
    for kernel in Kernel::ALL {
        let mut got = vec![f32::NAN; rows * n];
        product(kernel, &x, rows, &w, &mut got, epilogue);
        let mut here = vec![f32::NAN; rows * n];
        linear_here(&x, rows, &w, &mut here, epilogue);
        assert_eq!(got, here, "{kernel:?}");
        for (a, b) in got.iter().zip(&want) {
            assert!(
                (a - b).abs() <= 1e-4 * b.abs().max(1.0),
                "{kernel:?}: {a} vs {b}"
            );
        }
    }
    assert!(want.contains(&0.0) && want.iter().any(|v| *v > 0.0));
}

/// Inputs known to be ≥ −0.17 (GELU's outputs) quantized from there up: every kernel gives
/// the same result, and it is closer to f32 than the symmetric quantization of the same
/// inputs (one more bit).
#[test]
fn inputs_with_a_floor_use_the_unsigned_range() {
    let (rows, k, n) = (37, 256, 40);
    // GELU-like rows: mostly small, down to −0.17, a few large.
    let x: Vec<f32> = data(rows * k, 11)
        .iter()
        .map(|v| if *v > 0.8 { (v - 0.8) * 20.0 } else { v * 0.17 })
        .collect();
    assert!(x.iter().all(|v| *v >= -0.17) && x.iter().any(|v| *v > 1.0));
    let w = data(n * k, 12);
    let exact: Vec<f32> = (0..rows * n)
        .map(|e| {
            let (r, j) = (e / n, e % n);
            (0..k).map(|i| x[r * k + i] * w[j * k + i]).sum()
        })
        .collect();
    let error = |inputs: Inputs| {
        let q = QWeights::quantize_for(&w, n, k, inputs);
        let mut want = vec![0f32; rows * n];
        accumulate_with_portable(&x, rows, &q, &mut want);
        for kernel in Kernel::ALL {
            let mut got = vec![0f32; rows * n];
            product(kernel, &x, rows, &q, &mut got, Epilogue::default());
            assert_eq!(got, want, "{kernel:?} {inputs:?}");
        }
        want.iter()
            .zip(&exact)
            .map(|(a, b)| (a - b).abs())
            .sum::<f32>()
            / exact.len() as f32
    };
    let (signed, unsigned) = (error(Inputs::Any), error(Inputs::AtLeast(-0.17)));
    assert!(
        unsigned < 0.75 * signed,
        "mean error {unsigned} vs {signed}"
    );
}

/// 7-bit weights (what the AVX2 kernel is given): every kernel gives the portable loop's floats
/// exactly, at the extremes too (x at ±its maximum, so u is 1 or 255, against weights at ±63,
/// where `vpmaddubsw` would saturate if a pair could pass 32,767), and the error against f32
/// stays within twice the 8-bit error.
#[test]
fn seven_bit_weights_are_exact_on_every_kernel() {
    let (rows, k, n) = (38, 392, 50);
    let sign = |v: &f32| if *v < 0.0 { -1.0 } else { 1.0 };
    let extreme_x: Vec<f32> = data(rows * k, 21).iter().map(sign).collect();
    let extreme_w: Vec<f32> = data(n * k, 22).iter().map(sign).collect();
    let (x, w) = (data(rows * k, 23), data(n * k, 24));
    for (x, w, inputs) in [
        (&extreme_x, &extreme_w, Inputs::Any),
        (&extreme_x, &extreme_w, Inputs::AtLeast(-1.0)),
        (&x, &w, Inputs::Any),
    ] {
        let q = QWeights::quantize_levels(w, n, k, inputs, 63);
        assert!(q.packed.iter().all(|v| v.abs() <= 63));
        let mut want = vec![0f32; rows * n];
        accumulate_with_portable(x, rows, &q, &mut want);
        for kernel in Kernel::ALL {
            let mut got = vec![0f32; rows * n];
            product(kernel, x, rows, &q, &mut got, Epilogue::default());
            assert_eq!(got, want, "{kernel:?} {inputs:?}");
        }
    }
    let error = |levels: i32| {
        let q = QWeights::quantize_levels(&w, n, k, Inputs::Any, levels);
        let mut got = vec![0f32; rows * n];
        accumulate_with_portable(&x, rows, &q, &mut got);
        (0..rows * n)
            .map(|e| {
                let (r, j) = (e / n, e % n);
                let exact: f32 = (0..k).map(|i| x[r * k + i] * w[j * k + i]).sum();
                (got[e] - exact).abs()
            })
            .sum::<f32>()
    };
    let (eight, seven) = (error(127), error(63));
    assert!(seven > eight && seven < 2.5 * eight, "{seven} vs {eight}");
}

fn accumulate_with_portable(x: &[f32], rows: usize, w: &QWeights, y: &mut [f32]) {
    let q = quantize_rows(x, rows, w, false);
    portable_rows(&q, 0, rows, w, y);
}

/// A CPU that has AMX-INT8 runs it: otherwise a faster kernel is silently lost (a Linux that
/// refused the tile permission would show here).
#[test]
fn amx_is_used_where_the_cpu_has_it() {
    #[cfg(target_arch = "x86_64")]
    {
        let edx = std::arch::x86_64::__cpuid_count(7, 0).edx;
        let cpu_has = edx & (1 << 24) != 0 && edx & (1 << 25) != 0;
        if cpu_has && cfg!(target_os = "linux") {
            assert_eq!(Kernel::Amx.or_next(), Kernel::Amx);
        } else {
            assert_ne!(Kernel::Amx.or_next(), Kernel::Amx);
        }
    }
}

#[test]
fn row_quantization_is_the_same_on_every_cpu_within_one_step() {
    let x = data(1000, 7);
    let mut any = vec![0u8; 1000];
    let mut here = vec![0u8; 1000];
    let s_any = quantize_row_any(&x, &mut any);
    let s_here = quantize_row(&x, &mut here);
    assert_eq!(s_any, s_here);
    assert!(any.iter().zip(&here).all(|(a, b)| a.abs_diff(*b) <= 1));
    assert!(quantize_row(&[1.0, f32::NAN], &mut [0; 2]).is_nan());
    assert_eq!(quantize_row(&[0.0; 20], &mut [0; 20]), 0.0);
    // From a floor: the row's largest value is 255, its floor 0.
    let gelu: Vec<f32> = x.iter().map(|v| v.max(-0.17)).collect();
    let mut u = vec![0u8; 1000];
    let s = quantize_row_unsigned(&gelu, 0.17, &mut u);
    let top = gelu.iter().cloned().fold(f32::MIN, f32::max);
    assert!((s - (top + 0.17) / 255.0).abs() < 1e-7);
    assert_eq!(u.iter().max(), Some(&255));
    for (q, v) in u.iter().zip(&gelu) {
        assert!((*q as f32 * s - 0.17 - v).abs() <= s / 2.0 + 1e-6);
    }
    assert!(quantize_row_unsigned(&[1.0, f32::NAN], 0.17, &mut [0; 2]).is_nan());
    assert_eq!(quantize_row_unsigned(&[-0.17; 20], 0.17, &mut [9; 20]), 0.0);
    let mut any = vec![0u8; 1000];
    assert_eq!(quantize_row_unsigned_any(&gelu, 0.17, &mut any), s);
    assert!(any.iter().zip(&u).all(|(a, b)| a.abs_diff(*b) <= 1));
    // The AVX2 and AVX-512 builds give the same bytes (a forced `avx2` run is an AVX2 machine's).
    #[cfg(target_arch = "x86_64")]
    if Vectors::Avx512.usable() {
        let (mut a, mut b) = (vec![0u8; 1000], vec![0u8; 1000]);
        for n in [1000, 999, 17, 16, 5] {
            // SAFETY: `usable` found AVX-512 (so AVX2 and FMA too).
            let (sa, sb) = unsafe {
                (
                    rows::avx2::quantize_row(&x[..n], &mut a),
                    rows::avx512::quantize_row(&x[..n], &mut b),
                )
            };
            assert_eq!((sa, &a), (sb, &b), "{n}");
            let (sa, sb) = unsafe {
                (
                    rows::avx2::quantize_row_unsigned(&gelu[..n], 0.17, &mut a),
                    rows::avx512::quantize_row_unsigned(&gelu[..n], 0.17, &mut b),
                )
            };
            assert_eq!((sa, &a), (sb, &b), "{n}");
        }
        // A NaN inside the vector part, not only in the tail.
        let mut nan = vec![1.0f32; 17];
        nan[3] = f32::NAN;
        // SAFETY: as above.
        assert!(unsafe { rows::avx2::quantize_row(&nan, &mut a) }.is_nan());
        assert!(unsafe { rows::avx2::quantize_row_unsigned(&nan, 0.17, &mut a) }.is_nan());
    }
}

#[test]
fn zero_rows_and_columns_stay_exact() {
    let (k, n) = (8, 20);
    let mut wt = data(k * n, 4);
    for i in 0..k {
        wt[i * n + 3] = 0.0;
    }
    let w = QWeights::quantize(&transposed(&wt, k, n), n, k);
    let mut x = data(2 * k, 5);
    x[..k].iter_mut().for_each(|v| *v = 0.0);
    let mut y = vec![0.5f32; 2 * n];
    linear(&x, 2, &w, &mut y, Epilogue::default());
    assert!(y[..n].iter().all(|v| *v == 0.5), "a zero row adds nothing");
    assert_eq!(y[n + 3], 0.5, "a zero column adds nothing");
}
