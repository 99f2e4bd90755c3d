//! HTTP pieces the features share, below them and below the assembly in `server`: the generic
//! adapter that lets a plain form post reach a server function (`forms`), the page replay that
//! answers a rejected post with its page again (`replay`), redirects (`respond`), the client's
//! address (`client`).

pub mod client;
pub mod forms;
pub mod metrics;
pub mod replay;
pub mod respond;
