//! Tests for the identifier parsers: resident ID numbers (GB 11643-1999), unified social credit
//! codes (GB 32100-2015) and skill-level certificate numbers (RESEARCH.md §4.1).
//!
//! The check characters are recomputed here by separate, deliberately plain implementations
//! (weights derived as powers, not copied tables), so a wrong table in the library would show.

use gongjiang_domain::bilingual::Explain;
use gongjiang_domain::certificate_no::{
    self, CertificateNo, CertificateNoError, NationalField, ladder_rank_for_level_code, level_code_for_ladder_rank,
};
use gongjiang_domain::id_number::{self, Gender, IdNumber, IdNumberError};
use gongjiang_domain::uscc::{self, RegistrationAuthority, Uscc, UsccError};
use proptest::prelude::*;
use time::Date;
use time::macros::date;

const TODAY: Date = date!(2025 - 06 - 01);

// ---------------------------------------------------------------------------------------------
// Independent reference implementations
// ---------------------------------------------------------------------------------------------

/// ISO 7064 MOD 11-2 for a 17-digit body: weight of digit i (1-based) is 2^(18-i) mod 11.
fn ref_id_check(body17: &str) -> char {
    assert_eq!(body17.len(), 17);
    let mut sum = 0u64;
    for (i, c) in body17.chars().enumerate() {
        let weight = (1u64 << (17 - i)) % 11;
        sum += u64::from(c.to_digit(10).unwrap()) * weight;
    }
    ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize]
}

const USCC_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// GB 32100 check: weight of character i (1-based) is 3^(i-1) mod 31.
fn ref_uscc_check(first17: &str) -> char {
    assert_eq!(first17.len(), 17);
    let mut sum = 0u64;
    let mut weight = 1u64;
    for c in first17.chars() {
        let value = USCC_ALPHABET.find(c).unwrap() as u64;
        sum += value * weight;
        weight = weight * 3 % 31;
    }
    let v = (31 - sum % 31) % 31;
    USCC_ALPHABET.chars().nth(v as usize).unwrap()
}

fn with_id_check(body17: &str) -> String {
    format!("{body17}{}", ref_id_check(body17))
}

fn with_uscc_check(first17: &str) -> String {
    format!("{first17}{}", ref_uscc_check(first17))
}

const PROVINCES: [&str; 34] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43", "44",
    "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
];

// ---------------------------------------------------------------------------------------------
// Resident identity numbers
// ---------------------------------------------------------------------------------------------

/// Published examples, RESEARCH.md §10 (each recomputed there and here).
const PUBLISHED_IDS: [&str; 4] = [
    "11010519491231002X", // Beijing 朝阳; download.csdn.net/download/kudy21/2033732
    "440524188001010014", // Shantou, born 1880; same source
    "34052419800101001X", // m.3dmxku.com/daquan/zonghe/3716345.html
    "370101190102039973", // Jinan; zhshbaida.com/life/285204.html
];

#[test]
fn published_id_numbers_validate() {
    for s in PUBLISHED_IDS {
        assert_eq!(ref_id_check(&s[..17]), s.chars().last().unwrap(), "reference check for {s}");
        let p = IdNumber::parse(s, TODAY).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(p.id.as_str(), s);
        assert!(!p.converted_from_15);
    }
}

#[test]
fn id_accessors() {
    let id = IdNumber::parse("11010519491231002X", TODAY).unwrap().id;
    assert_eq!(id.birth_date(), date!(1949 - 12 - 31));
    assert_eq!(id.gender(), Gender::Female); // sequence 002: even
    assert_eq!(id.region_code(), "110105");
    assert_eq!(id.province_code(), "11");
    assert_eq!(id.sequence_code(), "002");
    assert_eq!(id.check_char(), 'X');
    assert_eq!(id.masked(), "1101**********002X");
    assert_eq!(id.age_on(date!(2025 - 06 - 01)), 75);

    let id = IdNumber::parse("370101190102039973", TODAY).unwrap().id;
    assert_eq!(id.birth_date(), date!(1901 - 02 - 03));
    assert_eq!(id.gender(), Gender::Male); // sequence 997: odd
    assert_eq!(id.masked(), "3701**********9973");
    assert_eq!(id.masked().chars().count(), 18);

    assert_eq!(Gender::Male.name().zh, "男");
    assert_eq!(Gender::Female.name().en, "female");
    assert_eq!(id.segments().len(), 4);
}

