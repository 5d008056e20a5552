//! Response types shared by several resources. Registry codes are shown with their names from
//! the policy in force (or the registry's enumerations), so a client needs no second lookup.

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::level::Level;
use gongjiang_domain::policy::Policy;
use gongjiang_domain::registry::{Education, EmploymentStatus, IdType, LevelSource, OrgKind};
use serde::Serialize;
use utoipa::ToSchema;

/// A stored code with its Chinese and English names. The names are `null` when the code is not
/// (or no longer) known to the policy in force.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Label {
    #[schema(example = "120101")]
    pub code: String,
    #[schema(example = "和平区")]
    pub name_zh: Option<String>,
    #[schema(example = "Heping District")]
    pub name_en: Option<String>,
}

impl Label {
    pub fn new(code: &str, names: Option<(&str, &str)>) -> Label {
        Label {
            code: code.to_string(),
            name_zh: names.map(|(zh, _)| zh.to_string()),
            name_en: names.map(|(_, en)| en.to_string()),
        }
    }

    /// A code of one of the registry's enumerations, with the names the enumeration gives it.
    pub fn of<E: Coded>(code: &str) -> Label {
        Label::new(code, E::from_code(code).map(|e| (e.zh(), e.en())))
    }

    pub fn district(policy: &Policy, code: &str) -> Label {
        Label::new(code, policy.district(code).map(|d| (d.name_zh.as_str(), d.name_en.as_str())))
    }

    pub fn industry(policy: &Policy, code: &str) -> Label {
        Label::new(code, policy.industry(code).map(|i| (i.name_zh.as_str(), i.name_en.as_str())))
    }
}

/// The registry's coded enumerations (`gongjiang_domain::registry`), which share `parse`,
/// `zh` and `en` through a macro but no trait.
pub trait Coded: Sized + Copy {
    fn from_code(s: &str) -> Option<Self>;
    fn zh(self) -> &'static str;
    fn en(self) -> &'static str;
}

macro_rules! coded {
    ($($t:ty),+) => {$(
        impl Coded for $t {
            fn from_code(s: &str) -> Option<Self> { <$t>::parse(s) }
            fn zh(self) -> &'static str { <$t>::zh(self) }
            fn en(self) -> &'static str { <$t>::en(self) }
        }
    )+};
}

coded!(IdType, Education, EmploymentStatus, OrgKind, LevelSource);

pub use gongjiang_domain::identifier::mask_identity as mask_id_number;
pub use gongjiang_domain::identifier::mask_name;

/// A rank on the eight-level ladder with the policy's names for it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LevelLabel {
    /// 1 = 学徒工 … 8 = 首席技师.
    #[schema(example = 5, minimum = 1, maximum = 8)]
    pub rank: u8,
    #[schema(example = "技师")]
    pub name_zh: String,
    #[schema(example = "technician")]
    pub name_en: String,
}

impl LevelLabel {
    pub fn new(policy: &Policy, level: Level) -> LevelLabel {
        LevelLabel {
            rank: level.rank(),
            name_zh: policy.ladder.name_zh(level).to_string(),
            name_en: policy.ladder.name_en(level).to_string(),
        }
    }

    /// From a stored rank; `None` for a rank off the ladder (which the store never writes).
    pub fn from_rank(policy: &Policy, rank: i16) -> Option<LevelLabel> {
        let level = Level::new(u8::try_from(rank).ok()?)?;
        Some(LevelLabel::new(policy, level))
    }
}

// Instants as RFC 3339, whatever serde features of `time` the rest of the build happens to
// enable; dates are `gongjiang_domain::dates::serde_iso`.
pub use time::serde::rfc3339;

/// A message in Chinese and English.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Bilingual {
    pub zh: String,
    pub en: String,
}

impl From<Msg> for Bilingual {
    fn from(m: Msg) -> Bilingual {
        Bilingual { zh: m.zh, en: m.en }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_four_and_four() {
        assert_eq!(mask_id_number("11010519491231002X"), "1101**********002X");
        assert_eq!(mask_id_number("E12345678"), "E123*5678");
        assert_eq!(mask_id_number("12345678"), "********");
        assert_eq!(mask_id_number(""), "");
    }

    #[test]
    fn enumeration_codes_are_named() {
        let l = Label::of::<OrgKind>("technician_school");
        assert_eq!(l.name_zh.as_deref(), Some("技工院校"));
        assert_eq!(Label::of::<Education>("no_such_code").name_zh, None);
    }
}

#[cfg(test)]
mod mask_tests {
    use super::*;

    #[test]
    fn names_keep_their_first_and_last_character() {
        assert_eq!(mask_name("张三明"), "张*明");
        assert_eq!(mask_name("欧阳春锋"), "欧**锋");
        assert_eq!(mask_name("李四"), "李*");
        assert_eq!(mask_name("王"), "*");
    }

    #[test]
    fn identity_numbers_keep_four_at_each_end() {
        assert_eq!(mask_id_number("12010119800101123X"), "1201**********123X");
    }
}
