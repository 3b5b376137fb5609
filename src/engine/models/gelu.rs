//! GELU with the exact (erf) form, fast on CPU.
//!
//! candle's `gelu_erf` calls libm's erf per element on one thread; on MiniLM's intermediate
//! layer it cost about as much as the matmul before it. This version uses the Abramowitz &
//! Stegun 7.1.26 erf (absolute error < 1.5e-7) with a polynomial exp, written so the compiler
//! vectorises it, and splits the work across threads.

use candle_core::{Device, Result, Tensor};
use rayon::prelude::*;

#[inline(always)]
fn exp_neg(x: f32) -> f32 {
    // e^x for x <= 0: 2^k * e^r with |r| <= ln2/2, degree-6 Taylor polynomial (rel. error < 3e-8).
    // floor(y + 0.5) rather than round(): it maps to one vector instruction.
    let x = x.max(-87.0);
    let k = (x * std::f32::consts::LOG2_E + 0.5).floor();
    let r = x - k * 0.693_145_75 - k * 1.428_606_8e-6;
    let p = 1.0
        + r * (1.0
            + r * (0.5
                + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0))))));
    p * f32::from_bits(((k as i32 + 127) as u32) << 23)
}

#[inline(always)]
fn gelu_one(x: f32) -> f32 {
    let z = x.abs() * std::f32::consts::FRAC_1_SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * z);
    let poly = t
        * (0.254_829_6
            + t * (-0.284_496_74 + t * (1.421_413_8 + t * (-1.453_152 + t * 1.061_405_4))));
    // branch-free sign so the loop vectorises
    let erf = (1.0 - poly * exp_neg(-z * z)).copysign(x);
    0.5 * x * (1.0 + erf)
}

/// GELU in place over a buffer, on all cores.
pub fn gelu_in_place(v: &mut [f32]) {
    v.par_chunks_mut(16 * 1024).for_each(gelu_slice);
}

fn gelu_slice(c: &mut [f32]) {
    // The default x86-64 target has SSE2 only (no vector floor, no FMA): use AVX2 when the CPU has it.
    #[cfg(target_arch = "x86_64")]
    if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
        // SAFETY: the features this function is compiled for were detected above.
        unsafe { gelu_slice_avx2(c) };
        return;
    }
    c.iter_mut().for_each(|e| *e = gelu_one(*e));
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn gelu_slice_avx2(c: &mut [f32]) {
    c.iter_mut().for_each(|e| *e = gelu_one(*e));
}

/// `0.5 x (1 + erf(x / √2))`, elementwise. Non-CPU tensors use candle's own kernel.
pub fn gelu_erf(x: &Tensor) -> Result<Tensor> {
    if !matches!(x.device(), Device::Cpu) || x.dtype() != candle_core::DType::F32 {
        return x.gelu_erf();
    }
    let shape = x.shape().clone();
    let mut v: Vec<f32> = x.flatten_all()?.to_vec1()?;
    v.par_chunks_mut(16 * 1024).for_each(gelu_slice);
    Tensor::from_vec(v, shape, x.device())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_libm_erf() {
        let xs: Vec<f32> = (-4000..=4000).map(|i| i as f32 / 500.0).collect();
        let t = Tensor::new(xs.as_slice(), &Device::Cpu).unwrap();
        let ours: Vec<f32> = gelu_erf(&t).unwrap().to_vec1().unwrap();
        let reference: Vec<f32> = t.gelu_erf().unwrap().to_vec1().unwrap();
        for ((x, a), b) in xs.iter().zip(&ours).zip(&reference) {
            assert!((a - b).abs() < 2e-6, "x={x}: {a} vs {b}");
        }
    }
}