#[test]
fn id_lower_case_x_and_whitespace_are_accepted_and_normalised() {
    let p = IdNumber::parse("  11010519491231002x\t", TODAY).unwrap();
    assert_eq!(p.id.as_str(), "11010519491231002X");
}

#[test]
fn id_wrong_check_character_is_rejected_with_expected_and_found() {
    let e = IdNumber::parse("110105194912310021", TODAY).unwrap_err();
    assert_eq!(e, IdNumberError::BadCheckChar { expected: 'X', found: '1' });
    let m = e.explain();
    assert!(m.zh.contains("第 18 位") && m.zh.contains("校验码应为 X，实为 1"), "{}", m.zh);
    assert!(m.en.contains("character 18") && m.en.contains("should be X, found 1"), "{}", m.en);

    let e = IdNumber::parse("440524188001010015", TODAY).unwrap_err();
    assert_eq!(e, IdNumberError::BadCheckChar { expected: '4', found: '5' });
}

#[test]
fn id_impossible_dates_are_rejected() {
    for body in ["11010519800230001", "11010519810229001", "11010519801301001", "11010519800100001"] {
        let s = with_id_check(body); // a correct check digit, so only the date is wrong
        let e = IdNumber::parse(&s, TODAY).unwrap_err();
        assert_eq!(e, IdNumberError::ImpossibleDate { digits: body[6..14].to_string(), legacy_15: false }, "{s}");
        let m = e.explain();
        assert!(m.zh.contains("7–14") && m.zh.contains(&body[6..14]), "{}", m.zh);
        assert!(m.en.contains("7–14") && m.en.contains("not a real calendar date"), "{}", m.en);
    }
    // 29 February in a leap year is fine.
    assert!(IdNumber::parse(&with_id_check("11010519800229001"), TODAY).is_ok());
}

#[test]
fn id_future_and_too_old_dates_are_rejected() {
    let tomorrow = with_id_check("12010120250602001");
    let e = IdNumber::parse(&tomorrow, TODAY).unwrap_err();
    assert_eq!(e, IdNumberError::FutureDate { birth: date!(2025 - 06 - 02), today: TODAY });
    assert!(e.explain().zh.contains("晚于今天"));
    assert!(e.explain().en.contains("after today"));
    // Born today is allowed.
    assert!(IdNumber::parse(&with_id_check("12010120250601001"), TODAY).is_ok());

    let e = IdNumber::parse(&with_id_check("12010118791231001"), TODAY).unwrap_err();
    assert_eq!(e, IdNumberError::TooOld { birth: date!(1879 - 12 - 31) });
    assert!(IdNumber::parse(&with_id_check("12010118800101001"), TODAY).is_ok());
}

#[test]
fn id_fifteen_digit_numbers_are_converted() {
    // 130503 670401 001 -> 130503 19670401 001 + check.
    // By hand: S = 1·7 + 3·9 + 0·10 + 5·5 + 0·8 + 3·4 + 1·2 + 9·1 + 6·6 + 7·3 + 0·7 + 4·9 + 0·10
    //            + 1·5 + 0·8 + 0·4 + 1·2 = 182; 182 mod 11 = 6; "10X98765432"[6] = '6'.
    let p = IdNumber::parse("130503670401001", TODAY).unwrap();
    assert_eq!(p.id.as_str(), "130503196704010016");
    assert_eq!(ref_id_check("13050319670401001"), '6');
    assert!(p.converted_from_15);
    assert_eq!(p.id.birth_date(), date!(1967 - 04 - 01));
    assert_eq!(p.id.gender(), Gender::Male);

    let e = IdNumber::parse("130503670230001", TODAY).unwrap_err();
    assert_eq!(e, IdNumberError::ImpossibleDate { digits: "670230".into(), legacy_15: true });
    assert!(e.explain().zh.contains("7–12"));
}

#[test]
fn id_abolished_tianjin_county_code_still_validates() {
    // 120225 = the former 蓟县, now 蓟州区 120119 (RESEARCH.md §8.1). Check digit by hand:
    // S = 1·7+2·9+0·10+2·5+2·8+5·4+1·2+9·1+8·6+0·3+0·7+1·9+0·10+1·5+0·8+0·4+1·2 = 146 → 146 mod 11 = 3 → '9'.
    let p = IdNumber::parse("120225198001010019", TODAY).unwrap();
    assert_eq!(p.id.region_code(), "120225");
    assert_eq!(ref_id_check("12022519800101001"), '9');
    // A made-up county code in a real province is also accepted: only the province is checked.
    assert!(IdNumber::parse(&with_id_check("12999919800101001"), TODAY).is_ok());
}

