//! The shipped 2022 catalogue, the CSV importer and occupation codes.

use gongjiang_domain::bilingual::Explain;
use gongjiang_domain::occupation::{
    CATALOGUE_2022, Catalogue, CatalogueField, CatalogueProblem, CodeError, Edition, OccupationCode, catalogue_2022,
    normalize_name, related, shared_catalogue_2022,
};

fn code(s: &str) -> OccupationCode {
    OccupationCode::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

// ---------------------------------------------------------------------------------------------
// The shipped catalogue
// ---------------------------------------------------------------------------------------------

#[test]
fn shipped_catalogue_parses_with_the_published_counts() {
    let cat = Catalogue::parse_csv(Edition::E2022, CATALOGUE_2022)
        .unwrap_or_else(|errors| panic!("{}", errors.iter().map(|e| format!("{e}\n")).collect::<String>()));
    // 8 major, 79 medium, 450 minor categories and 1639 occupations, as announced with the
    // 2022 edition (see data/OCCUPATIONS.md for the 449/1636 figures also in circulation).
    assert_eq!(cat.counts_by_depth(), [8, 79, 450, 1639]);
    assert_eq!(cat.len(), 2176);
    assert_eq!(cat.details().count(), 1639);
    assert_eq!(cat.edition(), Edition::E2022);
    assert_eq!(catalogue_2022().counts_by_depth(), cat.counts_by_depth());
    assert_eq!(shared_catalogue_2022().len(), cat.len());
}

#[test]
fn shipped_file_is_clean_utf8_csv_with_every_column_filled_as_documented() {
    assert!(!CATALOGUE_2022.starts_with('\u{FEFF}'), "no byte-order mark");
    assert!(!CATALOGUE_2022.contains('\r'), "LF line ends");
    let mut lines = CATALOGUE_2022.lines();
    assert_eq!(lines.next(), Some("code,name,level,parent,gbm"));
    for (i, line) in lines.enumerate() {
        let row = i + 2;
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells.len(), 5, "row {row}: {line}");
        let c = code(cells[0]);
        assert_eq!(c.as_str(), cells[0], "row {row}: code is canonical");
        assert_eq!(cells[2], c.depth().to_string(), "row {row}: level given");
        assert_eq!(cells[3], c.parent().map(|p| p.to_string()).unwrap_or_default(), "row {row}");
        // Categories carry their GBM, occupations none.
        assert_eq!(cells[4].is_empty(), c.depth() == 4, "row {row}: gbm");
    }
}

#[test]
fn shipped_names_are_free_of_ocr_junk() {
    let cat = catalogue_2022();
    for o in &cat {
        let n = &o.name;
        assert!(n.chars().count() >= 2, "{}: {n} too short", o.code);
        for ch in n.chars() {
            let cjk = ('\u{4E00}'..='\u{9FFF}').contains(&ch);
            assert!(cjk || "、（）".contains(ch), "{}: {n} has {ch:?}", o.code);
        }
        assert!(!n.starts_with('、') && !n.ends_with('、') && !n.contains("、、"), "{}: {n}", o.code);
        assert_eq!(n.matches('（').count(), n.matches('）').count(), "{}: {n}", o.code);
    }
}

