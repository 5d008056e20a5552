//! The policy file: the shipped Tianjin policy loads, its lookups work, and broken files are
//! rejected with every problem named by key and reason.

use gongjiang_domain::level::Level;
use gongjiang_domain::policy::{Comparison, Condition, KpiKind, Policy, PolicyError, TIANJIN_TOML};
use gongjiang_domain::registry::{Education, EmploymentStatus};
use gongjiang_domain::supply::{Gap, Severity, severity};
use time::macros::date;

fn tianjin() -> Policy {
    Policy::tianjin()
}

fn level(rank: u8) -> Level {
    Level::new(rank).expect("rank within 1..=8")
}

/// Loads `text`, expecting failure.
fn errors(text: &str) -> Vec<PolicyError> {
    match Policy::from_toml_str(text, "broken.toml") {
        Ok(_) => panic!("the broken policy was accepted"),
        Err(errors) => errors,
    }
}

/// The shipped file with `from` replaced once by `to` (which must be present).
fn tianjin_with(from: &str, to: &str) -> String {
    assert!(TIANJIN_TOML.contains(from), "the shipped policy no longer contains {from:?}");
    TIANJIN_TOML.replacen(from, to, 1)
}

fn find<'a>(errors: &'a [PolicyError], key: &str) -> &'a PolicyError {
    errors.iter().find(|e| e.key == key).unwrap_or_else(|| panic!("no error at {key}; errors: {}", render(errors)))
}

fn render(errors: &[PolicyError]) -> String {
    errors.iter().map(|e| format!("\n  {e}")).collect()
}

// --- the shipped policy ------------------------------------------------------------------------

#[test]
fn former_county_codes_on_old_identity_cards_resolve_to_todays_districts() {
    let p = tianjin();
    for (old, county, now) in [
        ("120221", "宁河县", "宁河区"),
        ("120222", "武清县", "武清区"),
        ("120223", "静海县", "静海区"),
        ("120224", "宝坻县", "宝坻区"),
        ("120225", "蓟县", "蓟州区"),
    ] {
        assert_eq!(p.district(old).map(|d| d.name_zh.as_str()), Some(now), "{old}");
        assert_eq!(p.district(county).map(|d| d.name_zh.as_str()), Some(now), "{county}");
    }
    // An inferred code says so, with its reason.
    let ninghe = p.former_district_codes.iter().find(|f| f.code == "120221").unwrap();
    assert!(ninghe.source.as_deref().is_some_and(|s| s.contains("[I]")));
}

#[test]
fn every_rule_and_former_code_of_the_shipped_policy_says_how_sure_it_is() {
    let p = tianjin();
    let marked = |s: &str| ["[C]", "[C3]", "[I]", "[GAP]"].iter().any(|m| s.contains(m));
    for e in &p.eligibility.editions {
        assert!(marked(&e.source), "edition {}: {}", e.id, e.source);
        for r in &e.rules {
            assert!(marked(&r.source), "rule {}: {}", r.id, r.source);
        }
    }
    for f in &p.former_district_codes {
        assert!(f.source.as_deref().is_some_and(marked), "former code {}: {:?}", f.code, f.source);
    }
    // The inferred rules are exactly the ones the decisions will flag.
    let inferred: Vec<&str> = p
        .eligibility
        .editions
        .iter()
        .flat_map(|e| &e.rules)
        .filter(|r| gongjiang_domain::standards::marks_inference(&r.source))
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(
        inferred,
        [
            "2018-L2-2",
            "2018-L5-2b",
            "2018-L7-1",
            "2018-L8-1",
            "2023-L6-1",
            "2023-L6-2",
            "2023-L6-3",
            "2023-L7-1",
            "2023-L8-1"
        ]
    );
}