#[test]
fn id_structural_errors_name_position_and_reason() {
    let e = IdNumber::parse("", TODAY).unwrap_err();
    assert_eq!(e, IdNumberError::Empty);

    let e = IdNumber::parse("1101051949123100", TODAY).unwrap_err();
    assert_eq!(e, IdNumberError::WrongLength { len: 16 });
    assert!(e.explain().zh.contains("18 位") && e.explain().zh.contains("16 位"));
    assert!(e.explain().en.contains("18 characters") && e.explain().en.contains("found 16"));

    let e = IdNumber::parse("1101A519491231002X", TODAY).unwrap_err();
    assert_eq!(e, IdNumberError::NotDigit { position: 5, found: 'A' });
    assert!(e.explain().zh.contains("第 5 位应为数字"));
    assert!(e.explain().en.contains("character 5 should be a digit"));

    let e = IdNumber::parse("11010519491231002Y", TODAY).unwrap_err();
    assert_eq!(e, IdNumberError::NotDigit { position: 18, found: 'Y' });
    assert!(e.explain().zh.contains("数字或 X"));

    let e = IdNumber::parse("13050367040100X", TODAY).unwrap_err();
    assert_eq!(e, IdNumberError::NotDigit { position: 15, found: 'X' });

    let e = IdNumber::parse(&with_id_check("99010519491231002"), TODAY).unwrap_err();
    assert_eq!(e, IdNumberError::UnknownProvince { code: "99".into() });
    assert!(e.explain().zh.contains("第 1–2 位“99”"));
    assert!(e.explain().en.contains("characters 1–2, '99'"));
}

#[test]
fn id_check_char_helper_matches_reference() {
    for s in PUBLISHED_IDS {
        assert_eq!(id_number::check_char(&s[..17]), Some(ref_id_check(&s[..17])));
    }
    assert_eq!(id_number::check_char("1234"), None);
    assert_eq!(id_number::check_char("1101051949123100A"), None);
}

#[test]
fn province_table_matches_the_brief() {
    let ranges = [(11, 15), (21, 23), (31, 37), (41, 46), (50, 54), (61, 65), (71, 71), (81, 82)];
    for n in 0..100u32 {
        let code = format!("{n:02}");
        let expected = ranges.iter().any(|(a, b)| (*a..=*b).contains(&n));
        assert_eq!(id_number::is_province_prefix(&code), expected, "{code}");
        assert_eq!(id_number::province_name(&code).is_some(), expected, "{code}");
    }
    assert_eq!(id_number::province_name("12").unwrap().zh, "天津市");
}

fn id_parts() -> impl Strategy<Value = (String, Date, u32)> {
    (
        prop::sample::select(PROVINCES.to_vec()),
        0u32..10_000,
        0i64..=(TODAY - date!(1880 - 01 - 01)).whole_days(),
        0u32..1000,
    )
        .prop_map(|(prov, rest, days, seq)| {
            let birth = date!(1880 - 01 - 01) + time::Duration::days(days);
            (format!("{prov}{rest:04}"), birth, seq)
        })
}

fn ymd(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), u8::from(d.month()), d.day())
}

proptest! {
    #[test]
    fn prop_valid_id_body_with_check_round_trips((region, birth, seq) in id_parts()) {
        let body = format!("{region}{}{seq:03}", ymd(birth));
        let s = with_id_check(&body);
        let p = IdNumber::parse(&s, TODAY).unwrap();
        prop_assert_eq!(p.id.as_str(), s.as_str());
        prop_assert!(!p.converted_from_15);
        prop_assert_eq!(p.id.birth_date(), birth);
        prop_assert_eq!(p.id.region_code(), region.as_str());
        prop_assert_eq!(p.id.gender(), if seq % 2 == 1 { Gender::Male } else { Gender::Female });
        prop_assert_eq!(id_number::check_char(&body), Some(ref_id_check(&body)));
        // Re-parsing the canonical form is the identity; lower case and padding are tolerated.
        let again = IdNumber::parse(&format!(" {} ", s.to_lowercase()), TODAY).unwrap();
        prop_assert_eq!(again.id, p.id);
    }

    #[test]
    fn prop_any_single_character_change_is_detected(
        (region, birth, seq) in id_parts(),
        pos in 0usize..18,
        replacement in prop::sample::select("0123456789X".chars().collect::<Vec<_>>()),
    ) {
        let s = with_id_check(&format!("{region}{}{seq:03}", ymd(birth)));
        let mut chars: Vec<char> = s.chars().collect();
        prop_assume!(chars[pos] != replacement);
        chars[pos] = replacement;
        let mutated: String = chars.into_iter().collect();
        prop_assert!(IdNumber::parse(&mutated, TODAY).is_err(), "{} accepted", mutated);
    }

    #[test]
    fn prop_fifteen_digit_conversion(
        prov in prop::sample::select(PROVINCES.to_vec()),
        rest in 0u32..10_000,
        days in 0i64..36_500,
        seq in 0u32..1000,
    ) {
        let birth = date!(1900 - 01 - 01) + time::Duration::days(days);
        prop_assume!(birth.year() <= 1999);
        let yymmdd = &ymd(birth)[2..];
        let old = format!("{prov}{rest:04}{yymmdd}{seq:03}");
        let p = IdNumber::parse(&old, TODAY).unwrap();
        let expected = with_id_check(&format!("{prov}{rest:04}19{yymmdd}{seq:03}"));
        prop_assert_eq!(p.id.as_str(), expected.as_str());
        prop_assert!(p.converted_from_15);
        prop_assert_eq!(p.id.birth_date(), birth);
    }
}

