//! What the `postman-codegen` command line is made of besides its arguments: its error, the
//! files it writes, and the decode checks that `decode --responses` runs. The workspace's
//! `xtask` (the corpus, decode and parity checks) builds on the same pieces. Not a stable API:
//! build scripts depend on `postman-codegen`, the library.

pub mod cli_error;
pub mod decode_check;
pub mod decoding;
pub mod files;
pub mod scratch;
