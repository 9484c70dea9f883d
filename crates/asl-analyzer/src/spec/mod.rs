//! Spec data shared by the rules and the editor features (rust-analyzer's `ide-db`): tables of
//! what the Amazon States Language defines, with no rule logic and no editor terms.

pub(crate) mod intrinsics;
