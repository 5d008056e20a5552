//! The eight-level ladder (新八级工) as ranks. Names, aliases and which ranks count as skilled or
//! high-skilled come from the policy file (`policy::Ladder`); this type only guarantees the rank
//! is on the ladder.

use serde::{Deserialize, Serialize};

/// A rank on the ladder: 1 = 学徒工 … 8 = 首席技师.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Level(u8);

impl Level {
    pub const MIN: u8 = 1;
    pub const MAX: u8 = 8;

    pub fn new(rank: u8) -> Option<Level> {
        (Self::MIN..=Self::MAX).contains(&rank).then_some(Level(rank))
    }

    pub fn rank(self) -> u8 {
        self.0
    }

    /// Every rank on the ladder, lowest first.
    pub fn all() -> impl Iterator<Item = Level> {
        (Self::MIN..=Self::MAX).map(Level)
    }
}

impl TryFrom<u8> for Level {
    type Error = String;
    fn try_from(rank: u8) -> Result<Self, Self::Error> {
        Level::new(rank).ok_or_else(|| format!("level rank {rank} is not within 1..=8"))
    }
}

impl From<Level> for u8 {
    fn from(l: Level) -> u8 {
        l.0
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}