#[test]
fn shipped_policy_loads_with_every_table() {
    let p = tianjin();
    assert_eq!(p.meta.id, "tianjin");
    assert_eq!(p.meta.jurisdiction, "120000");
    assert_eq!(p.meta.effective_from, date!(2023 - 08 - 31));
    assert_eq!(p.ladder.levels().len(), 8);
    assert_eq!(p.districts.len(), 16);
    assert_eq!(p.former_district_codes.len(), 8);
    assert_eq!(p.industries.len(), 20);
    assert_eq!(p.industrial_chains.len(), 12);
    let system = p.industrial_system.as_ref().expect("1+3+4 system");
    assert_eq!(system.groups.len(), 3);
    assert_eq!(system.sectors.len(), 8);
    assert_eq!(p.kpi.employed_statuses, vec![EmploymentStatus::Employed, EmploymentStatus::SelfEmployed]);

    let skilled = p.kpi_targets.iter().find(|t| t.kpi == KpiKind::SkilledShare).expect("skilled-share target");
    assert_eq!((skilled.value, skilled.comparison, skilled.due), (0.40, Comparison::Greater, date!(2025 - 12 - 31)));
    assert!(skilled.is_met(0.41) && !skilled.is_met(0.40));
    // Both targets cite the article's wording (超过 = more than, hence `>`).
    assert!(skilled.source.contains("技能人才占就业人员的比例超过40%"), "{}", skilled.source);
    let high = p.kpi_targets.iter().find(|t| t.kpi == KpiKind::HighSkilledShare).expect("high-skilled target");
    assert_eq!((high.value, high.comparison), (0.35, Comparison::Greater));
    assert!(high.source.contains("高技能人才占技能人才的比例超过35%"), "{}", high.source);

    let ids: Vec<&str> = p.eligibility.editions.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["2018", "2023"]);
    assert!(p.eligibility.occupation_editions.is_empty());
    let review = &p.evaluation.comprehensive_review;
    assert_eq!(review.levels, vec![level(5), level(6)]);
    assert_eq!((p.evaluation.pass_mark.min_score, p.evaluation.pass_mark.out_of), (60, 100));
    assert_eq!(p.evaluation.theory_exam.candidates_per_invigilator, 15);
    assert_eq!((p.evaluation.skill_test.candidates_per_examiner, p.evaluation.skill_test.min_examiners), (5, 3));
}

#[test]
fn every_rule_has_a_source_and_both_texts() {
    for e in &tianjin().eligibility.editions {
        assert!(!e.rules.is_empty());
        for r in &e.rules {
            assert!(!r.source.trim().is_empty() && !r.text_zh.is_empty() && !r.text_en.is_empty(), "{}", r.id);
            assert!(
                r.id.starts_with(&format!("{}-L{}-", e.id, r.level.rank())),
                "id {} names its edition and rank",
                r.id
            );
        }
    }
}

#[test]
fn inferred_rules_say_so() {
    let p = tianjin();
    let edition = p.eligibility.edition("2023").expect("2023 edition");
    for id in ["2023-L6-1", "2023-L6-2", "2023-L6-3", "2023-L7-1", "2023-L8-1"] {
        let r = edition.rules.iter().find(|r| r.id == id).expect(id);
        assert!(r.text_zh.starts_with("[推断]") && r.text_en.starts_with("[Inference]"), "{id}");
        assert!(r.source.contains("[I]") && r.source.contains("[GAP]"), "{id}");
    }
}

