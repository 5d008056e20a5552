//! Renders real certificates with the system's Noto CJK fonts and reads them back with poppler
//! (`pdftotext`, `pdffonts`, `pdfimages`, `pdftoppm`, all from Debian's `poppler-utils`), and the
//! QR code with `zbarimg` (Debian's `zbar-tools`) when it is installed.
//!
//! Set `GONGJIANG_KEEP_RENDERS=DIR` to keep every PDF and its 80 dpi PNG in DIR for a look.
//!
//! The photo fixtures are a drawn head-and-shoulders figure (250 × 350 px), written as PNG with
//! Python's zlib and as JPEG with `cjpeg`.

use std::path::{Path, PathBuf};
use std::process::Command;

use gongjiang_documents::{
    BODY_ZH, CERTIFICATE_QUERY_URL, CertificateDocument, DocumentError, EVALUATION_BODY_QUERY_URL, Field, Fonts,
    certificate_pdf,
};
use time::macros::date;

const VERIFY_URL: &str = "https://gongjiang.example.cn/v/0193a7b2-5c4e-7d10-9f3a-2b6c8d1e4f50";

/// The name the 2022 occupation catalogue gives a code.
fn occupation_name(code: &str) -> String {
    let csv = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/occupations-2022.csv"))
        .expect("the occupation catalogue");
    csv.lines()
        .find_map(|line| {
            let mut cells = line.split(',');
            (cells.next() == Some(code)).then(|| cells.next().unwrap_or_default().to_string())
        })
        .unwrap_or_else(|| panic!("{code} is not in the catalogue"))
}

fn sample() -> CertificateDocument {
    CertificateDocument {
        holder_name: "张三明".into(),
        id_type: "居民身份证".into(),
        id_number: "120101199003071234".into(),
        occupation_name: occupation_name("6-20-01-01"),
        occupation_code: "6-20-01-01".into(),
        trade: None,
        level: "三级/高级工".into(),
        certificate_no: "S000012000001265000001".into(),
        evaluation_body: "天津市海河职业技能等级认定评价中心".into(),
        issued_on: date!(2026 - 11 - 25),
        verification_url: VERIFY_URL.into(),
        photo: None,
        status_notice: None,
        basis: None,
    }
}

fn fonts() -> Fonts {
    Fonts::discover().unwrap_or_else(|e| panic!("{e}"))
}

struct Rendered {
    _dir: tempfile::TempDir,
    pdf: PathBuf,
    bytes: usize,
}

fn render(name: &str, doc: &CertificateDocument) -> Rendered {
    render_with(name, doc, &fonts())
}