// ---------------------------------------------------------------------------------------------
// Unified social credit codes
// ---------------------------------------------------------------------------------------------

/// Real published codes. Each was recomputed with the reference check above (and by a one-off
/// script when this test was written).
const PUBLISHED_USCCS: [&str; 5] = [
    // Commonly published example (Fuzhou); its organisation code is an early "M…" pilot code.
    "91350100M000100Y43",
    // dromara/hutool, hutool-core/src/test/java/cn/hutool/core/util/CreditCodeUtilTest.java
    "91310110666007217T",
    "91310115591693856A",
    // winjs-dev/cloud-utils, src/isUnifiedSocialCreditCode.ts (doc examples)
    "91230184MA1BUFLT44",
    "92371000MA3MXH0E3W",
];

#[test]
fn published_usccs_validate() {
    for s in PUBLISHED_USCCS {
        assert_eq!(ref_uscc_check(&s[..17]), s.chars().last().unwrap(), "reference check for {s}");
        let u = Uscc::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(u.as_str(), s);
        assert_eq!(uscc::check_char(&s[..17]), Some(ref_uscc_check(&s[..17])));
        assert!(u.organisation_code_check_ok(), "{s}");
    }
}

#[test]
fn published_but_nonconforming_usccs_are_rejected() {
    // An early Xiamen pilot code that does not satisfy the GB 32100 check; hutool's own test
    // (CreditCodeUtilTest.isCreditCode2) expects it to fail for the same reason.
    let e = Uscc::parse("91350211M00013FA1N").unwrap_err();
    assert_eq!(e, UsccError::BadCheckChar { expected: '3', found: 'N' });
    // Shown as an "example" on a Q&A page (galtzs.cn); the check character is wrong.
    let e = Uscc::parse("91310115MA1G4L1WXK").unwrap_err();
    assert_eq!(e, UsccError::BadCheckChar { expected: '7', found: 'K' });
    let m = e.explain();
    assert!(m.zh.contains("第 18 位校验码应为 7，实为 K"), "{}", m.zh);
    assert!(m.en.contains("character 18") && m.en.contains("should be 7, found K"), "{}", m.en);
}

#[test]
fn uscc_segments_describe_the_code() {
    let u = Uscc::parse("91350100M000100Y43").unwrap();
    assert_eq!(u.authority(), RegistrationAuthority::MarketRegulation);
    assert_eq!(u.authority_code(), '9');
    assert_eq!(u.organisation_type_code(), '1');
    assert_eq!(u.organisation_type().unwrap().zh, "企业");
    assert_eq!(u.region_code(), "350100");
    assert!(u.region().zh.contains("福建省"));
    assert_eq!(u.organisation_code(), "M000100Y4");
    assert_eq!(u.check_char(), '3');
    let segs = u.segments();
    assert_eq!(segs.len(), 5);
    assert_eq!(segs[0].1, "9");
    assert_eq!(segs[0].2.zh, "工商（市场监管）");

    let u = Uscc::parse("92371000MA3MXH0E3W").unwrap();
    assert_eq!(u.organisation_type().unwrap().zh, "个体工商户");

    // 民政 / 社会团体, and a national-level region code; check computed independently.
    let u = Uscc::parse(&with_uscc_check("51100000500000000")).unwrap();
    assert_eq!(u.authority().name().zh, "民政");
    assert_eq!(u.organisation_type().unwrap().zh, "社会团体");
    assert!(u.region().zh.contains("国家级"));

    // 机构编制 / 事业单位.
    let u = Uscc::parse(&with_uscc_check("12120000401234567")).unwrap();
    assert_eq!(u.organisation_type().unwrap().en, "public institution");
    assert!(u.region().zh.contains("天津市"));

    // An unlisted type is reported, not rejected.
    let u = Uscc::parse(&with_uscc_check("97120000401234567")).unwrap();
    assert!(u.organisation_type().is_none());
    assert!(u.segments()[1].2.zh.contains("7"));
}