#[test]
fn shipped_names_match_the_research_notes() {
    let cat = catalogue_2022();
    for (c, name) in [
        ("6-18-01-01", "车工"),
        ("6-18-01-02", "铣工"),
        ("6-18-02-03", "金属热处理工"),
        ("6-18-02-04", "焊工"),
        ("6-18-03-03", "涂装工"),
        ("6-18-04-01", "模具工"),
        ("6-18-04-06", "工具钳工"),
        ("6-20-01-01", "装配钳工"),
        ("6-20-03-01", "机床装调维修工"),
        ("6-22-01-01", "汽车生产线操作工"),
        ("6-22-02-01", "汽车装调工"),
        ("6-30-05-01", "起重装卸机械操作工"),
        ("6-31-01-03", "电工"),
        ("4-12-01-01", "汽车维修工"),
        ("4-03-02-01", "中式烹调师"),
        ("1-02-04", "监察机关负责人"),
        ("6-18", "机械制造基础加工人员"),
    ] {
        assert_eq!(cat.name_of(&code(c)), Some(name), "{c}");
    }
    // The 2022-Q3 shortage list's top ten are all occupations of this edition.
    for name in [
        "营销员",
        "车工",
        "餐厅服务员",
        "快递员",
        "保洁员",
        "保安员",
        "商品营业员",
        "家政服务员",
        "客户服务管理员",
        "焊工",
    ] {
        let found = cat.find_by_name(name);
        assert_eq!(found.len(), 1, "{name}");
        assert!(found[0].is_detail(), "{name}");
    }
}

#[test]
fn shipped_major_categories() {
    let cat = catalogue_2022();
    let majors: Vec<(&str, &str)> =
        cat.iter().filter(|o| o.depth == 1).map(|o| (o.code.as_str(), o.name.as_str())).collect();
    assert_eq!(
        majors,
        [
            ("1", "党的机关、国家机关、群众团体和社会组织、企事业单位负责人"),
            ("2", "专业技术人员"),
            ("3", "办事人员和有关人员"),
            ("4", "社会生产服务和生活服务人员"),
            ("5", "农、林、牧、渔业生产及辅助人员"),
            ("6", "生产制造及有关人员"),
            // 2015: 军人. The 2022 edition renamed it when it added 7-04 文职人员.
            ("7", "军队人员"),
            ("8", "不便分类的其他从业人员"),
        ]
    );
}

#[test]
fn shipped_corrections_are_in_place() {
    let cat = catalogue_2022();
    assert_eq!(cat.get(&code("1")).unwrap().gbm.as_deref(), Some("10000"));
    assert_eq!(cat.get(&code("3-03")).unwrap().gbm.as_deref(), Some("30300"));
    assert_eq!(cat.name_of(&code("2-01-06-06")), Some("地球科学研究人员"));
    assert_eq!(cat.name_of(&code("2-01-07-00")), Some("农业科学研究人员"));
    assert_eq!(cat.name_of(&code("2-01-10-00")), Some("文学、艺术学研究人员"));
    assert_eq!(cat.name_of(&code("7-01-00-00")), Some("军官（警官）"));
}

#[test]
fn every_parent_exists_and_every_category_above_minor_has_contents() {
    let cat = catalogue_2022();
    for o in &cat {
        assert_eq!(o.depth, o.code.depth());
        assert_eq!(o.parent, o.code.parent());
        if let Some(p) = o.parent {
            assert!(cat.contains(&p), "{}: parent {p} missing", o.code);
            assert!(cat.children(&p).iter().any(|c| c.code == o.code));
        }
        if o.depth < 3 {
            assert!(!cat.children(&o.code).is_empty(), "{} has no children", o.code);
        }
        // Residual "other" minor groups (X-XX-99, X-99-00) list no occupations.
        if o.depth == 3 && cat.children(&o.code).is_empty() {
            assert!(o.name.starts_with("其他"), "{} {} has no occupations", o.code, o.name);
        }
    }
}

#[test]
fn gbm_codes_agree_with_codes() {
    for o in &catalogue_2022() {
        if let Some(gbm) = &o.gbm {
            let digits = o.code.as_str().replace('-', "");
            assert_eq!(gbm, &format!("{digits:0<5}"), "{}", o.code);
        }
    }
}

