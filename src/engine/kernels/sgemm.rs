//! f32 matrix multiply on row-major slices with arbitrary row strides, for the CPU encoder.
//!
//! It calls the `gemm` crate (candle's own CPU matmul) with its AVX-512 kernels switched on
//! (Cargo.toml). Row strides let attention read Q, K and V straight out of the fused QKV buffer
//! and write each head's output into its columns, with no copies.

/// A row-major matrix inside a slice: `rows × cols`, row `i` starting at `i * stride`.
#[derive(Clone, Copy)]
pub struct Mat<'a> {
    /// The backing data (may hold more than this matrix).
    pub data: &'a [f32],
    /// Number of rows.
    pub rows: usize,
    /// Number of columns.
    pub cols: usize,
    /// Distance between the starts of consecutive rows.
    pub stride: usize,
}

impl<'a> Mat<'a> {
    /// A matrix at `data[offset..]`; panics when it does not fit in `data`.
    pub fn new(data: &'a [f32], offset: usize, rows: usize, cols: usize, stride: usize) -> Self {
        let data = &data[offset..];
        assert!(
            fits(data.len(), rows, cols, stride),
            "matrix outside its buffer"
        );
        Mat {
            data,
            rows,
            cols,
            stride,
        }
    }
}

fn fits(len: usize, rows: usize, cols: usize, stride: usize) -> bool {
    rows == 0 || cols == 0 || (cols <= stride && (rows - 1) * stride + cols <= len)
}

/// `C = scale · A · B (+ C when accumulate)`, or `A · Bᵀ` when `b_transposed` (B is then
/// stored `n × k`). C is `a.rows × n` at row stride `ldc` inside `c`. `parallel` lets the
/// multiply use all threads; inner calls from an already parallel loop pass false.
#[allow(clippy::too_many_arguments)]
pub fn sgemm(
    a: Mat,
    b: Mat,
    b_transposed: bool,
    c: &mut [f32],
    ldc: usize,
    scale: f32,
    accumulate: bool,
    parallel: bool,
) {
    let (m, k) = (a.rows, a.cols);
    let (kb, n) = if b_transposed {
        (b.cols, b.rows)
    } else {
        (b.rows, b.cols)
    };
    assert_eq!(k, kb, "sgemm: inner dimensions differ");
    assert!(fits(c.len(), m, n, ldc), "sgemm: output outside its buffer");
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        if !accumulate {
            c.chunks_mut(ldc).take(m).for_each(|r| r[..n].fill(0.0));
        }
        return;
    }
    // SAFETY: the asserts above (and in Mat::new) keep every element the multiply touches
    // inside a, b and c; c is borrowed mutably, so it overlaps neither input.
    unsafe {
        backend(
            a,
            b,
            b_transposed,
            c,
            ldc,
            m,
            n,
            k,
            scale,
            accumulate,
            parallel,
        )
    }
}

#[allow(clippy::too_many_arguments)]
unsafe fn backend(
    a: Mat,
    b: Mat,
    b_transposed: bool,
    c: &mut [f32],
    ldc: usize,
    m: usize,
    n: usize,
    k: usize,
    scale: f32,
    accumulate: bool,
    parallel: bool,
) {
    // gemm's convention: dst = alpha·dst + beta·lhs·rhs, strides given as (column, row).
    let (rhs_cs, rhs_rs) = if b_transposed {
        (b.stride as isize, 1)
    } else {
        (1, b.stride as isize)
    };
    let threads = rayon::current_num_threads();
    gemm::gemm(
        m,
        n,
        k,
        c.as_mut_ptr(),
        1,
        ldc as isize,
        accumulate,
        a.data.as_ptr(),
        1,
        a.stride as isize,
        b.data.as_ptr(),
        rhs_cs,
        rhs_rs,
        if accumulate { 1.0 } else { 0.0 },
        scale,
        false,
        false,
        false,
        if parallel && threads > 1 {
            gemm::Parallelism::Rayon(threads)
        } else {
            gemm::Parallelism::None
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(a: &[f32], b: &[f32], m: usize, k: usize, n: usize) -> Vec<f32> {
        let mut c = vec![0.0; m * n];
        for i in 0..m {
            for j in 0..n {
                c[i * n + j] = (0..k).map(|p| a[i * k + p] * b[p * n + j]).sum();
            }
        }
        c
    }

    #[test]
    fn strided_transposed_and_accumulating_products_match_the_definition() {
        let (m, k, n) = (7, 5, 3);
        let a: Vec<f32> = (0..m * k).map(|i| (i as f32 * 0.37).sin()).collect();
        let b: Vec<f32> = (0..k * n).map(|i| (i as f32 * 0.11).cos()).collect();
        let want = naive(&a, &b, m, k, n);

        // A inside a wider buffer (stride 8), C written at columns 2..5 of a stride-6 buffer.
        let mut wide = vec![9.0; m * 8];
        for i in 0..m {
            wide[i * 8 + 1..i * 8 + 1 + k].copy_from_slice(&a[i * k..(i + 1) * k]);
        }
        let mut c = vec![1.0; m * 6];
        sgemm(
            Mat::new(&wide, 1, m, k, 8),
            Mat::new(&b, 0, k, n, n),
            false,
            &mut c[2..],
            6,
            2.0,
            true,
            true,
        );
        for i in 0..m {
            for j in 0..n {
                let got = c[i * 6 + 2 + j];
                assert!((got - (1.0 + 2.0 * want[i * n + j])).abs() < 1e-5);
            }
            assert_eq!(c[i * 6], 1.0, "columns outside C are untouched");
        }

        // B given transposed (n × k).
        let bt: Vec<f32> = (0..n * k).map(|i| b[(i % k) * n + i / k]).collect();
        let mut c2 = vec![5.0; m * n];
        sgemm(
            Mat::new(&a, 0, m, k, k),
            Mat::new(&bt, 0, n, k, k),
            true,
            &mut c2,
            n,
            1.0,
            false,
            false,
        );
        for (g, w) in c2.iter().zip(&want) {
            assert!((g - w).abs() < 1e-5);
        }
    }
}