#[test]
fn uscc_authorities_have_names() {
    for a in RegistrationAuthority::ALL {
        assert_eq!(RegistrationAuthority::from_code(a.code()), Some(a));
        assert!(!a.name().zh.is_empty() && !a.name().en.is_empty());
    }
    let codes: String = RegistrationAuthority::ALL.iter().map(|a| a.code()).collect();
    assert_eq!(codes, "123456789ANY");
}

#[test]
fn uscc_input_is_trimmed_and_upper_cased() {
    let u = Uscc::parse("  91230184ma1buflt44 ").unwrap();
    assert_eq!(u.as_str(), "91230184MA1BUFLT44");
}

#[test]
fn uscc_structural_errors_name_position_and_reason() {
    assert_eq!(Uscc::parse("   ").unwrap_err(), UsccError::Empty);

    let e = Uscc::parse("91350100M000100Y4").unwrap_err();
    assert_eq!(e, UsccError::WrongLength { len: 17 });
    assert!(e.explain().zh.contains("18 位") && e.explain().en.contains("found 17"));

    // 'O' is never used (confusable with 0).
    let e = Uscc::parse("91350100MO00100Y43").unwrap_err();
    assert_eq!(e, UsccError::BadChar { position: 10, ch: 'O' });
    assert!(e.explain().zh.contains("第 10 位“O”") && e.explain().zh.contains("I、O、Z、S、V"));
    assert!(e.explain().en.contains("character 10, 'O'"));

    let e = Uscc::parse("913501-0M000100Y43").unwrap_err();
    assert_eq!(e, UsccError::BadChar { position: 7, ch: '-' });

    let e = Uscc::parse(&with_uscc_check("9135A100M000100Y4")).unwrap_err();
    assert_eq!(e, UsccError::RegionNotDigits { position: 5, ch: 'A' });
    assert!(e.explain().zh.contains("第 5 位"));
    assert!(e.explain().en.contains("character 5"));

    let e = Uscc::parse(&with_uscc_check("C1350100M000100Y4")).unwrap_err();
    assert_eq!(e, UsccError::UnknownAuthority { ch: 'C' });
    assert!(e.explain().zh.contains("第 1 位") && e.explain().en.contains("character 1"));
}

#[test]
fn uscc_check_char_helper_rejects_bad_input() {
    assert_eq!(uscc::check_char("9135010"), None);
    assert_eq!(uscc::check_char("91350100M000100O4"), None);
    assert_eq!(uscc::check_char("91350100m000100Y4"), None);
}

fn uscc_first17() -> impl Strategy<Value = String> {
    let alphabet: Vec<char> = USCC_ALPHABET.chars().collect();
    (
        prop::sample::select("123456789ANY".chars().collect::<Vec<_>>()),
        prop::sample::select(alphabet.clone()),
        0u32..1_000_000,
        prop::collection::vec(prop::sample::select(alphabet), 9),
    )
        .prop_map(|(a, t, region, org)| format!("{a}{t}{region:06}{}", org.into_iter().collect::<String>()))
}

proptest! {
    #[test]
    fn prop_generated_uscc_parses(first17 in uscc_first17()) {
        let s = with_uscc_check(&first17);
        let u = Uscc::parse(&s).unwrap();
        prop_assert_eq!(u.as_str(), s.as_str());
        prop_assert_eq!(uscc::check_char(&first17), Some(ref_uscc_check(&first17)));
        prop_assert_eq!(u.segments().len(), 5);
        prop_assert_eq!(Uscc::parse(&s.to_lowercase()).unwrap(), u);
    }

    #[test]
    fn prop_uscc_single_substitution_is_detected(
        first17 in uscc_first17(),
        pos in 0usize..18,
        replacement in prop::sample::select("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".chars().collect::<Vec<_>>()),
    ) {
        let s = with_uscc_check(&first17);
        let mut chars: Vec<char> = s.chars().collect();
        prop_assume!(chars[pos] != replacement);
        chars[pos] = replacement;
        let mutated: String = chars.into_iter().collect();
        prop_assert!(Uscc::parse(&mutated).is_err(), "{} accepted", mutated);
    }
}

