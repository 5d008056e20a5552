//! GB/T 2260 administrative division codes (行政区划代码): the province-level prefixes with their
//! names, shared by the identifier parsers (`id_number`, `uscc`, `certificate_no`), and the shape
//! of a six-digit division code, used by the policy loader.

use crate::bilingual::Msg;

/// The GB/T 2260 province-level prefixes, with names.
const PROVINCES: [(&str, &str, &str); 34] = [
    ("11", "北京市", "Beijing"),
    ("12", "天津市", "Tianjin"),
    ("13", "河北省", "Hebei"),
    ("14", "山西省", "Shanxi"),
    ("15", "内蒙古自治区", "Inner Mongolia"),
    ("21", "辽宁省", "Liaoning"),
    ("22", "吉林省", "Jilin"),
    ("23", "黑龙江省", "Heilongjiang"),
    ("31", "上海市", "Shanghai"),
    ("32", "江苏省", "Jiangsu"),
    ("33", "浙江省", "Zhejiang"),
    ("34", "安徽省", "Anhui"),
    ("35", "福建省", "Fujian"),
    ("36", "江西省", "Jiangxi"),
    ("37", "山东省", "Shandong"),
    ("41", "河南省", "Henan"),
    ("42", "湖北省", "Hubei"),
    ("43", "湖南省", "Hunan"),
    ("44", "广东省", "Guangdong"),
    ("45", "广西壮族自治区", "Guangxi"),
    ("46", "海南省", "Hainan"),
    ("50", "重庆市", "Chongqing"),
    ("51", "四川省", "Sichuan"),
    ("52", "贵州省", "Guizhou"),
    ("53", "云南省", "Yunnan"),
    ("54", "西藏自治区", "Xizang (Tibet)"),
    ("61", "陕西省", "Shaanxi"),
    ("62", "甘肃省", "Gansu"),
    ("63", "青海省", "Qinghai"),
    ("64", "宁夏回族自治区", "Ningxia"),
    ("65", "新疆维吾尔自治区", "Xinjiang"),
    ("71", "台湾省", "Taiwan"),
    ("81", "香港特别行政区", "Hong Kong SAR"),
    ("82", "澳门特别行政区", "Macao SAR"),
];

/// Whether `code` is a GB/T 2260 province prefix: 11–15, 21–23, 31–37, 41–46, 50–54, 61–65,
/// 71, 81, 82.
pub fn is_province_prefix(code: &str) -> bool {
    PROVINCES.iter().any(|(c, _, _)| *c == code)
}

/// The name of the province with GB/T 2260 prefix `code` (two digits).
pub fn province_name(code: &str) -> Option<Msg> {
    PROVINCES.iter().find(|(c, _, _)| *c == code).map(|(_, zh, en)| Msg::new(*zh, *en))
}

/// A six-digit division code such as `120000` or `120225` (shape only, not checked against the
/// code list).
pub(crate) fn is_division_code(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

/// The significant prefix of a division code: `120000` → `12`, `320500` → `3205`.
pub(crate) fn division_prefix(code: &str) -> &str {
    let mut p = code;
    while p.len() > 2 && p.ends_with("00") {
        p = &p[..p.len() - 2];
    }
    p
}