#[test]
fn lookups() {
    let cat = catalogue_2022();
    let turner = code("6-18-01-01");
    assert!(cat.is_detail(&turner));
    assert!(!cat.is_detail(&code("6-18-01")));
    assert!(!cat.is_detail(&code("6-18-01-99")), "not in the catalogue");
    assert!(!cat.is_detail(&code("2-01-99")), "a residual group is not an occupation");
    assert_eq!(cat.get(&turner).unwrap().parent, Some(code("6-18-01")));

    let cold: Vec<&str> = cat.children(&code("6-18-01")).iter().map(|o| o.name.as_str()).collect();
    assert_eq!(cold.len(), 13);
    assert_eq!(&cold[..3], ["车工", "铣工", "刨插工"]);
    assert_eq!(cat.children(&code("6-18")).len(), 5);
    assert_eq!(cat.children(&code("6")).len(), 32);
    assert_eq!(cat.children(&code("6-18-01-01")).len(), 0);
    assert_eq!(cat.children(&code("6-18-09")).len(), 0, "absent code");
    assert_eq!(cat.subtree(&code("6-18")).len(), 1 + 5 + 13 + 6 + 4 + 6);
    let majors = cat.iter().filter(|o| o.depth == 1).count();
    assert_eq!(majors, 8);

    // A minor group with a single 00 occupation shares its name: the occupation comes first.
    let found = cat.find_by_name("国家权力机关负责人");
    let codes: Vec<&str> = found.iter().map(|o| o.code.as_str()).collect();
    assert_eq!(codes, ["1-02-01-00", "1-02-01"]);
    // Width, spacing and 、 do not matter, but an exact spelling comes first.
    assert_eq!(cat.find_by_name(" 军官(警官) ")[0].code, code("7-01-00-00"));
    assert_eq!(cat.find_by_name("农林牧渔业生产及辅助人员")[0].code, code("5"));
    assert!(cat.find_by_name("钳工").is_empty(), "钳工 is not a 2022 occupation by itself");

    let search: Vec<&str> = cat.search("钳工").iter().map(|o| o.name.as_str()).collect();
    assert!(search.contains(&"装配钳工") && search.contains(&"工具钳工") && search.contains(&"机修钳工"));
    assert!(cat.search("  ").is_empty());
}

#[test]
fn related_means_same_minor_group() {
    let turner = code("6-18-01-01");
    let miller = code("6-18-01-02");
    let welder = code("6-18-02-04");
    assert!(related(&turner, &miller));
    assert!(related(&turner, &turner));
    assert!(!related(&turner, &welder));
    assert!(!related(&turner, &code("6-18-01")), "only detail occupations");
    assert!(!related(&code("6-18-01"), &code("6-18-01")));

    let cat = catalogue_2022();
    assert!(cat.related(&turner, &miller));
    assert!(!cat.related(&turner, &code("6-18-01-99")), "not an occupation of 2022");
    // 钳工 family: 装配钳工 and 机修钳工 are in different minor groups.
    assert!(!cat.related(&code("6-20-01-01"), &code("6-31-01-02")));
    assert!(cat.related(&code("6-31-01-02"), &code("6-31-01-03")), "机修钳工 ~ 电工");
}

// ---------------------------------------------------------------------------------------------
// Codes
// ---------------------------------------------------------------------------------------------

#[test]
fn code_forms() {
    let c = code("6-18-01-01");
    assert_eq!(c.as_str(), "6-18-01-01");
    assert_eq!(c.to_string(), "6-18-01-01");
    assert_eq!(c.depth(), 4);
    assert_eq!(c.major(), 6);
    assert_eq!(c.parent(), Some(code("6-18-01")));
    assert_eq!(c.minor_group(), Some(code("6-18-01")));
    assert_eq!(c.at_depth(1), Some(code("6")));
    assert_eq!(c.at_depth(5), None);
    assert_eq!(code("6-18").minor_group(), None);
    assert_eq!(code("6-18-01").minor_group(), Some(code("6-18-01")));
    assert_eq!(code("6").parent(), None);
    assert_eq!(code("6").depth(), 1);
    assert_eq!(code("6-18").depth(), 2);
    assert_eq!(code("6-18").parent(), Some(code("6")));
    assert!(code("2-01-99").is_other());
    assert!(!code("6-18-01-01").is_other());

    // The compact 7-digit detail form, full-width characters, dashes and spaces.
    assert_eq!(code("6180101"), c);
    assert_eq!(code(" 6-18-01-01 "), c);
    assert_eq!(code("６－１８－０１－０１"), c);
    assert_eq!(code("6–18–01–01"), c);
    assert_eq!("6-18-01-01".parse::<OccupationCode>().unwrap(), c);

    // Order is the printed order.
    let mut codes = [code("6-18-02"), code("6-18-01-01"), code("6-18"), code("6-18-01"), code("4")];
    codes.sort();
    let sorted: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
    assert_eq!(sorted, ["4", "6-18", "6-18-01", "6-18-01-01", "6-18-02"]);
}