// ---------------------------------------------------------------------------------------------
// Certificate numbers
// ---------------------------------------------------------------------------------------------

#[test]
fn national_certificate_number_parses() {
    // RESEARCH.md §4.1 worked example `Y000123XXXXXX195000001`, with the placeholder site serial
    // XXXXXX replaced by 000001.
    let c = CertificateNo::parse("Y000123000001195000001").unwrap();
    let CertificateNo::National22(n) = &c else { panic!("{c:?}") };
    assert_eq!(n.category(), "Y");
    assert!(!n.is_grand_master_form());
    assert_eq!(n.body_code(), "0001");
    assert!(!n.registered_with_province());
    assert_eq!(n.province_code(), "23");
    assert_eq!(n.site_serial(), "000001");
    assert_eq!(n.issue_year2(), 19);
    assert_eq!(n.issue_year(), 2019);
    assert_eq!(n.level_code(), 5);
    assert_eq!(n.serial(), 1);
    assert_eq!(c.level_code(), Some(5));
    assert_eq!(c.ladder_rank(), Some(2));
    assert_eq!(c.level().map(|l| l.rank()), Some(2));
    assert_eq!(c.as_str(), "Y000123000001195000001");
    assert_eq!(c.to_string(), "Y000123000001195000001");

    let segs = c.segments();
    assert_eq!(segs.len(), 7);
    let values: Vec<&str> = segs.iter().map(|s| s.1.as_str()).collect();
    assert_eq!(values, ["Y", "0001", "23", "000001", "19", "5", "000001"]);
    assert_eq!(segs[0].2.zh, "用人单位");
    assert_eq!(segs[2].2.zh, "黑龙江省");
    assert_eq!(segs[5].2.zh, "五级/初级工");
    assert!(segs[5].0.zh.contains("第 16 位"));
    assert!(segs[6].0.en.contains("characters 17–22"));

    // Tianjin, provincially registered body, 高级技师, lower-case input.
    let c = CertificateNo::parse(" s000012123456251123456 ").unwrap();
    let CertificateNo::National22(n) = &c else { panic!("{c:?}") };
    assert_eq!(n.category(), "S");
    assert!(n.registered_with_province());
    assert_eq!(c.ladder_rank(), Some(6));
    assert_eq!(c.segments()[5].2.zh, "一级/高级技师");
}

#[test]
fn national_certificate_errors_name_position_and_reason() {
    let e = CertificateNo::parse("A000123000001195000001").unwrap_err();
    assert_eq!(e, CertificateNoError::BadCategory { found: 'A' });
    let m = e.explain();
    assert!(m.zh.contains("第 1 位") && m.zh.contains("Y") && m.zh.contains("S"), "{}", m.zh);
    assert!(m.en.contains("character 1") && m.en.contains("Y (employer)") && m.en.contains("S (social"), "{}", m.en);

    let e = CertificateNo::parse("1000123000001195000001").unwrap_err();
    assert_eq!(e, CertificateNoError::BadCategory { found: '1' });

    for (level, ch) in [("0", '0'), ("6", '6'), ("9", '9')] {
        let s = format!("Y00012300000119{level}000001");
        let e = CertificateNo::parse(&s).unwrap_err();
        assert_eq!(e, CertificateNoError::BadLevelCode { position: 16, found: ch });
        assert!(e.explain().zh.contains("第 16 位") && e.explain().en.contains("character 16"));
    }

    let e = CertificateNo::parse("Y000199000001195000001").unwrap_err();
    assert_eq!(e, CertificateNoError::UnknownProvince { position: 6, code: "99".into() });
    assert!(e.explain().zh.contains("第 6–7 位") && e.explain().en.contains("characters 6–7"));

    let e = CertificateNo::parse("Y000123000A01195000001").unwrap_err();
    assert_eq!(e, CertificateNoError::NotDigit { position: 11, found: 'A' });
    assert!(e.explain().zh.contains("第 11 位应为数字"));

    // RESEARCH.md §4.1 [CONFLICT]: an advertised 15-character "number" fits no rule.
    let e = CertificateNo::parse("S00032420250001").unwrap_err();
    assert_eq!(e, CertificateNoError::WrongLength { len: 15 });
    assert!(e.explain().zh.contains("22 位") && e.explain().en.contains("found 15"));

    assert_eq!(CertificateNo::parse("").unwrap_err(), CertificateNoError::Empty);
}