#[test]
fn conditions_are_read_into_their_kinds() {
    let p = tianjin();
    let rules = &p.eligibility.edition("2023").expect("2023").rules;
    let rule = |id: &str| &rules.iter().find(|r| r.id == id).expect(id).all;
    assert_eq!(rule("2023-L2-1"), &vec![Condition::MinAge { years: 16 }]);
    assert_eq!(rule("2023-L3-2"), &vec![Condition::Holds { level: level(2), years: 3 }]);
    assert_eq!(rule("2023-L4-1"), &vec![Condition::WorkYears { years: 10 }]);
    assert_eq!(
        rule("2023-L5-2")[1],
        Condition::WorkYearsAfterLevel { level: level(4), years: 1 },
        "work after obtaining 高级工"
    );
    match &rule("2023-L4-4")[0] {
        Condition::Education { accepted, years_after_graduation: None, include_graduating: true } => {
            assert_eq!(accepted, &vec![Education::TechSchoolAdvanced, Education::TechSchoolPreTechnician]);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(rules.iter().find(|r| r.id == "2023-L1-1").expect("学徒工 rule").all.is_empty());
}

// --- ladder ----------------------------------------------------------------------------------

#[test]
fn ladder_parses_every_name_form() {
    let p = tianjin();
    let l = &p.ladder;
    for s in [
        "4",
        "高级工",
        "三级",
        "三级/高级工",
        "高级工/三级",
        "三级／高级工",
        " 三级 / 高级工 ",
        "senior worker",
        "Senior Worker",
    ] {
        assert_eq!(l.parse_level(s), Some(level(4)), "{s:?}");
    }
    assert_eq!(l.parse_level("3"), Some(level(3)), "a bare number is a rank");
    assert_eq!(l.parse_level("五级"), Some(level(2)));
    assert_eq!(l.parse_level("一级/高级技师"), Some(level(6)));
    assert_eq!(l.parse_level("学徒工"), Some(level(1)));
    assert_eq!(l.parse_level("首席技师"), Some(level(8)));
    assert_eq!(l.parse_level("CHIEF TECHNICIAN"), Some(level(8)));
    for s in ["", "0", "9", "高级", "三级/中级工", "学徒工/学徒工", "master"] {
        assert_eq!(l.parse_level(s), None, "{s:?}");
    }
    for row in l.levels() {
        assert_eq!(l.parse_level(&row.name_zh), Some(row.level));
        assert_eq!(l.parse_level(&row.level.rank().to_string()), Some(row.level));
        assert_eq!(l.parse_level(&l.display(row.level)), Some(row.level));
    }
}

#[test]
fn ladder_names_thresholds_and_certificate_codes() {
    let p = tianjin();
    let l = &p.ladder;
    assert_eq!(l.display(level(4)), "三级/高级工");
    assert_eq!(l.display(level(1)), "学徒工");
    assert_eq!(l.display(level(8)), "首席技师");
    assert_eq!((l.name_zh(level(5)), l.name_en(level(5))), ("技师", "technician"));
    assert!(!l.is_skilled(level(1)) && l.is_skilled(level(2)) && l.is_skilled(level(8)));
    assert!(!l.is_high_skilled(level(3)) && l.is_high_skilled(level(4)) && l.is_high_skilled(level(8)));
    let codes: Vec<Option<u8>> = Level::all().map(|lv| l.certificate_level_code(lv)).collect();
    assert_eq!(codes, [None, Some(5), Some(4), Some(3), Some(2), Some(1), None, None]);
    assert_eq!(l.level_for_certificate_code(3), Some(level(4)));
    assert_eq!(l.level_for_certificate_code(1), Some(level(6)));
    assert_eq!(l.level_for_certificate_code(0), None);
    assert_eq!(l.level_for_certificate_code(6), None);
}

// --- districts, industries, editions ---------------------------------------------------------

#[test]
fn district_by_code_name_short_name_alias_and_former_code() {
    let p = tianjin();
    let code = |s: &str| p.district(s).map(|d| d.code.as_str());
    assert_eq!(code("120116"), Some("120116"));
    assert_eq!(code("滨海新区"), Some("120116"));
    assert_eq!(code("滨海"), Some("120116"));
    assert_eq!(code("和平"), Some("120101"));
    assert_eq!(code("和平区"), Some("120101"));
    assert_eq!(code(" 西青区 "), Some("120111"));
    assert_eq!(code("heping district"), Some("120101"));
    // Former codes and names map to today's district.
    assert_eq!(code("120225"), Some("120119"));
    assert_eq!(code("蓟县"), Some("120119"));
    assert_eq!(code("120107"), Some("120116"));
    assert_eq!(code("大港区"), Some("120116"));
    for s in ["", "120199", "北京", "110101", "区"] {
        assert_eq!(code(s), None, "{s:?}");
    }
    let groups: std::collections::BTreeSet<&str> = p.districts.iter().map(|d| d.group.as_str()).collect();
    assert_eq!(groups.into_iter().collect::<Vec<_>>(), ["市内六区", "滨海新区", "环城四区", "远郊五区"]);
}

#[test]
fn industry_and_chain_lookups() {
    let p = tianjin();
    assert_eq!(p.industry("C").map(|i| i.name_zh.as_str()), Some("制造业"));
    assert_eq!(p.industry("c").map(|i| i.code.as_str()), Some("C"));
    assert_eq!(p.industry("制造业").map(|i| i.code.as_str()), Some("C"));
    assert_eq!(p.industry("U"), None);
    assert_eq!(p.industrial_chain("信创").map(|c| c.id.as_str()), Some("xinchuang"));
    assert_eq!(p.industrial_chain("biomedicine").and_then(|c| c.group.as_deref()), Some("3"));
}

#[test]
fn default_edition_is_the_latest_in_force() {
    let p = tianjin();
    let id = |on| p.edition_for("6-18-01-01", on).map(|e| e.id.as_str());
    assert_eq!(id(date!(2017 - 12 - 31)), None);
    assert_eq!(id(date!(2018 - 01 - 01)), Some("2018"));
    assert_eq!(id(date!(2022 - 12 - 31)), Some("2018"));
    assert_eq!(id(date!(2023 - 01 - 01)), Some("2023"));
    assert_eq!(p.eligibility.next_edition_change("6-18-01-01", date!(2020 - 05 - 05)), Some(date!(2023 - 01 - 01)));
    assert_eq!(p.eligibility.next_edition_change("6-18-01-01", date!(2024 - 05 - 05)), None);
}

#[test]
fn occupation_mapping_overrides_the_default_edition() {
    let text = format!(
        "{TIANJIN_TOML}\n[[eligibility.occupation_editions]]\noccupation = \"6-31-01-03\"\nedition = \"2018\"\n\
         effective_from = 2019-01-01\neffective_to = 2025-12-31\nsource = \"test\"\n"
    );
    let p = Policy::from_toml_str(&text, "mapped.toml").unwrap_or_else(|e| panic!("{}", render(&e)));
    let id = |occ, on| p.edition_for(occ, on).map(|e| e.id.as_str());
    assert_eq!(id("6-31-01-03", date!(2024 - 06 - 01)), Some("2018"));
    assert_eq!(id("6-18-01-01", date!(2024 - 06 - 01)), Some("2023"));
    assert_eq!(id("6-31-01-03", date!(2026 - 01 - 01)), Some("2023"), "the mapping has ended");
    assert_eq!(p.eligibility.next_edition_change("6-31-01-03", date!(2024 - 06 - 01)), Some(date!(2026 - 01 - 01)));
}

#[test]
fn related_occupation_is_the_same_minor_group() {
    let p = tianjin();
    let e = &p.eligibility;
    assert!(e.related("6-18-01-01", "6-18-01-01"));
    assert!(e.related("6-18-01-01", "6-18-01-02"));
    assert!(e.related("6-18-01-01", "6-18-01-99"));
    assert!(!e.related("6-18-01-01", "6-18-02-04"));
    assert!(!e.related("6-18-01-01", "6-31-01-03"));
    assert!(!e.related("bad-code", "bad-codf"));
    let strict = Policy::from_toml_str(
        &tianjin_with("related_occupation = \"same_minor_group\"", "related_occupation = \"same_occupation\""),
        "strict.toml",
    )
    .unwrap_or_else(|e| panic!("{}", render(&e)));
    assert!(!strict.eligibility.related("6-18-01-01", "6-18-01-02"));
}

// --- broken policies ---------------------------------------------------------------------------

#[test]
fn duplicate_rank_is_named_without_follow_on_errors() {
    let errs = errors(&tianjin_with("\nrank = 2\n", "\nrank = 1\n"));
    let e = find(&errs, "ladder.levels[1].rank");
    assert_eq!(e.why.zh, "等级序号 1 重复（已见于 ladder.levels[0]）");
    assert_eq!(e.why.en, "rank 1 appears twice (already at ladder.levels[0])");
    assert_eq!((e.file.as_str(), e.line.is_some()), ("broken.toml", true));
    assert!(find(&errs, "ladder.levels").why.en.contains("missing rank(s) 2"));
    assert_eq!(errs.len(), 2, "names of the duplicated row still resolve: {}", render(&errs));
}

#[test]
fn unknown_keys_are_errors_and_all_are_reported() {
    let errs = errors(&tianjin_with("\nrank = 3\n", "\nrank = 3\ncolour = \"red\"\nshape = 1\n"));
    assert_eq!(errs.len(), 2, "{}", render(&errs));
    let e = find(&errs, "ladder.levels[2].colour");
    assert!(e.why.zh.starts_with("未知的键 colour（可用的键：rank, name_zh"), "{}", e.why.zh);
    assert!(e.why.en.starts_with("unknown key `colour` (expected one of `rank`"), "{}", e.why.en);
    find(&errs, "ladder.levels[2].shape");

    let errs = errors(&format!("{TIANJIN_TOML}\n[subsidies]\namount = 1\n"));
    assert_eq!(find(&errs, "subsidies").why.en, "unknown key `subsidies`");
}

#[test]
fn bad_dates_are_named() {
    // A string that is not a real date: a semantic error.
    let errs = errors(&tianjin_with("effective_from = 2023-01-01", "effective_from = \"2023-02-30\""));
    let e = find(&errs, "eligibility.editions[1].effective_from");
    assert_eq!(e.why.zh, "不是有效日期（应为 YYYY-MM-DD）：2023-02-30");
    assert_eq!(e.why.en, "not a valid date (expected YYYY-MM-DD): 2023-02-30");
    // Other spellings are refused in the policy file, where dates must be exact.
    let errs = errors(&tianjin_with("due = 2025-12-31", "due = \"2025/12/31\""));
    find(&errs, "kpi_targets[0].due");
    // A native TOML date that does not exist is a syntax error, still with its key.
    let errs = errors(&tianjin_with("effective_from = 2023-01-01", "effective_from = 2023-02-30"));
    let e = find(&errs, "eligibility.editions[1].effective_from");
    assert!(e.why.en.starts_with("TOML syntax error: invalid date"), "{}", e.why.en);
    // A date-time is not a date.
    let errs = errors(&tianjin_with("due = 2025-12-31", "due = 2025-12-31T08:00:00"));
    find(&errs, "kpi_targets[0].due");
}

#[test]
fn unknown_level_name_in_a_rule_is_named() {
    let errs = errors(&tianjin_with("{ holds = \"初级工\", years = 4 }", "{ holds = \"初极工\", years = 4 }"));
    assert_eq!(errs.len(), 1, "{}", render(&errs));
    let e = find(&errs, "eligibility.editions[0].rules[3].all[0].holds");
    assert!(e.why.zh.starts_with("等级名称无法识别：“初极工”（可用：学徒工、初级工"), "{}", e.why.zh);
    assert!(e.why.en.starts_with("unknown level name \"初极工\""), "{}", e.why.en);

    let errs = errors(&tianjin_with("level = \"技师\"", "level = \"大师\""));
    find(&errs, "eligibility.editions[0].rules[9].level");
}

#[test]
fn toml_syntax_errors_give_line_and_column() {
    let errs = errors(&tianjin_with("version = \"2025.1\"", "version = \"2025.1"));
    let e = &errs[0];
    assert_eq!(e.key, "meta.version");
    let line = TIANJIN_TOML.lines().position(|l| l.starts_with("version = ")).expect("version line") + 1;
    assert_eq!(e.line, Some(line));
    assert!(e.column.is_some());
    assert!(e.why.zh.starts_with("TOML 语法错误：") && e.why.en.starts_with("TOML syntax error: "));
    assert!(e.to_string().starts_with(&format!("broken.toml:{line}:")), "{e}");
}

#[test]
fn no_error_is_lost() {
    // Two unrelated problems in different tables → exactly two errors.
    let text = tianjin_with("version = \"2025.1\"", "version = \"2025.1\"\nauthor = \"x\"");
    let text = text.replacen("value = 0.35", "value = 35", 1);
    let errs = errors(&text);
    assert_eq!(errs.len(), 2, "{}", render(&errs));
    find(&errs, "meta.author");
    let e = find(&errs, "kpi_targets[1].value");
    assert!(e.why.en.contains("fraction in (0, 1]"), "{}", e.why.en);
    assert!(errs[0].line < errs[1].line, "errors come in file order");

    // Problems inside one rule's conditions and in another rule are all reported.
    let text = tianjin_with("{ work_years = 6 }", "{ work_year = 6 }");
    let text = text.replacen("{ holds = \"中级工\", years = 5 }", "{ holds = \"中级工\", years = -5 }", 1);
    let errs = errors(&text);
    find(&errs, "eligibility.editions[0].rules[4].all[0].work_year");
    let e = find(&errs, "eligibility.editions[0].rules[6].all[0].years");
    assert!(e.why.en.contains("-5"), "{}", e.why.en);
}

#[test]
fn semantic_errors_name_key_and_reason() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "effective_from = 2023-01-01\n",
            "effective_from = 2023-01-01\neffective_to = 2022-01-01\n",
            "eligibility.editions[1].effective_to",
            "must be before effective_to",
        ),
        ("code = \"120102\"", "code = \"120101\"", "districts[1].code", "duplicate district code \"120101\""),
        ("code = \"120103\"", "code = \"12013\"", "districts[2].code", "6 digits"),
        ("code = \"120104\"", "code = \"130104\"", "districts[3].code", "outside the jurisdiction"),
        ("current = \"120119\"", "current = \"120199\"", "former_district_codes[0].current", "not in [[districts]]"),
        ("id = \"2018-L2-2\"", "id = \"2018-L2-1\"", "eligibility.editions[0].rules[2].id", "duplicate rule id"),
        ("id = \"2023\"", "id = \"2018\"", "eligibility.editions[1].id", "duplicate edition id"),
        (
            "{ work_years = 6 }",
            "{ work_years = 6, years = 2 }",
            "eligibility.editions[0].rules[4].all[0].years",
            "does not go with",
        ),
        (
            "{ min_age = 16 }",
            "{ min_age = 16, work_years = 1 }",
            "eligibility.editions[1].rules[1].all[0]",
            "one kind key",
        ),
        (
            "{ title = \"junior\", years = 1 }",
            "{ title = \"chief\", years = 1 }",
            "eligibility.editions[1].rules[8].all[0].title",
            "unknown title grade",
        ),
        (
            "\"tech_school_intermediate\", \"tech_school_advanced\"",
            "\"tech_school\", \"tech_school_advanced\"",
            "eligibility.editions[0].rules[5].all[0].education[0]",
            "unknown education code",
        ),
        (
            "employed_statuses = [\"employed\", \"self_employed\"]",
            "employed_statuses = [\"employed\", \"busy\"]",
            "kpi.employed_statuses[1]",
            "unknown employment status",
        ),
        ("comparison = \">\"", "comparison = \"<\"", "kpi_targets[0].comparison", "invalid value `<`"),
        ("group = \"1\"\nsource", "group = \"9\"\nsource", "industrial_chains[0].group", "unknown group: 9"),
        (
            "levels = [\"技师\", \"高级技师\"]",
            "levels = [\"技师\", \"高师\"]",
            "evaluation.comprehensive_review.levels[1]",
            "unknown level name",
        ),
        ("min_examiners = 3", "min_examiners = 2", "evaluation.skill_test.min_examiners", "minimum is even"),
        ("skilled_from_rank = 2", "skilled_from_rank = 5", "ladder.high_skilled_from_rank", "must not be below"),
        ("jurisdiction = \"120000\"", "jurisdiction = \"tj\"", "meta.jurisdiction", "6 digits"),
        ("\nname_en = \"Heping District\"\n", "\n", "districts[0].name_en", "missing required key `name_en`"),
        ("code = \"A\"", "code = \"AA\"", "industries[0].code", "one uppercase letter"),
    ];
    for (from, to, key, reason) in cases {
        let errs = errors(&tianjin_with(from, to));
        let e = find(&errs, key);
        assert!(e.why.en.contains(reason), "{key}: {}", e.why.en);
        assert!(!e.why.zh.is_empty() && e.line.is_some(), "{key}");
    }
}

