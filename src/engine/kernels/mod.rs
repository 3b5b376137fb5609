//! The engine's own numeric kernels, used by the in-house CPU encoders (`models/bert/cpu.rs`):
//! f32 matrix products on gemm ([`sgemm`]), int8 products on AMX, VNNI or AVX2 ([`qgemm`]),
//! and the row-wise vector math between them ([`vecmath`]), on the vector instructions [`isa`]
//! allows.

pub mod isa;
pub mod qgemm;
pub mod sgemm;
pub mod vecmath;
