//! Which vector instructions the row-wise kernels (`vecmath`, row quantization in `qgemm`) are
//! run with: the widest the CPU has, or AVX2 when `STANCER_INT8_KERNEL` asks for one of the
//! 256-bit int8 kernels (`avx2`, `avxvnni`), so that a forced run on an AVX-512 machine is the
//! whole forward pass an AVX2 machine runs (issue 26 was measured that way on Intel before an
//! AMD EPYC was at hand). The f32 products (`sgemm`, the gemm crate) pick their own.

/// Vector instruction sets the row-wise kernels have builds for, narrowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Vectors {
    /// The crate's target (SSE2 on x86-64).
    Baseline,
    /// AVX2 with FMA.
    Avx2,
    /// AVX-512 F, BW and VL (with AVX2 and FMA).
    Avx512,
}

impl Vectors {
    /// The set the kernels use in this process, decided once.
    pub fn detect() -> Vectors {
        static V: std::sync::OnceLock<Vectors> = std::sync::OnceLock::new();
        *V.get_or_init(|| {
            let asked = std::env::var("STANCER_INT8_KERNEL").ok();
            Vectors::hardware().min(Vectors::ceiling(asked.as_deref()))
        })
    }

    /// The widest set this CPU runs.
    pub fn hardware() -> Vectors {
        #[cfg(target_arch = "x86_64")]
        {
            use std::is_x86_feature_detected as has;
            if has!("avx2") && has!("fma") {
                return if has!("avx512f") && has!("avx512bw") && has!("avx512vl") {
                    Vectors::Avx512
                } else {
                    Vectors::Avx2
                };
            }
        }
        Vectors::Baseline
    }

    /// The widest set allowed when `STANCER_INT8_KERNEL` is `kernel`. The portable int8 kernel
    /// is a reference for the integers, not a machine, so it leaves the vectors alone.
    pub fn ceiling(kernel: Option<&str>) -> Vectors {
        match kernel {
            Some("avx2" | "avxvnni") => Vectors::Avx2,
            _ => Vectors::Avx512,
        }
    }

    /// Whether the kernels may use `self`'s instructions in this process.
    pub fn usable(self) -> bool {
        self <= Vectors::detect()
    }
}