#[test]
fn mapping_must_point_at_an_existing_edition() {
    let text = format!(
        "{TIANJIN_TOML}\n[[eligibility.occupation_editions]]\noccupation = \"6-31-01\"\nedition = \"2030\"\n\
         effective_from = 2024-01-01\nsource = \"test\"\n"
    );
    let errs = errors(&text);
    assert!(find(&errs, "eligibility.occupation_editions[0].edition").why.en.contains("unknown edition: 2030"));
    assert!(find(&errs, "eligibility.occupation_editions[0].occupation").why.en.contains("D-DD-DD-DD"));
}

#[test]
fn missing_tables_and_empty_files_are_errors() {
    let errs = errors("");
    for key in ["meta", "ladder", "kpi", "eligibility", "evaluation"] {
        assert_eq!(find(&errs, key).why.en, format!("missing required table [{key}]"));
    }
    let errs = errors("ladder = 3\n");
    assert!(find(&errs, "ladder").why.en.contains("must be a table"));
}

#[test]
fn errors_explain_themselves_in_both_languages() {
    use gongjiang_domain::bilingual::Explain;
    let errs = errors(&tianjin_with("\nrank = 2\n", "\nrank = 1\n"));
    let msg = find(&errs, "ladder.levels[1].rank").explain();
    assert!(
        msg.zh.starts_with("策略文件 broken.toml:") && msg.zh.contains("ladder.levels[1].rank：等级序号 1 重复"),
        "{}",
        msg.zh
    );
    assert!(msg.en.starts_with("policy file broken.toml:") && msg.en.contains("rank 1 appears twice"), "{}", msg.en);
}

// --- the shortage scale (moved from the supply module's unit tests) ---------------------------

#[test]
fn the_shipped_policy_has_a_shortage_scale() {
    let p = Policy::tianjin();
    let s = p.shortage.expect("[shortage] in tianjin.toml");
    let order: Vec<Severity> = s.thresholds.iter().map(|t| t.severity).collect();
    assert_eq!(order, [Severity::Acute, Severity::Short, Severity::Moderate]);
    assert_eq!(severity(&Gap::new(40, 20), &s.thresholds), Some(Severity::Acute));
    assert_eq!(severity(&Gap::new(3, 2), &s.thresholds), Some(Severity::Moderate));
}

#[test]
fn a_bad_scale_is_reported_by_key() {
    let bad = format!("{}\n[[shortage.thresholds]]\nseverity = \"dire\"\nmin_ratio = 1.0\nmin_gap = 1\n", TIANJIN_TOML);
    let errors = Policy::from_toml_str(&bad, "t.toml").unwrap_err();
    assert!(errors.iter().any(|e| e.key == "shortage.thresholds[3].severity"), "{errors:?}");
}
