//! Accounts' plumbing: password hashing, the session store, who is logged in, and
//! rate limits. The rules themselves live in `services::accounts`.

mod hashers;
pub mod limits;
pub mod passwords;
pub mod session;
pub mod store;