#[test]
fn bad_codes_are_refused_with_an_explanation() {
    assert_eq!(OccupationCode::parse("  "), Err(CodeError::Empty));
    for bad in ["6-18-1-1", "6-180-01", "61-8", "6-18-01-01-01", "-18", "6-", "6--01", "61801", "618", "618010"] {
        assert!(matches!(OccupationCode::parse(bad), Err(CodeError::BadShape { .. })), "{bad} should be malformed");
    }
    for bad in ["6-18-01-0l", "6.18.01.01", "车工", "6-18-01-01a"] {
        assert!(matches!(OccupationCode::parse(bad), Err(CodeError::BadCharacter { .. })), "{bad} has a bad character");
    }
    for bad in ["0", "9-01", "0180101"] {
        assert!(
            matches!(OccupationCode::parse(bad), Err(CodeError::MajorOutOfRange { .. })),
            "{bad} major out of range"
        );
    }
    let msg = OccupationCode::parse("6-18-1-1").unwrap_err().explain();
    assert!(msg.zh.contains("6-18-1-1") && msg.zh.contains("6-18-01-01"), "{}", msg.zh);
    assert!(msg.en.contains("6-18-1-1") && msg.en.contains("malformed"), "{}", msg.en);
}

#[test]
fn codes_and_editions_deserialize_from_strings() {
    use serde::Deserialize;
    use serde::de::value::{Error, StrDeserializer};
    let c = OccupationCode::deserialize(StrDeserializer::<Error>::new("6180101")).unwrap();
    assert_eq!(c, code("6-18-01-01"));
    assert!(OccupationCode::deserialize(StrDeserializer::<Error>::new("6-18-1")).is_err());
    let e = Edition::deserialize(StrDeserializer::<Error>::new("2015")).unwrap();
    assert_eq!(e, Edition::E2015);
}

#[test]
fn editions() {
    assert_eq!("2022".parse::<Edition>(), Ok(Edition::E2022));
    assert_eq!("2015年版".parse::<Edition>(), Ok(Edition::E2015));
    assert_eq!(" 1999版 ".parse::<Edition>(), Ok(Edition::E1999));
    assert_eq!(Edition::LATEST.as_str(), "2022");
    assert_eq!(Edition::E2015.year(), 2015);
    let err = "2008".parse::<Edition>().unwrap_err();
    assert!(err.explain().zh.contains("2008") && err.explain().en.contains("1999"));
}

// ---------------------------------------------------------------------------------------------
// Importing other files
// ---------------------------------------------------------------------------------------------

