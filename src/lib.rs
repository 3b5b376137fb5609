pub mod error;
pub mod input;
pub mod quotes;
pub mod speakers;
pub mod text;

pub use error::{Error, Result};
pub use input::{Article, InputFormat};
pub mod parties;