fn render_with(name: &str, doc: &CertificateDocument, fonts: &Fonts) -> Rendered {
    let pdf_bytes = certificate_pdf(doc, fonts).unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join(format!("{name}.pdf"));
    std::fs::write(&pdf, &pdf_bytes).unwrap();
    if let Some(keep) = std::env::var_os("GONGJIANG_KEEP_RENDERS") {
        let keep = PathBuf::from(keep);
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::copy(&pdf, keep.join(format!("{name}.pdf"))).unwrap();
        run("pdftoppm", &["-png", "-r", "80", "-singlefile", path(&pdf), path(&keep.join(name))]);
    }
    Rendered { _dir: dir, pdf, bytes: pdf_bytes.len() }
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Runs a poppler tool; they come with `poppler-utils`, which the tests need.
fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {tool} ({e}): apt-get install poppler-utils"));
    assert!(out.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The page's text as a reader copies it, without white space (lines may break anywhere).
fn text_of(pdf: &Path) -> String {
    run("pdftotext", &[path(pdf), "-"]).split_whitespace().collect()
}

fn compact(s: &str) -> String {
    s.split_whitespace().collect()
}

#[test]
fn every_required_field_is_text_a_reader_can_copy() {
    let doc = sample();
    let text = text_of(&render("sample", &doc).pdf);
    let required = [
        "职业技能等级证书",
        "Certificate of Occupational Skill Level",
        BODY_ZH,
        "姓名",
        "张三明",
        "证件类型",
        "居民身份证",
        "证件号码",
        "120101199003071234",
        "职业名称",
        "装配钳工（6-20-01-01）",
        "工种/职业方向",
        "职业技能等级",
        "三级/高级工",
        "证书编号",
        "S000012000001265000001",
        "评价机构名称",
        "天津市海河职业技能等级认定评价中心",
        "发证日期",
        "2026年11月25日",
        "照片",
        VERIFY_URL,
        CERTIFICATE_QUERY_URL,
        EVALUATION_BODY_QUERY_URL,
    ];
    for needle in required {
        assert!(text.contains(&compact(needle)), "{needle:?} is missing from the PDF text:\n{text}");
    }
}

#[test]
fn fonts_are_embedded_as_small_subsets_with_unicode_maps() {
    let rendered = render("fonts", &sample());
    let listing = run("pdffonts", &[path(&rendered.pdf)]);
    let rows: Vec<Vec<&str>> = listing.lines().skip(2).map(|l| l.split_whitespace().collect()).collect();
    assert!(!rows.is_empty(), "no fonts listed:\n{listing}");
    for row in &rows {
        // name type… encoding emb sub uni object-id generation
        let [emb, sub, uni] = [row[row.len() - 5], row[row.len() - 4], row[row.len() - 3]];
        assert_eq!([emb, sub, uni], ["yes", "yes", "yes"], "{listing}");
        let (tag, name) = row[0].split_once('+').unwrap_or_else(|| panic!("no subset tag: {}", row[0]));
        assert!(tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()), "{listing}");
        assert!(name.contains("CJK"), "{listing}");
    }
    // The Noto CJK collections are 19–27 MB; a subset of the few hundred glyphs used is tiny.
    assert!(rendered.bytes < 100_000, "the PDF is {} bytes", rendered.bytes);
}

/// The printed line that holds a label, as laid out on the page, without white space.
fn line_with(pdf: &Path, label: &str) -> String {
    let layout = run("pdftotext", &["-layout", path(pdf), "-"]);
    let line = layout.lines().find(|l| l.contains(label)).unwrap_or_else(|| panic!("no {label}:\n{layout}"));
    compact(line)
}

#[test]
fn an_empty_trade_prints_a_double_dash_and_a_trade_prints_itself() {
    for trade in [None, Some(""), Some("  ")] {
        let doc = CertificateDocument { trade: trade.map(String::from), ..sample() };
        let line = line_with(&render("no-trade", &doc).pdf, "工种/职业方向");
        assert_eq!(line, "工种/职业方向--", "trade {trade:?}");
    }
    let lathe = CertificateDocument {
        occupation_name: occupation_name("6-18-01-01"),
        occupation_code: "6-18-01-01".into(),
        trade: Some("数控车工".into()),
        ..sample()
    };
    let rendered = render("trade", &lathe);
    assert_eq!(line_with(&rendered.pdf, "工种/职业方向"), "工种/职业方向数控车工");
    assert_eq!(line_with(&rendered.pdf, "职业名称"), "职业名称车工（6-18-01-01）");
    assert!(!text_of(&rendered.pdf).contains("--"));
}

#[test]
fn the_qr_code_opens_the_verification_url() {
    if Command::new("zbarimg").arg("--version").output().is_err() {
        println!("SKIPPED: zbarimg not installed (apt-get install zbar-tools); QR code not decoded");
        return;
    }
    let rendered = render("qr", &sample());
    let png = rendered.pdf.with_extension("");
    run("pdftoppm", &["-png", "-r", "150", "-singlefile", path(&rendered.pdf), path(&png)]);
    let out = Command::new("zbarimg").args(["--raw", "-q"]).arg(png.with_extension("png")).output().unwrap();
    assert!(out.status.success(), "zbarimg found no code: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), VERIFY_URL);
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap()
}

#[test]
fn a_jpeg_or_png_photo_fills_the_photo_box() {
    for name in ["holder-photo.jpg", "holder-photo.png"] {
        let doc = CertificateDocument { photo: Some(fixture(name)), ..sample() };
        let rendered = render(name, &doc);
        let listing = run("pdfimages", &["-list", path(&rendered.pdf)]);
        let images: Vec<Vec<&str>> = listing.lines().skip(2).map(|l| l.split_whitespace().collect()).collect();
        assert_eq!(images.len(), 1, "{name}: {listing}");
        // page num type width height …
        assert_eq!((images[0][3], images[0][4]), ("250", "350"), "{name}: {listing}");
        // The empty box's label gives way to the photo.
        assert!(!text_of(&rendered.pdf).contains("照片"), "{name}");
    }
}

#[test]
fn a_photo_that_is_not_jpeg_or_png_is_refused() {
    let doc = CertificateDocument { photo: Some(b"GIF89a\x01\x00\x01\x00".to_vec()), ..sample() };
    let err = certificate_pdf(&doc, &fonts()).unwrap_err();
    assert!(matches!(err, DocumentError::Photo(_)), "{err}");
    assert!(err.to_string().contains("照片") && err.to_string().contains("JPEG or PNG"), "{err}");
}

#[test]
fn an_empty_required_field_is_named_in_both_languages() {
    let doc = CertificateDocument { certificate_no: " ".into(), ..sample() };
    let err = certificate_pdf(&doc, &fonts()).unwrap_err();
    assert!(matches!(err, DocumentError::MissingField { field: Field::CERTIFICATE_NO }), "{err}");
    assert_eq!(err.to_string(), "证书编号不能为空 / Certificate No. must not be empty");
}

#[test]
fn a_character_the_font_lacks_is_named_instead_of_printing_a_box() {
    // 𪚥 (CJK Extension B) occurs in personal names but is not in Noto CJK.
    let doc = CertificateDocument { holder_name: "王𪚥".into(), ..sample() };
    let err = certificate_pdf(&doc, &fonts()).unwrap_err();
    assert!(matches!(err, DocumentError::MissingGlyph { field: Field::HOLDER_NAME, ch: '𪚥' }), "{err}");
    assert!(err.to_string().contains("姓名") && err.to_string().contains("U+2A6A5"), "{err}");
}

#[test]
fn long_values_shrink_or_wrap_and_are_printed_whole() {
    let doc = CertificateDocument {
        evaluation_body: "天津市滨海新区中新天津生态城高端装备制造产业职业技能等级认定社会培训评价组织有限公司".into(),
        occupation_name: "工业机器人系统运维员及智能制造生产线集成调试与维护人员".into(),
        verification_url: format!("{VERIFY_URL}?holder=0193a7b2-5c4e-7d10-9f3a-2b6c8d1e4f50&lang=zh-CN"),
        ..sample()
    };
    let text = text_of(&render("long", &doc).pdf);
    for needle in [&doc.evaluation_body, &doc.occupation_name, &doc.verification_url] {
        assert!(text.contains(needle.as_str()), "{needle:?} is not printed whole:\n{text}");
    }
}

#[test]
fn a_folder_with_only_the_sans_font_is_used_when_named() {
    let sans = Path::new(gongjiang_documents::DEBIAN_NOTO_CJK_DIR).join("NotoSansCJK-Regular.ttc");
    assert!(sans.exists(), "apt-get install fonts-noto-cjk");
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(&sans, dir.path().join("NotoSansCJK-Regular.ttc")).unwrap();
    let fonts = Fonts::from_dir(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(fonts.family(), "Noto Sans CJK SC");
    let rendered = render_with("sans", &sample(), &fonts);
    let listing = run("pdffonts", &[path(&rendered.pdf)]);
    assert!(listing.contains("NotoSansCJKsc-Regular"), "{listing}");
    assert!(!listing.contains("Serif"), "{listing}");
}

#[test]
fn the_system_fonts_are_noto_serif() {
    assert_eq!(fonts().family(), "Noto Serif CJK SC");
}

#[test]
fn a_revoked_certificate_says_so_on_its_face() {
    let dir = tempfile::tempdir().unwrap();
    let valid = dir.path().join("valid.pdf");
    std::fs::write(&valid, certificate_pdf(&sample(), &fonts()).unwrap()).unwrap();
    assert!(!text_of(&valid).contains("撤销"));
    let doc = CertificateDocument {
        status_notice: Some("本证书已于2026年5月1日撤销 / REVOKED".into()), ..sample()
    };
    let revoked = dir.path().join("revoked.pdf");
    std::fs::write(&revoked, certificate_pdf(&doc, &fonts()).unwrap()).unwrap();
    let text = text_of(&revoked);
    assert!(text.contains("本证书已于2026年5月1日撤销") && text.contains("REVOKED"), "{text}");
}

#[test]
fn a_promotion_through_a_competition_prints_its_basis() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.pdf");
    std::fs::write(&plain, certificate_pdf(&sample(), &fonts()).unwrap()).unwrap();
    assert!(!text_of(&plain).contains("认定依据"));
    let basis = "竞赛 competition: 2025年海河工匠杯数控车工竞赛（市级一类 city_1，职工 employee，第2名（共40人） place 2 of 40）";
    let doc = CertificateDocument { basis: Some(basis.into()), ..sample() };
    let path = dir.path().join("competition.pdf");
    std::fs::write(&path, certificate_pdf(&doc, &fonts()).unwrap()).unwrap();
    let text: String = text_of(&path).split_whitespace().collect();
    assert!(
        text.contains("认定依据") && text.contains("以赛代评") && text.contains("2025年海河工匠杯数控车工竞赛"),
        "{text}"
    );
}