#[test]
fn two_column_older_edition_loads() {
    // A bureau's list of the 1999 edition, with Chinese headers, CRLF, a BOM, a quoted cell,
    // an extra column and a blank line.
    let text = "\u{FEFF}职业代码,职业名称,备注\r\n\
                6,\"生产、运输设备操作人员及有关人员\",\r\n\
                6-04,机械制造加工人员,\r\n\
                \r\n\
                6-04-01,机械冷加工人员,\r\n\
                6-04-01-01,车工,\r\n\
                6040102,铣工,compact code\r\n\
                6-04-02,机械热加工人员,\r\n\
                6-04-02-05,焊工,\r\n";
    let cat = Catalogue::parse_csv(Edition::E1999, text).unwrap();
    assert_eq!(cat.edition(), Edition::E1999);
    assert_eq!(cat.counts_by_depth(), [1, 1, 2, 3]);
    assert_eq!(cat.name_of(&code("6")), Some("生产、运输设备操作人员及有关人员"));
    assert_eq!(cat.name_of(&code("6-04-01-02")), Some("铣工"));
    let welder = cat.get(&code("6-04-02-05")).unwrap();
    assert_eq!(welder.depth, 4);
    assert_eq!(welder.parent, Some(code("6-04-02")));
    assert_eq!(welder.gbm, None);
    assert!(cat.related(&code("6-04-01-01"), &code("6-04-01-02")));
    assert!(!cat.related(&code("6-04-01-01"), &code("6-04-02-05")));
    // 1999's 6-04-02-05 焊工 is no code of 2022, whose 焊工 is 6-18-02-04.
    assert_eq!(catalogue_2022().get(&code("6-04-02-05")), None);
    assert_eq!(catalogue_2022().find_by_name("焊工")[0].code, code("6-18-02-04"));
}

#[test]
fn full_layout_with_chinese_headers_and_tabs_loads() {
    let text = "代码\t名称\t层级\t上级代码\tGBM\n\
                6\t生产制造及有关人员\t1\t\t60000\n\
                6-18\t机械制造基础加工人员\t2\t6\t61800\n\
                6-18-01\t机械冷加工人员\t3\t6-18\t61801\n\
                6-18-01-01\t车工\t4\t6-18-01\t\n";
    let cat = Catalogue::parse_csv(Edition::E2015, text).unwrap();
    assert_eq!(cat.counts_by_depth(), [1, 1, 1, 1]);
    assert_eq!(cat.get(&code("6-18")).unwrap().gbm.as_deref(), Some("61800"));
}

#[test]
fn bad_rows_are_reported_with_row_numbers() {
    let text = "code,name,level,parent,gbm\n\
                6,生产制造及有关人员,1,,60000\n\
                6-18,机械制造基础加工人员,2,6,6180\n\
                6-18-01,机械冷加工人员,3,6-19,61801\n\
                6-18-01-01,车工,3,6-18-01,\n\
                6-18-01-02,,4,6-18-01,\n\
                6-18-1-3,刨插工,4,6-18-01,\n\
                6-18-01-01,车工,4,6-18-01,\n\
                6-18-02-04,焊工,4,6-18-02,\n\
                6-18-01-04,磨工,x,6-18-01,\n\
                6-18-01-05,镗工,4,6-18-01,,extra\n";
    let errors = Catalogue::parse_csv(Edition::E2022, text).unwrap_err();
    let found: Vec<(usize, CatalogueField)> = errors.iter().map(|e| (e.row, e.field)).collect();
    assert_eq!(
        found,
        [
            (3, CatalogueField::Gbm),
            (4, CatalogueField::Parent),
            (5, CatalogueField::Level),
            (6, CatalogueField::Name),
            (7, CatalogueField::Code),
            (8, CatalogueField::Code),
            (9, CatalogueField::Parent),
            (10, CatalogueField::Level),
            (11, CatalogueField::Row),
        ],
        "{errors:#?}"
    );
    assert!(matches!(errors[0].problem, CatalogueProblem::GbmMismatch { .. }));
    assert!(matches!(errors[1].problem, CatalogueProblem::ParentMismatch { .. }));
    assert_eq!(errors[2].problem, CatalogueProblem::LevelMismatch { given: 3, derived: 4 });
    assert_eq!(errors[3].problem, CatalogueProblem::Required);
    assert!(matches!(errors[4].problem, CatalogueProblem::BadCode(CodeError::BadShape { .. })));
    assert_eq!(errors[5].problem, CatalogueProblem::DuplicateCode { first_row: 5 });
    assert_eq!(errors[6].problem, CatalogueProblem::MissingParent { parent: code("6-18-02") });
    assert!(matches!(errors[7].problem, CatalogueProblem::BadLevel { .. }));
    assert!(matches!(errors[8].problem, CatalogueProblem::ExtraCells { columns: 5, found: 6 }));

    let msg = errors[5].explain();
    assert_eq!(msg.zh, "第 8 行，代码：代码与第 5 行重复");
    assert_eq!(msg.en, "row 8, code: the code repeats row 5");
    let msg = errors[6].explain();
    assert!(msg.zh.starts_with("第 9 行，上级代码：") && msg.zh.contains("6-18-02"), "{}", msg.zh);
}

