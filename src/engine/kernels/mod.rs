//! The engine's own numeric kernels, used by the in-house CPU encoders (`models/bert/cpu.rs`):
//! f32 matrix products on gemm ([`sgemm`]), int8 products on AMX or AVX512-VNNI ([`qgemm`]),
//! and the row-wise vector math between them ([`vecmath`]).

pub mod qgemm;
pub mod sgemm;
pub mod vecmath;
