//! The 职业技能等级证书 (certificate of occupational skill level) in the national style of 2022:
//! one landscape A4 page, Chinese first and English second, with every required field — title,
//! body sentence, holder and identity document, occupation (with its code), 工种/职业方向
//! ("--" when none), level, certificate number, evaluation body, issue date, photo, QR code and
//! the two national query addresses.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Rect, Size, Transform};
use krilla::image::Image;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use time::Date;

use crate::fonts::{Face, Fonts};
use crate::text::{self, Run};
use crate::{DocumentError, Field, qr};

/// The certificate query site of 人社部职业技能鉴定中心, printed on every certificate.
pub const CERTIFICATE_QUERY_URL: &str = "http://jndj.osta.org.cn";
/// The evaluation-body query site, printed on every certificate.
pub const EVALUATION_BODY_QUERY_URL: &str = "http://pjjg.osta.org.cn";

/// What is printed where 工种/职业方向 is empty: the national style forbids a blank.
pub const NO_TRADE: &str = "--";

/// The 证书正文 (body sentence), in both languages.
pub const BODY_ZH: &str = "兹证明持证人经本机构评价，达到下列职业技能等级，特发此证。";
pub const BODY_EN: &str =
    "This is to certify that the holder, assessed by this evaluation body, has attained the skill level below.";

/// Everything printed on one certificate, as it should read: the caller formats and masks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateDocument {
    /// 姓名.
    pub holder_name: String,
    /// 证件类型, e.g. "居民身份证".
    pub id_type: String,
    /// 证件号码, exactly as it should be printed.
    pub id_number: String,
    /// 职业名称, e.g. "装配钳工".
    pub occupation_name: String,
    /// 职业编码 from the 2022 classification, e.g. "6-20-01-01"; printed after the name.
    pub occupation_code: String,
    /// 工种/职业方向; `None` or blank prints "--".
    pub trade: Option<String>,
    /// 职业技能等级, "Chinese numeral + 级/level name", e.g. "三级/高级工".
    pub level: String,
    /// 证书编号.
    pub certificate_no: String,
    /// 评价机构名称, exactly as registered.
    pub evaluation_body: String,
    /// 发证日期, printed as 2026年11月25日.
    pub issued_on: Date,
    /// The address the QR code opens, printed beneath it.
    pub verification_url: String,
    /// The holder's one-inch photo, JPEG or PNG; `None` leaves a framed box labelled 照片.
    pub photo: Option<Vec<u8>>,
    /// Printed across the top in red when the certificate is no longer valid, e.g.
    /// "本证书已于2026年5月1日撤销 / REVOKED": a revoked certificate's PDF says so on its face.
    pub status_notice: Option<String>,
    /// What the level rests on when not an evaluation, printed under the fields: for a
    /// promotion through a competition (以赛代评) the competition, tier, group and place.
    pub basis: Option<String>,
}

impl CertificateDocument {
    /// What the 工种/职业方向 line prints: the trade, or "--" when there is none.
    pub fn trade_text(&self) -> &str {
        match self.trade.as_deref().map(str::trim) {
            Some(trade) if !trade.is_empty() => trade,
            _ => NO_TRADE,
        }
    }

    /// The occupation as printed: "装配钳工（6-20-01-01）", or the name alone without a code.
    pub fn occupation_text(&self) -> String {
        match self.occupation_code.trim() {
            "" => self.occupation_name.trim().to_string(),
            code => format!("{}（{}）", self.occupation_name.trim(), code),
        }
    }

    fn check_required(&self) -> Result<(), DocumentError> {
        let required = [
            (&self.holder_name, Field::HOLDER_NAME),
            (&self.id_type, Field::ID_TYPE),
            (&self.id_number, Field::ID_NUMBER),
            (&self.occupation_name, Field::OCCUPATION),
            (&self.level, Field::LEVEL),
            (&self.certificate_no, Field::CERTIFICATE_NO),
            (&self.evaluation_body, Field::EVALUATION_BODY),
            (&self.verification_url, Field::VERIFICATION_URL),
        ];
        match required.into_iter().find(|(value, _)| value.trim().is_empty()) {
            Some((_, field)) => Err(DocumentError::MissingField { field }),
            None => Ok(()),
        }
    }
}