#[test]
fn grand_master_form_is_accepted_whatever_its_level_digit() {
    // No real 特级技师 number is published; synthetic, with level digit 0 and 9.
    for level in ['0', '9'] {
        let s = format!("TJ00001212345625{level}00001");
        assert_eq!(s.len(), 22);
        let c = CertificateNo::parse(&s).unwrap();
        let CertificateNo::National22(n) = &c else { panic!("{c:?}") };
        assert!(n.is_grand_master_form());
        assert_eq!(n.category(), "TJ");
        assert_eq!(n.body_code(), "0000");
        assert_eq!(n.province_code(), "12");
        assert_eq!(n.level_code(), level.to_digit(10).unwrap() as u8);
        assert_eq!(c.level_code(), None);
        assert_eq!(c.ladder_rank(), None);
        assert!(c.segments()[5].2.zh.contains("未公开"));
    }
    let e = CertificateNo::parse("TJ00001X123456250000001").unwrap_err();
    assert_eq!(e, CertificateNoError::WrongLength { len: 23 });
    let e = CertificateNo::parse("TJ00001X12345625000001").unwrap_err();
    assert_eq!(e, CertificateNoError::NotDigit { position: 8, found: 'X' });
}

#[test]
fn legacy_certificate_number_parses() {
    // Synthetic (no real legacy number is published in the research): year 09, Tianjin (12),
    // city 01, body type 2 (地方鉴定站), body serial 021, level 3 (高级), sequence 00042.
    let c = CertificateNo::parse("0912012021300042").unwrap();
    let CertificateNo::Legacy16(l) = &c else { panic!("{c:?}") };
    assert_eq!(l.issue_year2(), 9);
    assert_eq!(l.issue_year(), 2009);
    assert_eq!(l.province_or_ministry_code(), "12");
    assert_eq!(l.city_code(), "01");
    assert_eq!(l.body_type(), 2);
    assert_eq!(l.body_serial(), "021");
    assert_eq!(l.level_code(), 3);
    assert_eq!(l.sequence(), 42);
    assert_eq!(c.ladder_rank(), Some(4));
    let segs = c.segments();
    assert_eq!(segs.len(), 7);
    assert_eq!(segs[3].2.zh, "地方职业技能鉴定站");
    assert_eq!(segs[1].2.zh, "天津市");

    // A 1990s certificate from a non-province (ministry) code.
    let c = CertificateNo::parse("9890010001100001").unwrap();
    let CertificateNo::Legacy16(l) = &c else { panic!("{c:?}") };
    assert_eq!(l.issue_year(), 1998);
    assert!(c.segments()[1].2.zh.contains("行业部门"));
}

#[test]
fn legacy_certificate_errors() {
    let e = CertificateNo::parse("0912015021300042").unwrap_err();
    assert_eq!(e, CertificateNoError::BadBodyType { found: '5' });
    assert!(e.explain().zh.contains("第 7 位") && e.explain().en.contains("character 7"));

    let e = CertificateNo::parse("0912012021600042").unwrap_err();
    assert_eq!(e, CertificateNoError::BadLevelCode { position: 11, found: '6' });

    let e = CertificateNo::parse("0912012021300000").unwrap_err();
    assert_eq!(e, CertificateNoError::ZeroSequence);
    assert!(e.explain().zh.contains("12–16") && e.explain().en.contains("12–16"));

    let e = CertificateNo::parse("09120120213000A2").unwrap_err();
    assert_eq!(e, CertificateNoError::NotDigit { position: 15, found: 'A' });
}

#[test]
fn shanghai_thirteen_digit_numbers_are_padded() {
    let c = CertificateNo::parse("1234567890123").unwrap();
    let CertificateNo::Shanghai13(s) = &c else { panic!("{c:?}") };
    assert_eq!(s.original(), "1234567890123");
    assert_eq!(c.as_str(), "0001234567890123");
    assert_eq!(c.level_code(), None);
    // The padded form parses back to the same thing.
    assert_eq!(CertificateNo::parse(c.as_str()).unwrap(), c);
    assert_eq!(c.segments().len(), 1);

    let e = CertificateNo::parse("12345678901X3").unwrap_err();
    assert_eq!(e, CertificateNoError::NotDigit { position: 12, found: 'X' });
}

