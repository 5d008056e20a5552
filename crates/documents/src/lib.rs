//! gongjiang-documents: printable documents. For now the 职业技能等级证书 (certificate of
//! occupational skill level) as a one-page PDF, set in a CJK font from the system (Debian's
//! `fonts-noto-cjk`) with only the glyphs used embedded, so a certificate is a few tens of KB and
//! opens anywhere.
//!
//! ```no_run
//! # fn main() -> Result<(), gongjiang_documents::DocumentError> {
//! use gongjiang_documents::{CertificateDocument, Fonts, certificate_pdf};
//! let fonts = Fonts::discover()?; // once; clone it freely
//! # let doc: CertificateDocument = todo!();
//! let pdf: Vec<u8> = certificate_pdf(&doc, &fonts)?;
//! # Ok(()) }
//! ```

mod certificate;
mod fonts;
mod qr;
mod text;

use thiserror::Error;

pub use certificate::{
    BODY_EN, BODY_ZH, CERTIFICATE_QUERY_URL, CertificateDocument, EVALUATION_BODY_QUERY_URL, NO_TRADE, certificate_pdf,
    chinese_date,
};
pub use fonts::{DEBIAN_NOTO_CJK_DIR, FONT_DIR_ENV, Fonts};

#[derive(Debug, Error)]
pub enum DocumentError {
    #[error(
        "找不到中文字体：请安装 Debian 软件包 fonts-noto-cjk（apt-get install fonts-noto-cjk），或将环境变量 \
         GONGJIANG_FONT_DIR 设为含 Noto CJK 字体的目录（已查找：{searched}）/ no CJK font found: install the \
         Debian package fonts-noto-cjk (apt-get install fonts-noto-cjk) or set GONGJIANG_FONT_DIR to a folder \
         holding a Noto CJK font (searched: {searched})"
    )]
    FontNotFound { searched: String },
    #[error("无法读取字体文件 {path} / cannot read the font file {path}: {reason}")]
    FontUnreadable { path: String, reason: String },
    #[error(
        "{zh}中含有字体无法显示的字符“{ch}”（U+{code:04X}）/ {en} contains a character the font cannot print: \
         '{ch}' (U+{code:04X})",
        zh = field.zh, en = field.en, code = *ch as u32
    )]
    MissingGlyph { field: Field, ch: char },
    #[error("{zh}不能为空 / {en} must not be empty", zh = field.zh, en = field.en)]
    MissingField { field: Field },
    #[error("照片无法使用（须为 JPEG 或 PNG）/ the photo cannot be used (it must be JPEG or PNG): {0}")]
    Photo(String),
    #[error(
        "核验网址过长，无法编入二维码（{bytes} 字节）/ the verification URL is too long for a QR code ({bytes} bytes)"
    )]
    QrTooLong { bytes: usize },
    #[error("PDF 生成失败 / PDF generation failed: {0}")]
    Pdf(String),
}

/// A place on the certificate, named in both languages, for error messages and labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub zh: &'static str,
    pub en: &'static str,
}

impl Field {
    pub const TITLE: Field = Field { zh: "证书名称", en: "Certificate title" };
    pub const BODY: Field = Field { zh: "证书正文", en: "Certificate text" };
    pub const HOLDER_NAME: Field = Field { zh: "姓名", en: "Name" };
    pub const ID_TYPE: Field = Field { zh: "证件类型", en: "ID type" };
    pub const ID_NUMBER: Field = Field { zh: "证件号码", en: "ID number" };
    pub const OCCUPATION: Field = Field { zh: "职业名称", en: "Occupation" };
    pub const TRADE: Field = Field { zh: "工种/职业方向", en: "Trade / Specialty" };
    pub const LEVEL: Field = Field { zh: "职业技能等级", en: "Skill level" };
    pub const CERTIFICATE_NO: Field = Field { zh: "证书编号", en: "Certificate No." };
    pub const EVALUATION_BODY: Field = Field { zh: "评价机构名称", en: "Evaluation body" };
    pub const ISSUED_ON: Field = Field { zh: "发证日期", en: "Date of issue" };
    pub const PHOTO: Field = Field { zh: "照片", en: "Photo" };
    pub const VERIFICATION_URL: Field = Field { zh: "核验网址", en: "Verification URL" };
    pub const QR: Field = Field { zh: "二维码", en: "QR code" };
    pub const QUERY: Field = Field { zh: "查询网址", en: "Query addresses" };
    pub const STATUS: Field = Field { zh: "证书状态", en: "Certificate status" };
}
