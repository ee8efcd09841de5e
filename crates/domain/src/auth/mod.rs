//! Authentication rules: passwords (argon2id), TOTP second factor, opaque
//! tokens for sessions and API clients, and sign-in throttling. Pure
//! functions: randomness comes in as a parameter, time as a timestamp.

mod password;
mod throttle;
mod token;
mod totp;

pub use password::{
    Password, PasswordError, hash_password, verify_password, verify_unknown_account,
};
pub use throttle::{SignInCounter, SignInThrottle, ThrottleRule};
pub use token::{OpaqueToken, token_hash};
pub use totp::{TotpError, TotpSecret};