#[test]
fn national_constructor() {
    let c = CertificateNo::national('Y', "0000", "12", "000123", 25, 3, 42).unwrap();
    assert_eq!(c.as_str(), "Y000012000123253000042");
    assert_eq!(CertificateNo::parse(c.as_str()).unwrap(), c);
    assert_eq!(c.ladder_rank(), Some(4));

    let err = |r: Result<CertificateNo, CertificateNoError>| match r.unwrap_err() {
        CertificateNoError::BadField { field, .. } => field,
        other => panic!("{other:?}"),
    };
    assert_eq!(err(CertificateNo::national('T', "0000", "12", "000123", 25, 3, 42)), NationalField::Category);
    assert_eq!(err(CertificateNo::national('Y', "000", "12", "000123", 25, 3, 42)), NationalField::Body);
    assert_eq!(err(CertificateNo::national('Y', "0000", "99", "000123", 25, 3, 42)), NationalField::Province);
    assert_eq!(err(CertificateNo::national('Y', "0000", "12", "12345", 25, 3, 42)), NationalField::Site);
    assert_eq!(err(CertificateNo::national('Y', "0000", "12", "000123", 100, 3, 42)), NationalField::Year);
    assert_eq!(err(CertificateNo::national('Y', "0000", "12", "000123", 25, 6, 42)), NationalField::LevelCode);
    assert_eq!(err(CertificateNo::national('Y', "0000", "12", "000123", 25, 3, 1_000_000)), NationalField::Serial);

    let e = CertificateNo::national('Y', "0000", "12", "12345", 25, 3, 42).unwrap_err();
    assert!(e.explain().zh.contains("评价机构（站点）序列码") && e.explain().zh.contains("6 位数字"));
    assert!(e.explain().en.contains("site serial") && e.explain().en.contains("'12345'"));
}

#[test]
fn level_code_rank_mapping() {
    let pairs = [(5, 2), (4, 3), (3, 4), (2, 5), (1, 6)];
    for (code, rank) in pairs {
        assert_eq!(ladder_rank_for_level_code(code), Some(rank));
        assert_eq!(level_code_for_ladder_rank(rank), Some(code));
    }
    assert_eq!(ladder_rank_for_level_code(0), None);
    assert_eq!(level_code_for_ladder_rank(1), None);
    assert_eq!(level_code_for_ladder_rank(7), None);
    assert_eq!(certificate_no::level_code_name(2).unwrap().zh, "二级/技师");
}

proptest! {
    #[test]
    fn prop_national_constructor_round_trips(
        category in prop::sample::select(vec!['Y', 'S']),
        body in 0u32..10_000,
        prov in prop::sample::select(PROVINCES.to_vec()),
        site in 0u32..1_000_000,
        year2 in 0u8..100,
        level_code in 1u8..=5,
        serial in 0u32..1_000_000,
    ) {
        let body = format!("{body:04}");
        let site = format!("{site:06}");
        let c = CertificateNo::national(category, &body, prov, &site, year2, level_code, serial).unwrap();
        prop_assert_eq!(c.as_str().len(), 22);
        prop_assert_eq!(&CertificateNo::parse(c.as_str()).unwrap(), &c);
        let CertificateNo::National22(n) = &c else { panic!("{c:?}") };
        prop_assert_eq!(n.category(), category.to_string());
        prop_assert_eq!(n.body_code(), body.as_str());
        prop_assert_eq!(n.province_code(), prov);
        prop_assert_eq!(n.site_serial(), site.as_str());
        prop_assert_eq!(n.issue_year2(), year2);
        prop_assert_eq!(n.level_code(), level_code);
        prop_assert_eq!(n.serial(), serial);
        prop_assert_eq!(c.ladder_rank(), Some(7 - level_code));
        prop_assert_eq!(c.segments().len(), 7);
    }

    #[test]
    fn prop_certificate_parse_never_panics(s in "\\PC{0,30}") {
        let _ = CertificateNo::parse(&s);
        let _ = Uscc::parse(&s);
        let _ = IdNumber::parse(&s, TODAY);
    }

    #[test]
    fn prop_certificate_parse_never_panics_on_near_misses(
        s in "[YS0-9A-Z]{1,2}[0-9A-Z]{11,21}",
    ) {
        if let Ok(c) = CertificateNo::parse(&s) {
            let _ = c.segments();
            prop_assert_eq!(CertificateNo::parse(c.as_str()).unwrap(), c);
        }
    }
}