/// A date as Chinese documents write it: 2026年11月25日 (month and day without leading zeros).
pub fn chinese_date(date: Date) -> String {
    format!("{}年{}月{}日", date.year(), u8::from(date.month()), date.day())
}

/// Renders the certificate as a one-page PDF with subsets of the fonts embedded.
pub fn certificate_pdf(doc: &CertificateDocument, fonts: &Fonts) -> Result<Vec<u8>, DocumentError> {
    doc.check_required()?;
    let photo = doc.photo.as_deref().map(photo_image).transpose()?;

    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(format!("职业技能等级证书 {}", doc.certificate_no.trim()))
            .language("zh-CN".to_string())
            .creator("gongjiang".to_string()),
    );
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| DocumentError::Pdf("page size".into()))?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();
    let mut painter = Painter { surface: &mut surface, fonts };
    painter.frame();
    painter.title()?;
    painter.photo_box(photo)?;
    painter.verification(&doc.verification_url)?;
    painter.query_addresses()?;
    painter.body()?;
    painter.fields(doc)?;
    if let Some(notice) = doc.status_notice.as_deref().filter(|n| !n.trim().is_empty()) {
        painter.notice(notice)?;
    }
    surface.finish();
    page.finish();
    document.finish().map_err(|e| DocumentError::Pdf(e.to_string()))
}

fn photo_image(bytes: &[u8]) -> Result<Image, DocumentError> {
    let data = bytes.to_vec().into();
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Image::from_jpeg(data, true).map_err(DocumentError::Photo)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Image::from_png(data, true).map_err(DocumentError::Photo)
    } else {
        Err(DocumentError::Photo("not a JPEG or PNG file".to_string()))
    }
}

// Geometry of a landscape A4 page, in points (1/72 inch), y growing downwards.
const PAGE_W: f32 = 841.89;
const PAGE_H: f32 = 595.28;
const CENTRE_X: f32 = PAGE_W / 2.0;
/// The left panel holds the photo, the QR code and the query addresses.
const LEFT_X0: f32 = 62.0;
const LEFT_X1: f32 = 270.0;
const LEFT_CENTRE: f32 = (LEFT_X0 + LEFT_X1) / 2.0;
const DIVIDER_X: f32 = 292.0;
/// The right panel holds the body sentence and the fields.
const RIGHT_X0: f32 = 318.0;
const RIGHT_X1: f32 = 782.0;
const VALUE_X: f32 = RIGHT_X0 + 124.0;
/// One-inch photo (25 × 35 mm), slightly enlarged.
const PHOTO_W: f32 = 90.0;
const PHOTO_H: f32 = 126.0;
const PHOTO_TOP: f32 = 150.0;
const QR_SIZE: f32 = 112.0;
const QR_TOP: f32 = 300.0;
const FIELDS_TOP: f32 = 224.0;
const FIELD_PITCH: f32 = 32.5;

/// 小四 (12 pt), the size the national style sets entries in.
const ENTRY_SIZE: f32 = 12.0;

/// Colours as (red, green, blue).
type Rgb = (u8, u8, u8);
const RED: Rgb = (150, 24, 30);
const INK: Rgb = (25, 25, 25);
const GREY: Rgb = (95, 95, 95);
const RULE: Rgb = (170, 170, 170);
const BLACK: Rgb = (0, 0, 0);

#[derive(Clone, Copy)]
struct Style {
    bold: bool,
    size: f32,
    color: Rgb,
    /// Extra space after each character, in em.
    tracking: f32,
}

