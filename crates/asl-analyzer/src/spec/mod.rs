//! Spec data: the facts of ASL that rules and editor features both read (rust-analyzer's
//! `ide-db`): the field tables, the predefined error names, the intrinsic and JSONata
//! functions, Step Functions' view of the AWS services ([`integrations`]). No rule logic and no
//! editor logic here; both sit above this layer and never import each other's tables.

pub mod errors;
pub mod fields;
pub mod integrations;
pub mod intrinsics;
pub mod jsonata;
