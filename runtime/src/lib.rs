//! The runtime of the clients that postman-codegen generates from Postman collections.
//!
//! A generated client names this crate once (`pub use ::postman_codegen_runtime as runtime;`)
//! and reaches everything through it, so the crate that holds the client depends on this crate
//! alone. Users meet [`Client`] (servers, variables, credentials, retries), the [`Operation`]
//! trait that every generated request implements (`build`, `to_curl`, `send`), [`Response`] and
//! [`Error`]. Items marked hidden are called by generated code only.
//!
//! Each signing scheme is a cargo feature, so a client compiles only what its collection uses:
//! `oauth1`, `digest`, `hawk`, `oauth2`, `jwt` (JWT and ASAP), `aws` (SigV4) and `edgegrid`.

pub use futures_util;
pub use http;
pub use reqwest;
pub use serde;
pub use serde_json;

mod body;
mod builder;
mod client;
mod credentials;
mod decode;
mod error;
mod operation;
mod prepared;
mod random;
mod response;
mod retry;
mod variables;

pub mod paging;
pub mod scripts;

pub mod tokens;

#[cfg(feature = "aws")]
pub mod aws;
#[cfg(feature = "digest")]
pub mod digest;
#[cfg(feature = "edgegrid")]
pub mod edgegrid;
#[cfg(feature = "hawk")]
pub mod hawk;
#[cfg(feature = "jwt")]
pub mod jwt;
#[cfg(feature = "mock")]
pub mod mock;
#[cfg(feature = "oauth1")]
pub mod oauth1;
#[cfg(feature = "oauth2")]
pub mod oauth2;
#[cfg(feature = "js")]
mod sandbox;
#[cfg(feature = "js")]
mod script_requests;

include!("dynamic_names.rs");
include!("secret_names.rs");

pub use body::{Body, FilePart, GraphQlBody, Part};
pub use client::Client;
pub use credentials::{AuthScheme, Challenge, Credentials, Secret, Signer};
pub use decode::{decode_json, JsonError};
pub use error::{ApiError, BuildError, DecodeError, Error, TransportError};
pub use operation::{Operation, OperationId, Outcome};
pub use paging::{NextPage, Paged};
pub use prepared::Prepared;
pub use response::{RawResponse, Response};
pub use retry::RetryPolicy;
pub use tokens::{AccessToken, TokenError, TokenFuture, TokenGrant, TokenSource};

#[doc(hidden)]
pub use body::to_json;
#[doc(hidden)]
pub use builder::{Piece, RequestBuilder};
#[doc(hidden)]
pub use decode::{decode_variant, JsonFields};
#[doc(hidden)]
pub use prepared::Redacted;
#[doc(hidden)]
pub use variables::NONCE_CHARS;

/// This crate's version, which generated code checks against the generator's.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Whether this crate's version is `version`: generated code asserts it at compile time.
#[doc(hidden)]
pub const fn is_version(version: &str) -> bool {
    let (asked, own) = (version.as_bytes(), VERSION.as_bytes());
    if asked.len() != own.len() {
        return false;
    }
    let mut i = 0;
    while i < own.len() {
        if asked[i] != own[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Which signing schemes this build of the runtime holds; a generated client asserts at
/// compile time that the ones its collection uses are on.
#[doc(hidden)]
pub mod features {
    /// OAuth 1.0a signatures.
    pub const OAUTH1: bool = cfg!(feature = "oauth1");
    /// Digest access authentication.
    pub const DIGEST: bool = cfg!(feature = "digest");
    /// Hawk authentication.
    pub const HAWK: bool = cfg!(feature = "hawk");
    /// OAuth 2.0 token grants.
    pub const OAUTH2: bool = cfg!(feature = "oauth2");
    /// JWT and ASAP bearer tokens.
    pub const JWT: bool = cfg!(feature = "jwt");
    /// AWS Signature Version 4.
    pub const AWS: bool = cfg!(feature = "aws");
    /// Akamai EdgeGrid.
    pub const EDGEGRID: bool = cfg!(feature = "edgegrid");
    /// The mock of a collection's API, for tests.
    pub const MOCK: bool = cfg!(feature = "mock");
    /// Scripts not translated in full run in an embedded JavaScript engine.
    pub const JS: bool = cfg!(feature = "js");
}