#[test]
fn missing_columns_and_empty_files_are_reported() {
    let errors = Catalogue::parse_csv(Edition::E2022, "").unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].problem, CatalogueProblem::NoHeader);

    let errors = Catalogue::parse_csv(Edition::E2022, "code,title\n6,生产制造及有关人员\n").unwrap_err();
    assert_eq!((errors[0].row, errors[0].field), (1, CatalogueField::Name));
    assert_eq!(errors[0].problem, CatalogueProblem::MissingColumn);
    assert!(errors[0].explain().zh.contains("名称"));

    let errors = Catalogue::parse_csv(Edition::E2022, "代码,code,名称\n").unwrap_err();
    assert!(matches!(errors[0].problem, CatalogueProblem::DuplicateColumn { .. }));

    let errors = Catalogue::parse_csv(Edition::E2022, "\n\ncode,name\n").unwrap_err();
    assert_eq!((errors[0].row, &errors[0].problem), (3, &CatalogueProblem::NoRows));

    let errors = Catalogue::parse_csv(Edition::E2022, "code,name\n6,\"生产制造\n").unwrap_err();
    assert_eq!((errors[0].row, &errors[0].problem), (2, &CatalogueProblem::UnclosedQuote));
}

#[test]
fn older_gbm_shapes_are_kept_as_given() {
    let text = "code,name,gbm\n6,生产、运输设备操作人员及有关人员,6/7/8/9\n6-04,机械制造加工人员,6-04\n";
    let cat = Catalogue::parse_csv(Edition::E1999, text).unwrap();
    assert_eq!(cat.get(&code("6")).unwrap().gbm.as_deref(), Some("6/7/8/9"));
    // The same GBM is refused for an edition whose GBM follows the code.
    assert!(Catalogue::parse_csv(Edition::E2015, text).is_err());
}

#[test]
fn name_normalization() {
    assert_eq!(normalize_name(" 军官（警官） "), "军官(警官)");
    assert_eq!(normalize_name("农、林、牧、渔业"), "农林牧渔业");
    assert_eq!(normalize_name("ＡＩ训练师"), "AI训练师");
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn parsing_never_panics(s in "\\PC{0,14}") {
            let _ = OccupationCode::parse(&s);
        }

        #[test]
        fn canonical_codes_round_trip(major in 1u8..=8, groups in prop::collection::vec(0u8..100, 0..=3)) {
            let text: String = std::iter::once(major.to_string())
                .chain(groups.iter().map(|g| format!("{g:02}")))
                .collect::<Vec<_>>()
                .join("-");
            let c = OccupationCode::parse(&text).unwrap();
            prop_assert_eq!(c.as_str(), text.as_str());
            prop_assert_eq!(usize::from(c.depth()), groups.len() + 1);
            prop_assert_eq!(c.major(), major);
            if let Some(p) = c.parent() {
                prop_assert!(c.is_within(&p) && p < c);
                prop_assert_eq!(p.depth() + 1, c.depth());
            }
            if c.depth() == 4 {
                prop_assert_eq!(OccupationCode::parse(&text.replace('-', "")).unwrap(), c);
            }
        }
    }
}