impl Style {
    const fn regular(size: f32, color: Rgb) -> Style {
        Style { bold: false, size, color, tracking: 0.0 }
    }
    const fn bold(size: f32, color: Rgb) -> Style {
        Style { bold: true, size, color, tracking: 0.0 }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Align {
    Left,
    Centre,
    Right,
}

/// How [`Painter::fitted`] may set a text that is too long for its place.
#[derive(Clone, Copy)]
struct Fit {
    width: f32,
    min_size: f32,
    max_lines: usize,
    align: Align,
    anchor: Anchor,
}

/// Below this size (in points) text is no longer made smaller; it takes more lines instead.
const SMALLEST_SIZE: f32 = 5.0;

/// Where the baseline given to [`Painter::fitted`] sits in a block of several lines.
#[derive(Clone, Copy, PartialEq)]
enum Anchor {
    /// It is the first line's baseline; further lines go below.
    FirstLine,
    /// The block is centred on it.
    Middle,
}

struct Painter<'a, 'p> {
    surface: &'a mut Surface<'p>,
    fonts: &'a Fonts,
}

impl Painter<'_, '_> {
    /// A double frame: a heavy outer rule and a fine inner one.
    fn frame(&mut self) {
        self.stroke_rect(Rect::from_xywh(22.0, 22.0, PAGE_W - 44.0, PAGE_H - 44.0), 2.6, RED);
        self.stroke_rect(Rect::from_xywh(29.0, 29.0, PAGE_W - 58.0, PAGE_H - 58.0), 0.7, RED);
        self.line(DIVIDER_X, 150.0, DIVIDER_X, 540.0, 0.5, RULE);
    }

    fn title(&mut self) -> Result<(), DocumentError> {
        let title = Style { tracking: 0.3, ..Style::bold(32.0, RED) };
        self.text(title, "职业技能等级证书", CENTRE_X, 90.0, Align::Centre, Field::TITLE)?;
        let english = Style { tracking: 0.08, ..Style::regular(12.5, RED) };
        self.text(english, "Certificate of Occupational Skill Level", CENTRE_X, 114.0, Align::Centre, Field::TITLE)?;
        self.line(CENTRE_X - 150.0, 127.0, CENTRE_X + 150.0, 127.0, 0.6, RED);
        Ok(())
    }

    /// A red, boxed notice across the top (a revoked or suspended certificate).
    fn notice(&mut self, text: &str) -> Result<(), DocumentError> {
        let style = Style { tracking: 0.1, ..Style::bold(18.0, RED) };
        let width = self.text(style, text.trim(), CENTRE_X, 152.0, Align::Centre, Field::STATUS)?;
        self.stroke_rect(Rect::from_xywh(CENTRE_X - width / 2.0 - 10.0, 132.0, width + 20.0, 28.0), 1.6, RED);
        Ok(())
    }

    /// The holder's photo fitted into a one-inch box, or the empty box labelled 照片.
    fn photo_box(&mut self, photo: Option<Image>) -> Result<(), DocumentError> {
        let left = LEFT_CENTRE - PHOTO_W / 2.0;
        let frame = Rect::from_xywh(left, PHOTO_TOP, PHOTO_W, PHOTO_H);
        match photo {
            Some(image) => {
                let (w, h) = image.size();
                let scale = (PHOTO_W / w.max(1) as f32).min(PHOTO_H / h.max(1) as f32);
                let (w, h) = (w as f32 * scale, h as f32 * scale);
                let size = Size::from_wh(w, h).ok_or_else(|| DocumentError::Photo("empty image".to_string()))?;
                let x = left + (PHOTO_W - w) / 2.0;
                let y = PHOTO_TOP + (PHOTO_H - h) / 2.0;
                self.surface.push_transform(&Transform::from_translate(x, y));
                self.surface.draw_image(image, size);
                self.surface.pop();
                self.stroke_rect(frame, 0.6, RULE);
            }
            None => {
                self.stroke_rect(frame, 0.8, GREY);
                let middle = PHOTO_TOP + PHOTO_H / 2.0;
                self.text(Style::regular(14.0, GREY), "照片", LEFT_CENTRE, middle, Align::Centre, Field::PHOTO)?;
                self.text(Style::regular(8.0, GREY), "Photo", LEFT_CENTRE, middle + 14.0, Align::Centre, Field::PHOTO)?;
            }
        }
        Ok(())
    }

    /// The QR code that opens the verification page, with its address beneath.
    fn verification(&mut self, url: &str) -> Result<(), DocumentError> {
        let url = url.trim();
        let path = qr::qr_path(url, LEFT_CENTRE - QR_SIZE / 2.0, QR_TOP, QR_SIZE)?;
        self.surface.set_stroke(None);
        self.surface.set_fill(Some(fill(BLACK)));
        self.surface.draw_path(&path);
        let caption = QR_TOP + QR_SIZE + 16.0;
        self.text(Style::regular(8.5, INK), "扫码核验 Scan to verify", LEFT_CENTRE, caption, Align::Centre, Field::QR)?;
        let url_style = Style::regular(7.0, GREY);
        let fit = Fit {
            width: LEFT_X1 - LEFT_X0,
            min_size: 7.0,
            max_lines: 3,
            align: Align::Centre,
            anchor: Anchor::FirstLine,
        };
        self.fitted(url_style, url, LEFT_CENTRE, caption + 12.0, fit, Field::VERIFICATION_URL)
    }

    /// The two national query sites every certificate prints.
    fn query_addresses(&mut self) -> Result<(), DocumentError> {
        let label = Style::regular(8.0, GREY);
        let address = Style::regular(9.5, INK);
        let rows = [
            ("证书查询 Certificate query", CERTIFICATE_QUERY_URL, 490.0),
            ("评价机构查询 Evaluation body query", EVALUATION_BODY_QUERY_URL, 522.0),
        ];
        for (caption, url, baseline) in rows {
            self.text(label, caption, LEFT_CENTRE, baseline, Align::Centre, Field::QUERY)?;
            self.text(address, url, LEFT_CENTRE, baseline + 12.5, Align::Centre, Field::QUERY)?;
        }
        Ok(())
    }

    fn body(&mut self) -> Result<(), DocumentError> {
        // Both sentences are fixed and fit the panel's width (a test reads them back whole).
        self.text(Style::regular(ENTRY_SIZE, INK), BODY_ZH, RIGHT_X0, 166.0, Align::Left, Field::BODY)?;
        self.text(Style::regular(8.5, GREY), BODY_EN, RIGHT_X0, 182.0, Align::Left, Field::BODY)?;
        Ok(())
    }

    fn fields(&mut self, doc: &CertificateDocument) -> Result<(), DocumentError> {
        let occupation = doc.occupation_text();
        let issued_on = chinese_date(doc.issued_on);
        const VALUE_FIT: Fit =
            Fit { width: RIGHT_X1 - VALUE_X, min_size: 9.0, max_lines: 2, align: Align::Left, anchor: Anchor::Middle };
        let rows: [(Field, &str); 9] = [
            (Field::HOLDER_NAME, doc.holder_name.trim()),
            (Field::ID_TYPE, doc.id_type.trim()),
            (Field::ID_NUMBER, doc.id_number.trim()),
            (Field::OCCUPATION, &occupation),
            (Field::TRADE, doc.trade_text()),
            (Field::LEVEL, doc.level.trim()),
            (Field::CERTIFICATE_NO, doc.certificate_no.trim()),
            (Field::EVALUATION_BODY, doc.evaluation_body.trim()),
            (Field::ISSUED_ON, &issued_on),
        ];
        for (i, (field, value)) in rows.into_iter().enumerate() {
            let baseline = FIELDS_TOP + i as f32 * FIELD_PITCH;
            self.text(Style::bold(ENTRY_SIZE, INK), field.zh, RIGHT_X0, baseline, Align::Left, field)?;
            self.text(Style::regular(7.5, GREY), field.en, RIGHT_X0, baseline + 11.0, Align::Left, field)?;
            let value_style = Style::regular(ENTRY_SIZE, INK);
            self.fitted(value_style, value, VALUE_X, baseline, VALUE_FIT, field)?;
            self.line(VALUE_X, baseline + 8.0, RIGHT_X1, baseline + 8.0, 0.4, RULE);
        }
        if let Some(basis) = doc.basis.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
            const BASIS_FIT: Fit = Fit {
                width: RIGHT_X1 - RIGHT_X0,
                min_size: 6.5,
                max_lines: 2,
                align: Align::Left,
                anchor: Anchor::Middle,
            };
            let text = format!("认定依据 Basis：以赛代评 {basis}");
            self.fitted(Style::regular(9.0, INK), &text, RIGHT_X0, 510.0, BASIS_FIT, Field::BODY)?;
        }
        let seal = "评价机构（盖章）Seal of the evaluation body";
        self.text(Style::regular(8.0, GREY), seal, RIGHT_X1, 532.0, Align::Right, Field::EVALUATION_BODY)?;
        Ok(())
    }

    fn face(&self, style: Style) -> &Face {
        if style.bold { &self.fonts.bold } else { &self.fonts.regular }
    }

    fn run(&self, style: Style, text: &str, field: Field) -> Result<Run, DocumentError> {
        text::set(self.face(style), text, style.tracking)?.map_err(|ch| DocumentError::MissingGlyph { field, ch })
    }

    /// One line of text; returns its width.
    fn text(
        &mut self,
        style: Style,
        text: &str,
        x: f32,
        baseline: f32,
        align: Align,
        field: Field,
    ) -> Result<f32, DocumentError> {
        let run = self.run(style, text, field)?;
        let width = run.width(style.size);
        let left = match align {
            Align::Left => x,
            Align::Centre => x - width / 2.0,
            Align::Right => x - width,
        };
        self.surface.set_stroke(None);
        self.surface.set_fill(Some(fill(style.color)));
        let face = self.face(style).clone();
        text::draw(self.surface, &face, &run, text, left, baseline, style.size);
        Ok(width)
    }

    /// Text in at most `fit.width`: on one line at its own size if it fits, else shrunk down to
    /// `fit.min_size`, else broken into balanced lines — and made smaller still if it would take
    /// more than `fit.max_lines`. Nothing is ever cut off.
    fn fitted(
        &mut self,
        style: Style,
        text: &str,
        x: f32,
        baseline: f32,
        fit: Fit,
        field: Field,
    ) -> Result<(), DocumentError> {
        let run = self.run(style, text, field)?;
        let width_em = run.width(1.0).max(f32::EPSILON);
        if width_em * fit.min_size <= fit.width {
            let size = style.size.min(fit.width / width_em);
            self.text(Style { size, ..style }, text, x, baseline, fit.align, field)?;
            return Ok(());
        }
        let advances: Vec<f32> = run.glyphs.iter().map(|g| g.x_advance).collect();
        let mut size = fit.min_size;
        let mut lines = text::break_lines(text, &advances, fit.width / size);
        while lines.len() > fit.max_lines && size > SMALLEST_SIZE {
            size -= 0.25;
            lines = text::break_lines(text, &advances, fit.width / size);
        }
        // Balance the lines: the narrowest measure that still needs no more of them.
        let count = lines.len();
        let mut measure = width_em / count as f32;
        while measure < fit.width / size {
            let balanced = text::break_lines(text, &advances, measure);
            if balanced.len() <= count {
                lines = balanced;
                break;
            }
            measure += 0.5;
        }
        let leading = size * 1.25;
        let first = match fit.anchor {
            Anchor::FirstLine => baseline,
            Anchor::Middle => baseline - (count - 1) as f32 * leading / 2.0 - 1.5,
        };
        let line_style = Style { size, ..style };
        for (i, range) in lines.into_iter().enumerate() {
            self.text(line_style, &text[range], x, first + i as f32 * leading, fit.align, field)?;
        }
        Ok(())
    }

    fn stroke_rect(&mut self, rect: Option<Rect>, width: f32, color: Rgb) {
        let Some(rect) = rect else { return };
        let mut path = PathBuilder::new();
        path.push_rect(rect);
        self.stroke(path, width, color);
    }

    fn line(&mut self, x0: f32, y0: f32, x1: f32, y1: f32, width: f32, color: Rgb) {
        let mut path = PathBuilder::new();
        path.move_to(x0, y0);
        path.line_to(x1, y1);
        self.stroke(path, width, color);
    }

    fn stroke(&mut self, path: PathBuilder, width: f32, color: Rgb) {
        let Some(path) = path.finish() else { return };
        self.surface.set_fill(None);
        self.surface.set_stroke(Some(Stroke {
            paint: rgb::Color::new(color.0, color.1, color.2).into(),
            width,
            ..Stroke::default()
        }));
        self.surface.draw_path(&path);
        self.surface.set_stroke(None);
    }
}

fn fill((r, g, b): Rgb) -> Fill {
    Fill { paint: rgb::Color::new(r, g, b).into(), ..Fill::default() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_fixed_sentences_fit_the_right_panel() {
        let fonts = Fonts::discover().unwrap_or_else(|e| panic!("{e}"));
        let mut document = Document::new();
        let mut page = document.start_page();
        let mut surface = page.surface();
        let painter = Painter { surface: &mut surface, fonts: &fonts };
        for (text, size) in [(BODY_ZH, ENTRY_SIZE), (BODY_EN, 8.5)] {
            let width = painter.run(Style::regular(size, INK), text, Field::BODY).unwrap().width(size);
            assert!(width <= RIGHT_X1 - RIGHT_X0, "{text} is {width} pt wide");
        }
    }

    #[test]
    fn dates_are_written_the_chinese_way() {
        assert_eq!(chinese_date(date!(2026 - 11 - 25)), "2026年11月25日");
        assert_eq!(chinese_date(date!(2027 - 01 - 05)), "2027年1月5日");
    }
}
