//! Who is asking and what they may see (`caller`), and accounts' plumbing: password
//! hashing, the session store, who is logged in, and rate limits. The account rules
//! themselves live in `services::accounts`.

pub mod caller;
pub mod hashers;
pub mod limits;
pub mod passwords;
pub mod session;
pub mod store;
