//! `gongjiang demo`: a realistic, deterministic synthetic city to try the system on and to
//! benchmark it.
//!
//! [`DemoCity`] is a pure generator: for a policy, a catalogue, a size, a seed and a date it always
//! produces the same organisations, persons, skill levels, employment spells and official
//! statistics, whatever the chunk sizes used to draw the persons. Persons are drawn in chunks
//! ([`DemoCity::persons_chunk`]) so a city of 10 million never sits in memory at once; only the
//! organisations (one per 40 persons) and a small table of identity-number sequence counters
//! stay resident.
//!
//! What the data looks like, and why:
//!
//! * **Districts** are the policy's; each gets a share of the employed (see
//!   [`DISTRICT_PROFILE`]) and a manufacturing bias that tilts its enterprises' industries.
//! * **Organisations**: about 1 per 40 persons, at least 50. Mostly enterprises (credit code
//!   authority 9, type 1); a few public training centres, technician and vocational schools
//!   (public institutions, 1-2, or private non-enterprise units, 5-2), training institutions and
//!   evaluation institutions (5-2). Region code = the organisation's district. Enterprise size
//!   follows a Pareto law, so a few big employers hold a good part of a district's staff.
//! * **Persons**: valid resident identity numbers. About 80 % carry a Tianjin address code
//!   (the code of the district they were registered in at birth: abolished codes such as 120225
//!   蓟县 for people born before the change), the others one of the provinces Tianjin's migrant
//!   workers come from. Ages 18–62, about 55 % men. Occupation follows the employer's industry
//!   (a car-parts maker employs 汽车装调工 and 焊工, a restaurant 中式烹调师).
//! * **Skill levels** are calibrated on the KPI definitions of the policy: among persons the
//!   policy counts as employed, 31 % are skilled (at or above `ladder.skilled_from`) and 34 % of
//!   those are high-skilled (at or above `ladder.high_skilled_from`) — Tianjin's 2023 figures
//!   (RESEARCH §0.3: 30.8 %, 84万/273万 ≈ 31 % high-skilled, 34.4 % by 2026). Each history follows
//!   the 2018 eligibility template (RESEARCH §2.1): 初级工 after ≥ 1 year of work; then ≥ 4 years
//!   to 中级工, ≥ 5 to 高级工, ≥ 4 to 技师 and ≥ 4 to 高级技师. Technician- and vocational-school
//!   graduates may start at 中级工 on graduation, others after 6 years of work. 特级技师 (≥ 5
//!   years after 高级技师) and 首席技师 (≥ 3 years after 特级技师) are rare appointments by the
//!   employer (RESEARCH §1: those prerequisites are an assumption). Certificates get numbers:
//!   22-character national ones from 2020, 16-digit legacy ones from 1995 to 2019, none before.
//! * **Employment**: 1–3 spells from the work start to today, the last one open at the current
//!   employer; unemployed and retired persons have closed spells only.
//! * **Statistics**: official employed persons per district and year (2021 to last year), the
//!   last year near the registry's employed count, earlier years a little lower; a city total;
//!   and city-wide figures per industry.
//! * **Demand** (供需): enterprises report demand for occupations of their trades at 中级工 to
//!   高级技师 in their district, for the last two years, this year and next, each line growing
//!   or shrinking at its own rate; manufacturers mostly under a chain of the policy's 新兴/优势
//!   groups, IT firms under a 引领 chain. A few hundred rows, drawn from the seed alone.

pub mod evaluation;

use std::collections::HashSet;
use std::io;
use std::path::Path;

use gongjiang_domain::access::Scope;
use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::certificate_no::CertificateNo;
use gongjiang_domain::dates::add_years;
use gongjiang_domain::id_number::{self, is_province_prefix, province_name};
use gongjiang_domain::level::Level;
use gongjiang_domain::occupation::Catalogue;
use gongjiang_domain::policy::Policy;
use gongjiang_domain::records::{NewDemand, NewEmployment, NewLevel, NewOrganisation, NewPerson, NewStatistic};
use gongjiang_domain::registry::{Education, EmploymentStatus, IdType, LevelSource, OrgKind};
use gongjiang_domain::uscc;
use gongjiang_store::employment::EmploymentWrite;
use gongjiang_store::levels::LevelWrite;
use gongjiang_store::persons::PersonWrite;
use gongjiang_store::{employment, levels, organisations, persons, statistics, tx};
use serde::Serialize;
use serde_json::json;
use time::{Date, Month};

use crate::{Actor, App, AppError};

/// Persons per organisation, and the fewest organisations a city gets.
const PERSONS_PER_ORG: u64 = 40;
const MIN_ORGS: u64 = 50;
/// Persons per database transaction in [`load`] and per generated chunk in [`write_csv`].
const CHUNK: usize = 5000;
/// Who recorded the demo's levels.
const RECORDED_BY: &str = "demo";
/// Target KPIs among persons the policy counts as employed.
const SKILLED_SHARE: f64 = 0.31;
const HIGH_SKILLED_OF_SKILLED: f64 = 0.34;
/// Share of persons whose identity number comes from another province.
const MIGRANT_SHARE: f64 = 0.20;

// =============================================================================================
// A small deterministic PRNG: xoshiro256++ seeded through SplitMix64.
// =============================================================================================

#[derive(Debug, Clone)]
struct Rng {
    s: [u64; 4],
}

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut x = seed;
        let mut split_mix = || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Rng { s: [split_mix(), split_mix(), split_mix(), split_mix()] }
    }

    fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in 0..n (0 when n is 0).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in lo..=hi (lo when hi < lo).
    fn between(&mut self, lo: i32, hi: i32) -> i32 {
        if hi <= lo { lo } else { lo + self.below((hi - lo + 1) as u64) as i32 }
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Exponentially distributed with this mean.
    fn exp(&mut self, mean: f64) -> f64 {
        -mean * (1.0 - self.unit()).ln()
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Cumulative weights for picking an index in proportion to its weight.
#[derive(Debug, Clone, Default)]
struct Weighted {
    cum: Vec<f64>,
}

impl Weighted {
    fn new(weights: impl IntoIterator<Item = f64>) -> Weighted {
        let mut total = 0.0;
        let cum = weights
            .into_iter()
            .map(|w| {
                total += w.max(0.0);
                total
            })
            .collect();
        Weighted { cum }
    }

    fn total(&self) -> f64 {
        self.cum.last().copied().unwrap_or(0.0)
    }

    fn is_empty(&self) -> bool {
        self.total() <= 0.0
    }

    fn pick(&self, rng: &mut Rng) -> usize {
        self.pick_from(rng, 0)
    }

    /// Picks an index ≥ `from` (the distribution truncated below `from`).
    fn pick_from(&self, rng: &mut Rng, from: usize) -> usize {
        let from = from.min(self.cum.len().saturating_sub(1));
        let lo = if from == 0 { 0.0 } else { self.cum[from - 1] };
        let x = lo + rng.unit() * (self.total() - lo);
        self.cum.partition_point(|&c| c <= x).clamp(from, self.cum.len().saturating_sub(1))
    }
}

// =============================================================================================
// Reference tables. Figures are rough, documented judgements for a plausible city, not
// statistics to quote.
// =============================================================================================

/// Tianjin's districts: share of the employed (%, sums to 100) and manufacturing bias.
/// Shares follow the 2020 census population of each district, shifted towards where the jobs
/// are: 滨海新区 (the port, petrochemicals, aerospace and most large manufacturers) is by far the
/// largest; the 环城四区 around the centre host industrial parks; the 市内六区 are services-heavy
/// with many jobs per resident in 和平区; the five outer districts are partly rural.
/// A district of another policy gets an equal share and no bias.
const DISTRICT_PROFILE: &[(&str, f64, f64)] = &[
    ("120101", 4.0, 0.30),  // 和平区
    ("120102", 5.0, 0.35),  // 河东区
    ("120103", 6.5, 0.35),  // 河西区
    ("120104", 6.0, 0.35),  // 南开区
    ("120105", 4.0, 0.40),  // 河北区
    ("120106", 2.5, 0.40),  // 红桥区
    ("120110", 6.5, 1.25),  // 东丽区
    ("120111", 8.5, 1.30),  // 西青区
    ("120112", 6.0, 1.20),  // 津南区
    ("120113", 6.5, 1.30),  // 北辰区
    ("120114", 7.5, 1.15),  // 武清区
    ("120115", 4.5, 1.00),  // 宝坻区
    ("120116", 20.0, 1.50), // 滨海新区
    ("120117", 3.5, 1.00),  // 宁河区
    ("120118", 5.0, 1.15),  // 静海区
    ("120119", 4.0, 0.80),  // 蓟州区
];

/// The year an abolished county-level code stopped being issued: persons born before it carry
/// it in their identity number (RESEARCH §8.1). 塘沽、汉沽、大港 merged into 滨海新区 in 2009;
/// 武清县 (2000), 宝坻县 (2001), 宁河县 and 静海县 (2015) and 蓟县 (2016) became districts.
/// Other former codes of a policy are taken to have ended in 2000.
const FORMER_CODE_UNTIL: &[(&str, i32)] = &[
    ("120107", 2010),
    ("120108", 2010),
    ("120109", 2010),
    ("120221", 2015),
    ("120222", 2000),
    ("120223", 2015),
    ("120224", 2001),
    ("120225", 2016),
];

/// Address codes of migrant workers' home counties, weighted: mostly neighbouring Hebei, then
/// Shandong, Henan, the north-east and further provinces.
const MIGRANT_REGIONS: &[(&str, f64)] = &[
    ("130102", 3.0), // 石家庄长安区
    ("130104", 2.0), // 石家庄桥西区
    ("130202", 3.0), // 唐山路南区
    ("130203", 2.0), // 唐山路北区
    ("130302", 1.5), // 秦皇岛海港区
    ("130402", 1.5), // 邯郸邯山区
    ("130602", 2.5), // 保定竞秀区
    ("130802", 1.0), // 承德双桥区
    ("130902", 3.5), // 沧州新华区
    ("130929", 1.5), // 献县
    ("131002", 3.0), // 廊坊安次区
    ("131102", 1.5), // 衡水桃城区
    ("131121", 1.0), // 枣强县
    ("370102", 1.5), // 济南历下区
    ("370202", 1.0), // 青岛市南区
    ("370702", 1.0), // 潍坊潍城区
    ("371402", 2.5), // 德州德城区
    ("371502", 1.0), // 聊城东昌府区
    ("371602", 1.5), // 滨州滨城区
    ("410102", 2.0), // 郑州中原区
    ("410302", 1.0), // 洛阳老城区
    ("411102", 1.0), // 漯河源汇区
    ("411602", 1.5), // 周口川汇区
    ("140105", 1.5), // 太原小店区
    ("140202", 1.0), // 大同城区
    ("150102", 1.0), // 呼和浩特新城区
    ("210102", 1.0), // 沈阳和平区
    ("210202", 0.8), // 大连中山区
    ("220102", 1.0), // 长春南关区
    ("230102", 1.5), // 哈尔滨道里区
    ("230202", 1.0), // 齐齐哈尔龙沙区
    ("340102", 1.2), // 合肥瑶海区
    ("341202", 1.0), // 阜阳颍州区
    ("320102", 0.6), // 南京玄武区
    ("320302", 0.6), // 徐州鼓楼区
    ("420102", 0.8), // 武汉江岸区
    ("510104", 0.8), // 成都锦江区
    ("620102", 0.8), // 兰州城关区
    ("110105", 0.7), // 北京朝阳区
    ("110108", 0.5), // 北京海淀区
];

/// An industry (GB/T 4754 section) as enterprises of the demo see it: its weight among
/// enterprises' employment, words for enterprise names, and the occupation groups (大典 major
/// or medium categories) its staff hold, weighted.
struct IndustryProfile {
    code: &'static str,
    weight: f64,
    words: &'static [&'static str],
    groups: &'static [(&'static str, f64)],
}

/// Manufacturing (C) is split into branches below. Weights: roughly Tianjin's employment by
/// section — manufacturing about 30 %, trade 14 %, construction 9 %, logistics 8 % …
const INDUSTRIES: &[IndustryProfile] = &[
    IndustryProfile {
        code: "A",
        weight: 1.5,
        words: &["农业科技", "农业发展", "种植", "水产养殖"],
        groups: &[
            ("5-01", 40.0),
            ("5-03", 15.0),
            ("5-04", 10.0),
            ("5-05", 15.0),
            ("2-03", 5.0),
            ("3-01", 8.0),
            ("1", 1.0),
        ],
    },
    IndustryProfile {
        code: "B",
        weight: 1.0,
        words: &["石油工程技术服务", "能源开发", "油田技术服务", "矿业"],
        groups: &[
            ("6-16", 45.0),
            ("6-10", 10.0),
            ("6-31", 15.0),
            ("6-30", 7.0),
            ("2-02", 10.0),
            ("3-01", 8.0),
            ("1", 1.0),
        ],
    },
    IndustryProfile { code: "C", weight: 30.0, words: &[], groups: &[] },
    IndustryProfile {
        code: "D",
        weight: 1.5,
        words: &["电力工程", "热力", "燃气", "供水", "能源"],
        groups: &[("6-28", 55.0), ("4-11", 15.0), ("2-02", 10.0), ("3-01", 8.0), ("6-31", 5.0), ("1", 1.0)],
    },
    IndustryProfile {
        code: "E",
        weight: 9.0,
        words: &["建筑工程", "建设工程", "建筑安装工程", "装饰工程", "市政工程"],
        groups: &[("6-29", 70.0), ("2-02", 10.0), ("6-30", 8.0), ("3-01", 5.0), ("1", 1.0)],
    },
    IndustryProfile {
        code: "F",
        weight: 14.0,
        words: &["商贸", "贸易", "商业", "国际贸易", "医药销售", "汽车销售"],
        groups: &[("4-01", 75.0), ("4-02", 8.0), ("3-01", 8.0), ("1", 1.5)],
    },
    IndustryProfile {
        code: "G",
        weight: 8.0,
        words: &["物流", "运输", "国际货运代理", "港口服务", "供应链管理", "快递服务"],
        groups: &[("4-02", 60.0), ("6-30", 20.0), ("3-01", 8.0), ("4-12", 4.0), ("1", 1.0)],
    },
    IndustryProfile {
        code: "H",
        weight: 5.0,
        words: &["餐饮管理", "酒店管理", "餐饮服务", "宾馆"],
        groups: &[("4-03", 85.0), ("3-01", 5.0), ("1", 1.0)],
    },
    IndustryProfile {
        code: "I",
        weight: 4.0,
        words: &["信息技术", "软件", "网络科技", "数据科技", "智能科技"],
        groups: &[("4-04", 50.0), ("2-02", 35.0), ("3-01", 5.0), ("1", 1.0)],
    },
    IndustryProfile {
        code: "J",
        weight: 2.5,
        words: &["融资租赁", "保险代理", "投资管理"],
        groups: &[("4-05", 45.0), ("2-06", 35.0), ("3-01", 12.0), ("1", 1.5)],
    },
    IndustryProfile {
        code: "K",
        weight: 2.5,
        words: &["房地产开发", "物业管理", "置业"],
        groups: &[("4-06", 70.0), ("3-01", 10.0), ("2-06", 5.0), ("4-10", 5.0), ("1", 1.0)],
    },
    IndustryProfile {
        code: "L",
        weight: 6.0,
        words: &["企业管理咨询", "人力资源服务", "商务咨询", "劳务服务", "会展服务", "保安服务"],
        groups: &[("4-07", 60.0), ("3-01", 15.0), ("2-06", 10.0), ("1", 1.5)],
    },
    IndustryProfile {
        code: "M",
        weight: 3.5,
        words: &["科技发展", "检测技术", "工程设计", "技术服务", "检验认证"],
        groups: &[("2-02", 40.0), ("4-08", 30.0), ("2-01", 15.0), ("3-01", 5.0), ("1", 1.0)],
    },
    IndustryProfile {
        code: "N",
        weight: 1.5,
        words: &["环境工程", "环保科技", "园林绿化", "市政设施管理"],
        groups: &[("4-09", 65.0), ("5-05", 5.0), ("3-01", 8.0), ("1", 1.0)],
    },
    IndustryProfile {
        code: "O",
        weight: 3.5,
        words: &["家政服务", "汽车维修", "美容美发", "养老服务", "洗涤服务"],
        groups: &[("4-10", 60.0), ("4-12", 25.0), ("3-01", 5.0), ("1", 1.0)],
    },
    IndustryProfile {
        code: "P",
        weight: 2.0,
        words: &["教育科技", "教育咨询", "文化培训"],
        groups: &[("2-08", 55.0), ("4-13", 25.0), ("3-01", 10.0), ("1", 1.0)],
    },
    IndustryProfile {
        code: "Q",
        weight: 2.0,
        words: &["健康管理", "医疗科技", "康复医疗", "护理服务"],
        groups: &[("2-05", 45.0), ("4-14", 30.0), ("4-10", 10.0), ("3-01", 5.0), ("1", 1.0)],
    },
    IndustryProfile {
        code: "R",
        weight: 1.0,
        words: &["文化传媒", "体育发展", "文化旅游", "影视"],
        groups: &[("4-13", 40.0), ("2-09", 30.0), ("4-14", 15.0), ("3-01", 5.0)],
    },
];

/// Manufacturing branches (Tianjin's "1+3+4" industries and 12 chains, RESEARCH §8.2): weight
/// within manufacturing, words for names, occupation groups.
struct Branch {
    weight: f64,
    words: &'static [&'static str],
    groups: &'static [(&'static str, f64)],
}

const BRANCHES: &[Branch] = &[
    Branch {
        weight: 22.0,
        words: &["机械制造", "精密机械", "装备制造", "自动化设备", "模具", "机电设备"],
        groups: &[("6-18", 35.0), ("6-20", 25.0), ("6-21", 10.0), ("6-31", 12.0), ("6-24", 4.0)],
    },
    Branch {
        weight: 12.0,
        words: &["汽车零部件", "汽车部件", "汽车配件", "汽车制造"],
        groups: &[("6-22", 40.0), ("6-18", 20.0), ("6-20", 8.0), ("6-31", 10.0), ("6-14", 5.0)],
    },
    Branch {
        weight: 12.0,
        words: &["电子科技", "电子", "集成电路", "通信设备", "信创科技"],
        groups: &[("6-25", 55.0), ("6-24", 10.0), ("6-26", 8.0), ("6-31", 10.0)],
    },
    Branch {
        weight: 9.0,
        words: &["化工", "石油化工", "精细化工", "石化设备"],
        groups: &[("6-11", 45.0), ("6-10", 20.0), ("6-14", 8.0), ("6-31", 12.0)],
    },
    Branch {
        weight: 8.0,
        words: &["生物医药", "制药", "医疗器械", "生物科技"],
        groups: &[("6-12", 50.0), ("6-11", 10.0), ("6-26", 5.0), ("6-31", 10.0)],
    },
    Branch {
        weight: 8.0,
        words: &["食品", "饮料", "粮油", "乳业"],
        groups: &[("6-02", 50.0), ("6-01", 20.0), ("6-31", 10.0)],
    },
    Branch {
        weight: 5.0, words: &["纺织", "服装", "服饰"], groups: &[("6-04", 35.0), ("6-05", 40.0), ("6-31", 5.0)]
    },
    Branch {
        weight: 9.0,
        words: &["金属制品", "钢铁", "钢管", "五金制品"],
        groups: &[("6-17", 35.0), ("6-19", 30.0), ("6-18", 15.0), ("6-31", 8.0)],
    },
    Branch {
        weight: 8.0,
        words: &["新能源科技", "电气设备", "电池", "光伏科技", "风电设备"],
        groups: &[("6-24", 45.0), ("6-28", 10.0), ("6-20", 8.0), ("6-18", 10.0), ("6-31", 10.0)],
    },
    Branch {
        weight: 4.0,
        words: &["航空科技", "航天科技", "船舶工程", "轨道交通装备"],
        groups: &[("6-23", 45.0), ("6-18", 20.0), ("6-20", 10.0), ("6-31", 8.0)],
    },
    Branch {
        weight: 6.0,
        words: &["新材料科技", "塑料制品", "建材", "玻璃制品"],
        groups: &[("6-14", 25.0), ("6-15", 25.0), ("6-13", 8.0), ("6-17", 10.0), ("6-11", 8.0)],
    },
    Branch {
        weight: 3.0, words: &["印刷", "包装", "纸业"], groups: &[("6-08", 40.0), ("6-07", 30.0), ("6-14", 10.0)]
    },
];

/// Engineers, clerks, sales and managers every manufacturer also employs.
const MANUFACTURING_COMMON: &[(&str, f64)] = &[("2-02", 9.0), ("3-01", 6.0), ("4-01", 2.0), ("4-02", 3.0), ("1", 1.0)];

/// Occupations of the self-employed (灵活就业): couriers, ride-hailing, small shops, catering,
/// household services, repairs, building trades.
const SELF_EMPLOYED_GROUPS: &[(&str, f64)] =
    &[("4-02", 30.0), ("4-01", 25.0), ("4-03", 15.0), ("4-10", 15.0), ("4-12", 10.0), ("6-29", 5.0)];

/// Staff of schools, training and evaluation institutions.
const EDUCATION_GROUPS: &[(&str, f64)] = &[("2-08", 50.0), ("4-13", 25.0), ("3-01", 15.0), ("1", 2.0)];

/// Occupations that dominate skill certification (the ones on every subsidy catalogue and
/// shortage list), weighted up within their group, with the share of men among them.
const COMMON_OCCUPATIONS: &[(&str, f64)] = &[
    ("电工", 0.92),
    ("焊工", 0.93),
    ("车工", 0.85),
    ("铣工", 0.85),
    ("磨工", 0.8),
    ("装配钳工", 0.85),
    ("工具钳工", 0.85),
    ("机修钳工", 0.88),
    ("机床装调维修工", 0.85),
    ("模具工", 0.85),
    ("汽车装调工", 0.8),
    ("汽车生产线操作工", 0.7),
    ("汽车维修工", 0.93),
    ("电子设备装接工", 0.45),
    ("化工总控工", 0.8),
    ("仪器仪表维修工", 0.8),
    ("起重装卸机械操作工", 0.92),
    ("中式烹调师", 0.75),
    ("中式面点师", 0.5),
    ("西式面点师", 0.45),
    ("餐厅服务员", 0.3),
    ("保安员", 0.88),
    ("保洁员", 0.3),
    ("快递员", 0.85),
    ("营销员", 0.45),
    ("商品营业员", 0.3),
    ("家政服务员", 0.08),
    ("保育师", 0.05),
    ("养老护理员", 0.15),
    ("美容师", 0.1),
    ("美发师", 0.45),
    ("电子商务师", 0.45),
    ("物流服务师", 0.65),
    ("计算机程序设计员", 0.7),
    ("网络与信息安全管理员", 0.75),
    ("人工智能训练师", 0.55),
    ("工业机器人系统操作员", 0.8),
    ("工业机器人系统运维员", 0.85),
    ("砌筑工", 0.95),
    ("钢筋工", 0.95),
    ("混凝土工", 0.93),
    ("架子工", 0.96),
    ("制冷空调系统安装维修工", 0.92),
    ("电梯安装维修工", 0.93),
    ("消防设施操作员", 0.7),
    ("企业人力资源管理师", 0.3),
    ("茶艺师", 0.2),
    ("健康管理师", 0.3),
    ("锅炉操作工", 0.85),
    ("药物制剂工", 0.45),
    ("化学合成制药工", 0.6),
    ("涂装工", 0.8),
    ("铸造工", 0.9),
    ("变配电运行值班员", 0.75),
    ("继电保护员", 0.8),
    ("仓储管理员", 0.6),
    ("客户服务管理员", 0.35),
];
/// How much more often a common occupation is held than another of its group.
const COMMON_BOOST: f64 = 12.0;

/// Sub-trades (工种) recorded on some certificates, by occupation name.
const TRADES: &[(&str, &str)] = &[("车工", "数控车工"), ("铣工", "数控铣工"), ("磨工", "数控磨工")];

/// Share of men by major category (index 1–8); index 0 = no occupation.
const MALE_BY_MAJOR: [f64; 9] = [0.50, 0.65, 0.48, 0.40, 0.42, 0.58, 0.60, 0.80, 0.50];

/// Highest education by major category (index 0 = none, 1–8), in [`Education::ALL`] order:
/// primary, junior sec., senior sec., sec. vocational, tech. school intermediate / advanced /
/// pre-technician class, higher vocational, bachelor, master, doctorate.
const EDUCATION_BY_MAJOR: [[f64; 11]; 9] = [
    [1.0, 22.0, 20.0, 17.0, 6.0, 3.0, 0.5, 22.0, 8.0, 0.5, 0.0],
    [0.0, 1.0, 4.0, 2.0, 0.0, 0.0, 0.0, 18.0, 55.0, 17.0, 3.0],
    [0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 22.0, 56.0, 17.0, 3.0],
    [0.0, 2.0, 10.0, 8.0, 1.0, 1.0, 0.0, 38.0, 36.0, 4.0, 0.0],
    [1.0, 22.0, 20.0, 17.0, 6.0, 3.0, 0.5, 22.0, 8.0, 0.5, 0.0],
    [8.0, 50.0, 18.0, 10.0, 3.0, 1.0, 0.0, 8.0, 2.0, 0.0, 0.0],
    [1.0, 26.0, 14.0, 18.0, 14.0, 7.0, 2.0, 14.0, 4.0, 0.0, 0.0],
    [0.0, 5.0, 30.0, 10.0, 5.0, 5.0, 0.0, 30.0, 15.0, 0.0, 0.0],
    [1.0, 22.0, 20.0, 17.0, 6.0, 3.0, 0.5, 22.0, 8.0, 0.5, 0.0],
];

/// What students are (highest education attained while studying for the next one).
const STUDENT_EDUCATION: [f64; 11] = [0.0, 0.0, 45.0, 15.0, 25.0, 10.0, 0.0, 5.0, 0.0, 0.0, 0.0];

/// Employment status mix: 82 % employed, 6 % self-employed (together the ≈ 88 % the policy
/// counts as employed), 4 % unemployed, 5 % retired, 3 % students.
const STATUSES: [(EmploymentStatus, f64); 5] = [
    (EmploymentStatus::Employed, 0.82),
    (EmploymentStatus::SelfEmployed, 0.06),
    (EmploymentStatus::Unemployed, 0.04),
    (EmploymentStatus::Retired, 0.05),
    (EmploymentStatus::Student, 0.03),
];

/// Shape of the ladder among the employed (index = rank): few apprentices; 初级工 : 中级工 ≈
/// 42 : 58 among the skilled below high-skilled; 高级工 72 %, 技师 20 %, 高级技师 8 % of the
/// high-skilled; 特级技师 and 首席技师 absolute and tiny (the whole country appointed about 6000,
/// RESEARCH §0.3).
const RANK_SHAPE: [f64; 9] = [0.0, 0.012, 0.42, 0.58, 0.72, 0.20, 0.0788, 0.0001, 0.00002];

/// Levels held by persons not counted as employed (index = rank): unemployed, retired (older,
/// more skilled), students (a few 初级工 from school).
const RANKS_UNEMPLOYED: [f64; 9] = [0.80, 0.0, 0.10, 0.07, 0.03, 0.0, 0.0, 0.0, 0.0];
const RANKS_RETIRED: [f64; 9] = [0.65, 0.0, 0.08, 0.12, 0.10, 0.04, 0.01, 0.0, 0.0];
const RANKS_STUDENT: [f64; 9] = [0.94, 0.0, 0.06, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];

/// Minimum whole years between obtaining rank `r − 1` and rank `r` (2018 template, RESEARCH
/// §2.1; 7 and 8 are assumptions), and the mean extra wait in days beyond the minimum.
const MIN_YEARS_TO: [i32; 9] = [0, 0, 1, 4, 5, 4, 4, 5, 3];
const MEAN_EXTRA_DAYS: [f64; 9] = [0.0, 0.0, 1100.0, 900.0, 1100.0, 1100.0, 1100.0, 1100.0, 700.0];
/// Minimum years from the work start to reaching each rank on the 初级工-first path.
const MIN_CAREER_YEARS: [i32; 9] = [0, 1, 1, 5, 10, 14, 18, 23, 26];

const SURNAMES: &[(&str, f64)] = &[
    ("王", 75.0),
    ("张", 72.0),
    ("李", 70.0),
    ("刘", 60.0),
    ("赵", 30.0),
    ("杨", 28.0),
    ("陈", 25.0),
    ("孙", 22.0),
    ("高", 20.0),
    ("马", 18.0),
    ("郭", 15.0),
    ("徐", 13.0),
    ("周", 13.0),
    ("吴", 11.0),
    ("胡", 10.0),
    ("朱", 10.0),
    ("韩", 10.0),
    ("于", 10.0),
    ("董", 9.0),
    ("何", 8.0),
    ("黄", 8.0),
    ("田", 8.0),
    ("宋", 8.0),
    ("郑", 7.0),
    ("梁", 7.0),
    ("曹", 7.0),
    ("冯", 7.0),
    ("崔", 7.0),
    ("许", 6.0),
    ("魏", 6.0),
    ("任", 6.0),
    ("姜", 6.0),
    ("贾", 6.0),
    ("程", 5.0),
    ("袁", 5.0),
    ("苏", 5.0),
    ("吕", 5.0),
    ("丁", 5.0),
    ("唐", 5.0),
    ("杜", 5.0),
    ("孟", 5.0),
    ("白", 5.0),
    ("石", 5.0),
    ("谢", 5.0),
    ("沈", 4.0),
    ("姚", 4.0),
    ("卢", 4.0),
    ("范", 4.0),
    ("付", 4.0),
    ("邢", 4.0),
    ("侯", 4.0),
    ("常", 4.0),
    ("武", 4.0),
    ("闫", 4.0),
    ("郝", 4.0),
    ("邓", 4.0),
    ("林", 4.0),
    ("金", 3.0),
    ("蔡", 3.0),
    ("彭", 3.0),
    ("潘", 3.0),
    ("戴", 3.0),
    ("夏", 3.0),
    ("方", 3.0),
    ("康", 3.0),
    ("尹", 3.0),
    ("薛", 3.0),
    ("牛", 3.0),
    ("秦", 3.0),
    ("史", 3.0),
    ("邵", 3.0),
    ("齐", 3.0),
    ("段", 3.0),
    ("岳", 2.0),
    ("钱", 2.0),
    ("陆", 2.0),
    ("毛", 2.0),
    ("庞", 2.0),
    ("温", 2.0),
    ("霍", 2.0),
    ("雷", 2.0),
    ("汪", 2.0),
    ("孔", 2.0),
    ("葛", 2.0),
    ("耿", 2.0),
    ("关", 2.0),
    ("焦", 2.0),
    ("穆", 1.0),
    ("阎", 1.0),
    ("殷", 1.0),
    ("欧阳", 0.3),
    ("司马", 0.1),
    ("上官", 0.1),
    ("诸葛", 0.1),
];
/// Characters of given names, by gender and by generation (born before 1980 or later).
const MALE_OLD: &str = "建国军伟强明华平刚勇志文林海斌东立新永峰杰涛磊超鹏辉亮宏振春成庆福德胜利兵波洪力";
const MALE_NEW: &str = "浩宇轩泽睿博子涵俊晨昊铭哲鑫然航阳凯瑞嘉翔豪奕宸毅辰天一诚";
const FEMALE_OLD: &str = "秀英桂兰淑珍玉凤芳霞丽红梅敏静燕娟艳萍华琴云莉洁玲慧颖娜琳雪";
const FEMALE_NEW: &str = "欣怡梓萱雨涵诗婷佳琪思悦可馨语彤若萌晨妍一雯瑶楠月心";
/// Characters of enterprise trade names (字号).
const BRAND: &str =
    "鑫华泰德恒瑞宏远兴海津达通盛金利康源博信安永昌联创丰汇嘉科力东天宇诚中新港益祥润福隆顺广北方凯耀晟弘";
const ENTERPRISE_SUFFIXES: &[(&str, f64)] =
    &[("有限公司", 75.0), ("有限责任公司", 12.0), ("股份有限公司", 6.0), ("集团有限公司", 3.0)];
const TECH_SCHOOL_WORDS: &[&str] = &[
    "机电工艺",
    "轻工",
    "交通",
    "电子信息",
    "城市建设",
    "冶金",
    "化工",
    "医药",
    "商贸",
    "现代制造",
    "汽车工程",
    "海河",
    "劳动经济",
    "公用",
    "铁路",
];
const VOCATIONAL_WORDS: &[&str] = &[
    "机电",
    "电子信息",
    "轻工",
    "现代",
    "交通",
    "城市",
    "石油",
    "海运",
    "医学",
    "渤海",
    "生物工程",
    "工业",
    "商务",
    "艺术",
];
const EVALUATION_TRADES: &[&str] = &["机械", "电子", "化工", "建筑", "交通", "商业", "餐饮", "医药", "电力", "纺织"];

// =============================================================================================
// The generator
// =============================================================================================

/// One generated person with their level history and employment spells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoPerson {
    pub person: NewPerson,
    pub levels: Vec<NewLevel>,
    pub employment: Vec<NewEmployment>,
}

/// What [`load`] wrote: records passed to the store (on a fresh database, rows inserted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DemoSummary {
    pub organisations: u64,
    pub persons: u64,
    pub levels: u64,
    pub employment: u64,
    pub statistics: u64,
    pub demand: u64,
}

struct DistrictInfo {
    code: String,
    /// 滨海 for 滨海新区: what enterprise names use.
    short: String,
    /// 滨海新区.
    full: String,
    /// Normalised share of the employed.
    share: f64,
    manufacturing_bias: f64,
    /// Index into `Tables::address_codes` of the current code.
    address: u16,
    /// Former codes (index, used for births before this year).
    former: Vec<(u16, i32)>,
    /// Employment statistics: factor of the registry count in the last year, and yearly
    /// growth before it.
    stat_factor: f64,
    stat_growth: f64,
}

#[derive(Debug, Clone, Copy)]
struct OrgInfo {
    kind: OrgKind,
    district: u16,
    /// Index into `Tables::industries` (codes the policy knows).
    industry: Option<u16>,
    /// Index into `Tables::profiles`.
    profile: u16,
    /// Ordinal among evaluation institutions (legacy certificate numbers), else 0.
    evaluator_ordinal: u16,
}

/// A medium category (中类) of the catalogue with its detail occupations.
struct Group {
    major: u8,
    details: Vec<u32>,
    pick: Weighted,
}

/// Which occupation groups an employer's staff hold: `all` for anyone, `skilled` tilted towards
/// the categories skill levels are certified in (4 and 6), `trades` only those.
struct Profile {
    groups: Vec<u32>,
    all: Weighted,
    skilled: Weighted,
    trades: Weighted,
}

/// An employment spell being built: organisation index, start and end as Julian days.
#[derive(Debug, Clone, Copy)]
struct Spell {
    org: u32,
    start: i32,
    end: Option<i32>,
}

/// Everything fixed once the city is built.
struct Tables {
    today: Date,
    today_jd: i32,
    jurisdiction: String,
    /// GB/T 2260 province prefix for certificate numbers.
    province: String,
    /// The certificate level code of each ladder rank (index = rank), from the policy's ladder.
    level_codes: [Option<u8>; 9],
    districts: Vec<DistrictInfo>,
    district_pick: Weighted,
    address_codes: Vec<String>,
    migrant_codes: Vec<u16>,
    migrant_pick: Weighted,
    industries: Vec<String>,
    orgs: Vec<NewOrganisation>,
    org_info: Vec<OrgInfo>,
    /// Enterprises per district, weighted by size.
    enterprises: Vec<(Vec<u32>, Weighted)>,
    all_enterprises: (Vec<u32>, Weighted),
    /// Schools, training centres and institutions per district.
    others: Vec<Vec<u32>>,
    evaluators: Vec<u32>,
    evaluator_pick: Weighted,
    occ_codes: Vec<String>,
    occ_group: Vec<u32>,
    occ_major: Vec<u8>,
    occ_male: Vec<f64>,
    occ_trade: Vec<&'static str>,
    groups: Vec<Group>,
    profiles: Vec<Profile>,
    self_employed_profile: u16,
    status_pick: Weighted,
    counted: [bool; 5],
    rank_counted: Weighted,
    rank_other: [Weighted; 5],
    /// Ages 18..=62 of the working population.
    age_pick: Weighted,
    education_by_major: Vec<Weighted>,
    student_education: Weighted,
    surname_pick: Weighted,
    male_old: Vec<char>,
    male_new: Vec<char>,
    female_old: Vec<char>,
    female_new: Vec<char>,
    /// Employed persons expected per person still to draw (for statistics drawn early).
    p_counted: f64,
    industry_factor: f64,
    industry_growth: f64,
}

/// Sequence codes (顺序码) handed out per address code, birth date and sex, so identity
/// numbers are unique within a run. Successive numbers are scattered over 001–999 by a
/// bijection, as real ones look.
struct IdSequences {
    first_jd: i32,
    days: usize,
    next: Vec<u16>,
}

impl IdSequences {
    fn take(&mut self, code: usize, jd: i32, male: bool) -> Option<u16> {
        let day = usize::try_from(jd - self.first_jd).ok().filter(|d| *d < self.days)?;
        let i = (code * self.days + day) * 2 + usize::from(male);
        let k = u64::from(self.next[i]);
        let cap: u64 = if male { 500 } else { 499 };
        if k >= cap {
            return None;
        }
        self.next[i] += 1;
        let off = (code as u64 * 7919 + day as u64 * 104_729) % cap;
        let n = (k * 197 + off) % cap;
        Some(if male { (2 * n + 1) as u16 } else { (2 * (n + 1)) as u16 })
    }
}

/// A deterministic synthetic city (see the module documentation).
pub struct DemoCity {
    t: Tables,
    rng: Rng,
    ids: IdSequences,
    serials: Serials,
    total: u64,
    generated: u64,
    employed_by_district: Vec<u64>,
    employed_by_industry: Vec<u64>,
    employed_with_industry: u64,
}

fn jd(d: Date) -> i32 {
    d.to_julian_day()
}

fn day(jd: i32) -> Date {
    Date::from_julian_day(jd).unwrap_or(Date::MIN)
}

fn years_later(jd_from: i32, years: i32) -> i32 {
    add_years(day(jd_from), years).to_julian_day()
}

/// Strips the administrative suffix: 滨海新区 → 滨海, 和平区 → 和平, 天津市 → 天津.
fn short_name(name: &str) -> String {
    for suffix in ["自治区", "新区", "区", "县", "市", "省"] {
        if let Some(s) = name.strip_suffix(suffix)
            && !s.is_empty()
        {
            return s.to_string();
        }
    }
    name.to_string()
}

/// Age at which each education is completed, in [`Education::ALL`] order (no work before 16).
fn completion_age(e: Education) -> i32 {
    match e {
        Education::Primary | Education::JuniorSecondary => 16,
        Education::SeniorSecondary | Education::SecondaryVocational | Education::TechSchoolIntermediate => 18,
        Education::TechSchoolAdvanced => 20,
        Education::TechSchoolPreTechnician | Education::HigherVocational => 21,
        Education::Bachelor => 22,
        Education::Master => 25,
        Education::Doctorate => 28,
    }
}

/// Whether the education lets its graduates apply for 中级工 straight away (2018 template:
/// technician-school graduates, evaluated vocational-school graduates).
fn school_path(e: Education) -> Option<f64> {
    match e {
        Education::TechSchoolIntermediate | Education::TechSchoolAdvanced | Education::TechSchoolPreTechnician => {
            Some(0.6)
        }
        Education::SecondaryVocational | Education::HigherVocational => Some(0.3),
        _ => None,
    }
}

/// Builds a credit code: authority and type, region, a 9-character organisation code derived
/// from `serial` by a bijection (unique per serial; `prefix` "MA"/"MJ" for post-2015 style
/// codes, none for the older all-digit style) with its GB 11714 check character, and the
/// GB 32100 check character.
fn make_uscc(authority: char, kind: char, region: &str, serial: u64, prefix: Option<&str>) -> String {
    let alphabet = uscc::ALPHABET.as_bytes();
    let mut org = String::with_capacity(9);
    match prefix {
        Some(p) => {
            org.push_str(p);
            let m = 31u64.pow(6);
            let mut n = (serial + 1).wrapping_mul(48_271) % m;
            let mut tail = [b'0'; 6];
            for slot in tail.iter_mut().rev() {
                *slot = alphabet[(n % 31) as usize];
                n /= 31;
            }
            org.extend(tail.iter().map(|b| *b as char));
        }
        None => {
            let n = (serial + 1).wrapping_mul(48_271_597) % 100_000_000;
            org.push_str(&format!("{n:08}"));
        }
    }
    const W: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = org
        .bytes()
        .zip(W)
        .map(|(c, w)| w * if c.is_ascii_digit() { u32::from(c - b'0') } else { u32::from(c - b'A') + 10 })
        .sum();
    org.push(match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        r => char::from(b'0' + r as u8),
    });
    let first17 = format!("{authority}{kind}{region}{org}");
    let check = uscc::check_char(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

impl Tables {
    fn build(policy: &Policy, catalogue: &Catalogue, persons: u64, rng: &mut Rng, today: Date) -> Tables {
        let jurisdiction = policy.meta.jurisdiction.clone();
        let province = jurisdiction.get(..2).filter(|p| is_province_prefix(p)).unwrap_or("12").to_string();
        // The jurisdiction's name (天津市), not the policy document's.
        let city_full = match policy.meta.jurisdiction_name_zh.trim() {
            "" => province_name(&province).map_or_else(|| policy.meta.name_zh.clone(), |m| m.zh),
            name => name.to_string(),
        };
        let city_short = short_name(&city_full);

        // --- districts and the address codes of identity numbers
        let mut address_codes: Vec<String> = Vec::new();
        let mut districts: Vec<DistrictInfo> = Vec::new();
        let policy_districts: Vec<(String, String)> = if policy.districts.is_empty() {
            vec![(jurisdiction.clone(), city_full.clone())]
        } else {
            policy.districts.iter().map(|d| (d.code.clone(), d.name_zh.clone())).collect()
        };
        for (code, name) in &policy_districts {
            let (share, bias) = DISTRICT_PROFILE
                .iter()
                .find(|(c, _, _)| c == code)
                .map(|(_, s, b)| (*s, *b))
                .unwrap_or((100.0 / policy_districts.len() as f64, 1.0));
            address_codes.push(code.clone());
            let address = (address_codes.len() - 1) as u16;
            let mut former = Vec::new();
            for f in policy.former_district_codes.iter().filter(|f| &f.current == code) {
                if f.code.len() == 6 && f.code.bytes().all(|b| b.is_ascii_digit()) {
                    let until = FORMER_CODE_UNTIL.iter().find(|(c, _)| *c == f.code).map_or(2000, |(_, y)| *y);
                    address_codes.push(f.code.clone());
                    former.push(((address_codes.len() - 1) as u16, until));
                }
            }
            districts.push(DistrictInfo {
                code: code.clone(),
                short: short_name(name),
                full: name.clone(),
                share,
                manufacturing_bias: bias,
                address,
                former,
                stat_factor: 0.97 + 0.08 * rng.unit(),
                stat_growth: 0.004 + 0.014 * rng.unit(),
            });
        }
        let total_share: f64 = districts.iter().map(|d| d.share).sum();
        for d in &mut districts {
            d.share /= total_share;
        }
        let district_pick = Weighted::new(districts.iter().map(|d| d.share));
        let home_province = &jurisdiction[..jurisdiction.len().min(2)];
        let mut migrant_codes = Vec::new();
        let mut migrant_weights = Vec::new();
        for (code, w) in MIGRANT_REGIONS.iter().filter(|(c, _)| !c.starts_with(home_province)) {
            address_codes.push((*code).to_string());
            migrant_codes.push((address_codes.len() - 1) as u16);
            migrant_weights.push(*w);
        }
        let migrant_pick = Weighted::new(migrant_weights);

        // --- occupations: groups of detail occupations, weighted
        let mut occ_codes = Vec::new();
        let mut occ_group = Vec::new();
        let mut occ_major = Vec::new();
        let mut occ_male = Vec::new();
        let mut occ_trade = Vec::new();
        let mut group_codes: Vec<String> = Vec::new();
        let mut group_details: Vec<(u8, Vec<u32>, Vec<f64>)> = Vec::new();
        for o in catalogue.details() {
            let code = o.code.as_str();
            let major = o.code.major();
            let medium = o.code.at_depth(2).map(|c| c.as_str().to_string()).unwrap_or_else(|| major.to_string());
            let g = match group_codes.last() {
                Some(last) if *last == medium => group_codes.len() - 1,
                _ => match group_codes.iter().position(|c| *c == medium) {
                    Some(i) => i,
                    None => {
                        group_codes.push(medium);
                        group_details.push((major, Vec::new(), Vec::new()));
                        group_codes.len() - 1
                    }
                },
            };
            let common = COMMON_OCCUPATIONS.iter().find(|(n, _)| *n == o.name);
            let weight = if common.is_some() {
                COMMON_BOOST
            } else if o.code.is_other() {
                0.2
            } else {
                1.0
            };
            let i = occ_codes.len() as u32;
            occ_codes.push(code.to_string());
            occ_group.push(g as u32);
            occ_major.push(major);
            occ_male.push(common.map_or(MALE_BY_MAJOR[usize::from(major.min(8))], |(_, m)| *m));
            occ_trade.push(TRADES.iter().find(|(n, _)| *n == o.name).map_or("", |(_, t)| *t));
            group_details[g].1.push(i);
            group_details[g].2.push(weight);
        }
        let groups: Vec<Group> = group_details
            .into_iter()
            .map(|(major, details, weights)| Group { major, details, pick: Weighted::new(weights) })
            .collect();
        let certified = |major: u8| major == 4 || major == 6;
        let make_profile = |spec: &[(&str, f64)]| -> Profile {
            let mut entries: Vec<(u32, f64)> = Vec::new();
            for (prefix, w) in spec {
                let matching: Vec<usize> = group_codes
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| *c == prefix || (!prefix.contains('-') && c.split('-').next() == Some(prefix)))
                    .map(|(i, _)| i)
                    .collect();
                for i in &matching {
                    entries.push((*i as u32, w / matching.len() as f64));
                }
            }
            if entries.is_empty() {
                // A catalogue without these groups: every group, by its number of occupations.
                entries = groups.iter().enumerate().map(|(i, g)| (i as u32, g.details.len() as f64)).collect();
            }
            let major = |i: u32| groups[i as usize].major;
            let mut trade_w: Vec<f64> =
                entries.iter().map(|(i, w)| if certified(major(*i)) { *w } else { 0.0 }).collect();
            let mut all_w: Vec<f64> = entries.iter().map(|(_, w)| *w).collect();
            let mut skilled_w: Vec<f64> =
                entries.iter().map(|(i, w)| if certified(major(*i)) { *w } else { *w * 0.08 }).collect();
            let mut ids: Vec<u32> = entries.iter().map(|(i, _)| *i).collect();
            if trade_w.iter().all(|w| *w <= 0.0) {
                // No production or service trades here: skill levels borrow every such group.
                for (i, g) in groups.iter().enumerate().filter(|(_, g)| certified(g.major)) {
                    ids.push(i as u32);
                    all_w.push(0.0);
                    skilled_w.push(0.0);
                    trade_w.push((g.details.len() as f64).sqrt());
                }
            }
            Profile {
                groups: ids,
                all: Weighted::new(all_w),
                skilled: Weighted::new(skilled_w),
                trades: Weighted::new(trade_w),
            }
        };

        // --- industries the policy knows, with a profile each (manufacturing: one per branch)
        let industries: Vec<String> = policy.industries.iter().map(|i| i.code.clone()).collect();
        let mut profiles: Vec<Profile> = Vec::new();
        // (index into INDUSTRIES, index into industries, first profile, profiles)
        let mut known: Vec<(usize, u16, u16)> = Vec::new();
        for (k, ind) in INDUSTRIES.iter().enumerate() {
            let Some(pos) = industries.iter().position(|c| c == ind.code) else { continue };
            let first = profiles.len() as u16;
            if ind.code == "C" {
                for b in BRANCHES {
                    let spec: Vec<(&str, f64)> = b.groups.iter().chain(MANUFACTURING_COMMON).copied().collect();
                    profiles.push(make_profile(&spec));
                }
            } else {
                profiles.push(make_profile(ind.groups));
            }
            known.push((k, pos as u16, first));
        }
        let education_profile = profiles.len() as u16;
        profiles.push(make_profile(EDUCATION_GROUPS));
        let self_employed_profile = profiles.len() as u16;
        profiles.push(make_profile(SELF_EMPLOYED_GROUPS));
        let fallback_profile = profiles.len() as u16;
        profiles.push(make_profile(&[("4", 1.0), ("6", 1.0)]));
        let education_industry = industries.iter().position(|c| c == "P").map(|p| p as u16);

        // --- organisations
        let n_orgs = (persons / PERSONS_PER_ORG).max(MIN_ORGS);
        let counts = [
            (OrgKind::PublicTrainingCentre, (n_orgs / 2000).clamp(1, 20)),
            (OrgKind::TechnicianSchool, (n_orgs / 500).clamp(2, 40)),
            (OrgKind::VocationalSchool, (n_orgs / 500).clamp(2, 50)),
            (OrgKind::TrainingInstitution, (n_orgs / 80).clamp(3, 3000)),
            (OrgKind::EvaluationInstitution, (n_orgs / 150).clamp(3, 400)),
        ];
        let n_other: u64 = counts.iter().map(|(_, n)| n).sum();
        let n_enterprises = n_orgs.saturating_sub(n_other).max(districts.len() as u64);

        let brand: Vec<char> = BRAND.chars().collect();
        let suffix_pick = Weighted::new(ENTERPRISE_SUFFIXES.iter().map(|(_, w)| *w));
        let mut names: HashSet<String> = HashSet::new();
        let mut orgs: Vec<NewOrganisation> = Vec::new();
        let mut org_info: Vec<OrgInfo> = Vec::new();
        let mut size: Vec<f64> = Vec::new();
        let mut evaluators: Vec<u32> = Vec::new();
        let find_district = |code: &str| districts.iter().position(|d| d.code == code);
        let brand_name = |rng: &mut Rng| -> String {
            let a = *rng.pick(&brand);
            let mut b = *rng.pick(&brand);
            if a == b {
                b = *rng.pick(&brand);
            }
            format!("{a}{b}")
        };

        for (kind, n) in counts {
            for k in 0..n {
                let d = match kind {
                    OrgKind::PublicTrainingCentre if k == 0 => find_district("120112").unwrap_or(0),
                    OrgKind::PublicTrainingCentre if k == 1 => {
                        find_district("120116").unwrap_or_else(|| district_pick.pick(rng))
                    }
                    _ => district_pick.pick(rng),
                };
                let dist = &districts[d];
                let mut name = String::new();
                for attempt in 0..40 {
                    name = match kind {
                        OrgKind::PublicTrainingCentre if k == 0 && attempt == 0 => {
                            format!("{city_full}职业技能公共实训中心")
                        }
                        OrgKind::PublicTrainingCentre => match rng.below(2) {
                            0 => format!("{city_full}{}公共实训基地", dist.full),
                            _ => format!("{city_short}{}先进制造业公共实训中心", dist.short),
                        },
                        OrgKind::TechnicianSchool => match rng.below(3) {
                            0 => format!("{city_full}{}技师学院", rng.pick(TECH_SCHOOL_WORDS)),
                            1 => format!("{city_full}{}高级技工学校", rng.pick(TECH_SCHOOL_WORDS)),
                            _ => format!("{city_full}{}技工学校", dist.full),
                        },
                        OrgKind::VocationalSchool => match rng.below(3) {
                            0 => format!("{city_short}{}职业技术学院", rng.pick(VOCATIONAL_WORDS)),
                            1 => format!("{city_full}{}职业中等专业学校", dist.full),
                            _ => format!("{city_full}{}中等专业学校", rng.pick(VOCATIONAL_WORDS)),
                        },
                        OrgKind::TrainingInstitution => match rng.below(2) {
                            0 => format!("{city_full}{}{}职业培训学校", dist.full, brand_name(rng)),
                            _ => format!("{city_short}{}职业技能培训中心", brand_name(rng)),
                        },
                        _ => match rng.below(3) {
                            0 => format!("{city_short}{}职业技能评价中心", brand_name(rng)),
                            1 => format!("{city_short}{}职业技能等级认定中心", brand_name(rng)),
                            _ => format!(
                                "{city_full}{}行业职业技能鉴定{}站",
                                rng.pick(EVALUATION_TRADES),
                                brand_name(rng)
                            ),
                        },
                    };
                    if attempt >= 30 {
                        name = format!("{name}（{}）", attempt - 29);
                    }
                    if !names.contains(&name) {
                        break;
                    }
                }
                names.insert(name.clone());
                let serial = orgs.len() as u64;
                let public = match kind {
                    OrgKind::PublicTrainingCentre => true,
                    OrgKind::TechnicianSchool => rng.chance(0.8),
                    OrgKind::VocationalSchool => rng.chance(0.85),
                    _ => false,
                };
                let uscc = if public {
                    make_uscc('1', '2', &dist.code, serial, None)
                } else {
                    make_uscc('5', '2', &dist.code, serial, Some("MJ"))
                };
                let ordinal = if kind == OrgKind::EvaluationInstitution {
                    evaluators.push(orgs.len() as u32);
                    (evaluators.len() - 1) as u16
                } else {
                    0
                };
                orgs.push(NewOrganisation {
                    uscc,
                    name,
                    kind,
                    district_code: dist.code.clone(),
                    industry: education_industry.map(|i| industries[usize::from(i)].clone()),
                    chains: None,
                });
                org_info.push(OrgInfo {
                    kind,
                    district: d as u16,
                    industry: education_industry,
                    profile: education_profile,
                    evaluator_ordinal: ordinal,
                });
                size.push(1.0 + 3.0 * rng.unit());
            }
        }

        // Enterprises: the first one in each district, so every district has an employer.
        let industry_pick: Vec<Weighted> = districts
            .iter()
            .map(|d| {
                Weighted::new(known.iter().map(|(k, _, _)| {
                    let p = &INDUSTRIES[*k];
                    match p.code {
                        "C" => p.weight * d.manufacturing_bias,
                        "A" | "B" | "D" | "E" => p.weight * d.manufacturing_bias.sqrt(),
                        _ => p.weight / d.manufacturing_bias.sqrt(),
                    }
                }))
            })
            .collect();
        let branch_pick = Weighted::new(BRANCHES.iter().map(|b| b.weight));
        // Chain enterprises, without drawing from the generator (the rest of the city stays as it
        // was): two manufacturers in three belong to a chain of the 新兴/优势 groups, every IT firm
        // to a 引领 one, chosen by serial number; every seventh manufacturer to a second chain.
        let chains_in = |groups: &[&str]| -> Vec<String> {
            policy
                .industrial_chains
                .iter()
                .filter(|c| c.group.as_deref().is_some_and(|g| groups.contains(&g)))
                .map(|c| c.id.clone())
                .collect()
        };
        let (leading_chains, manufacturing_chains) = (chains_in(&["1"]), chains_in(&["3", "4"]));
        let chains_for = |industry: Option<&str>, serial: usize| -> Option<Vec<String>> {
            let pick = |list: &[String], k: usize| list.get(k % list.len().max(1)).cloned();
            let mut v: Vec<String> = match industry {
                Some("C") if serial % 3 != 2 => pick(&manufacturing_chains, serial / 3).into_iter().collect(),
                Some("I") => pick(&leading_chains, serial).into_iter().collect(),
                _ => Vec::new(),
            };
            if industry == Some("C") && serial.is_multiple_of(7) {
                v.extend(pick(&manufacturing_chains, serial / 7 + 1));
            }
            v.sort();
            v.dedup();
            (!v.is_empty()).then_some(v)
        };
        for e in 0..n_enterprises {
            let d = if (e as usize) < districts.len() { e as usize } else { district_pick.pick(rng) };
            let dist = &districts[d];
            let (industry, profile, words): (Option<u16>, u16, &[&str]) = if industry_pick[d].is_empty() {
                (None, fallback_profile, &["实业", "科技", "商贸"])
            } else {
                let (k, pos, first) = known[industry_pick[d].pick(rng)];
                let p = &INDUSTRIES[k];
                if p.code == "C" {
                    let b = branch_pick.pick(rng);
                    (Some(pos), first + b as u16, BRANCHES[b].words)
                } else {
                    (Some(pos), first, p.words)
                }
            };
            let mut name = String::new();
            for attempt in 0..40 {
                let word = *rng.pick(words);
                let suffix = ENTERPRISE_SUFFIXES[suffix_pick.pick(rng)].0;
                let mut trade_name = brand_name(rng);
                if attempt >= 20 {
                    trade_name.push(*rng.pick(&brand));
                }
                name = match rng.below(20) {
                    0..=8 => format!("{city_short}{}{trade_name}{word}{suffix}", dist.short),
                    9..=16 => format!("{city_full}{trade_name}{word}{suffix}"),
                    _ => format!("{city_short}{trade_name}{word}{suffix}"),
                };
                if attempt >= 38 {
                    name = format!("{name}（{}）", orgs.len());
                }
                if !names.contains(&name) {
                    break;
                }
            }
            names.insert(name.clone());
            let serial = orgs.len() as u64;
            let prefix = if rng.chance(0.65) { Some("MA") } else { None };
            let industry_code = industry.map(|i| industries[usize::from(i)].clone());
            orgs.push(NewOrganisation {
                uscc: make_uscc('9', '1', &dist.code, serial, prefix),
                name,
                kind: OrgKind::Enterprise,
                district_code: dist.code.clone(),
                chains: chains_for(industry_code.as_deref(), serial as usize),
                industry: industry_code,
            });
            org_info.push(OrgInfo {
                kind: OrgKind::Enterprise,
                district: d as u16,
                industry,
                profile,
                evaluator_ordinal: 0,
            });
            // Pareto (α = 1.2) staff sizes, capped: a few large employers, many small ones.
            size.push((1.0 - rng.unit()).powf(-1.0 / 1.2).min(2000.0));
        }
        let mut enterprises: Vec<(Vec<u32>, Vec<f64>)> = vec![(Vec::new(), Vec::new()); districts.len()];
        let mut others: Vec<Vec<u32>> = vec![Vec::new(); districts.len()];
        let mut all_enterprises: (Vec<u32>, Vec<f64>) = (Vec::new(), Vec::new());
        for (i, info) in org_info.iter().enumerate() {
            if info.kind == OrgKind::Enterprise {
                enterprises[usize::from(info.district)].0.push(i as u32);
                enterprises[usize::from(info.district)].1.push(size[i]);
                all_enterprises.0.push(i as u32);
                all_enterprises.1.push(size[i]);
            } else {
                others[usize::from(info.district)].push(i as u32);
            }
        }
        let evaluator_pick = Weighted::new(evaluators.iter().map(|i| size[*i as usize]));

        // --- status, ladder and age distributions
        let status_pick = Weighted::new(STATUSES.iter().map(|(_, p)| *p));
        let mut counted = [false; 5];
        for (i, (s, _)) in STATUSES.iter().enumerate() {
            counted[i] = policy.kpi.employed_statuses.contains(s);
        }
        let p_counted: f64 = STATUSES.iter().zip(counted).filter(|(_, c)| *c).map(|((_, p), _)| *p).sum();
        let mut level_codes = [None; 9];
        for level in Level::all() {
            level_codes[usize::from(level.rank())] = policy.ladder.certificate_level_code(level);
        }
        let skilled_from = policy.ladder.skilled_from().rank();
        let high_from = policy.ladder.high_skilled_from().rank().max(skilled_from);
        let rank_counted = Weighted::new(calibrated_ranks(skilled_from, high_from));
        let rank_other = [
            rank_counted.clone(),
            rank_counted.clone(),
            Weighted::new(RANKS_UNEMPLOYED),
            Weighted::new(RANKS_RETIRED),
            Weighted::new(RANKS_STUDENT),
        ];
        // Employed population by age (per year of age): few at 18–19, peak 30–45.
        let age_pick = Weighted::new((18..=62).map(|a| match a {
            18..=19 => 0.6,
            20..=24 => 1.6,
            25..=29 => 2.4,
            30..=34 => 2.8,
            35..=39 => 2.7,
            40..=44 => 2.4,
            45..=49 => 2.3,
            50..=54 => 2.0,
            55..=59 => 1.2,
            _ => 0.5,
        }));
        let education_by_major = EDUCATION_BY_MAJOR.iter().map(|w| Weighted::new(*w)).collect();

        let today_jd = jd(today);
        Tables {
            today,
            today_jd,
            jurisdiction,
            province,
            level_codes,
            districts,
            district_pick,
            address_codes,
            migrant_codes,
            migrant_pick,
            industries,
            orgs,
            org_info,
            enterprises: enterprises.into_iter().map(|(ids, w)| (ids, Weighted::new(w))).collect(),
            all_enterprises: (all_enterprises.0, Weighted::new(all_enterprises.1)),
            others,
            evaluators,
            evaluator_pick,
            occ_codes,
            occ_group,
            occ_major,
            occ_male,
            occ_trade,
            groups,
            profiles,
            self_employed_profile,
            status_pick,
            counted,
            rank_counted,
            rank_other,
            age_pick,
            education_by_major,
            student_education: Weighted::new(STUDENT_EDUCATION),
            surname_pick: Weighted::new(SURNAMES.iter().map(|(_, w)| *w)),
            male_old: MALE_OLD.chars().collect(),
            male_new: MALE_NEW.chars().collect(),
            female_old: FEMALE_OLD.chars().collect(),
            female_new: FEMALE_NEW.chars().collect(),
            p_counted,
            industry_factor: 0.97 + 0.08 * rng.unit(),
            industry_growth: 0.004 + 0.014 * rng.unit(),
        }
    }

    fn pick_occupation(&self, profile: u16, skilled: bool, rng: &mut Rng) -> u32 {
        let p = &self.profiles[usize::from(profile)];
        let w = if skilled && !p.skilled.is_empty() { &p.skilled } else { &p.all };
        let w = if w.is_empty() { &p.trades } else { w };
        let g = &self.groups[p.groups[w.pick(rng)] as usize];
        g.details[g.pick.pick(rng)]
    }

    /// An occupation of production or service trades for a skill level.
    fn pick_trade(&self, profile: u16, rng: &mut Rng) -> Option<u32> {
        let p = &self.profiles[usize::from(profile)];
        if p.trades.is_empty() {
            return None;
        }
        let g = &self.groups[p.groups[p.trades.pick(rng)] as usize];
        Some(g.details[g.pick.pick(rng)])
    }

    /// Another occupation of the same group, if it has another.
    fn sibling(&self, occ: u32, rng: &mut Rng) -> Option<u32> {
        let g = &self.groups[self.occ_group[occ as usize] as usize];
        if g.details.len() < 2 {
            return None;
        }
        for _ in 0..4 {
            let o = g.details[g.pick.pick(rng)];
            if o != occ {
                return Some(o);
            }
        }
        None
    }

    fn pick_employer(&self, district: usize, enterprise_only: bool, rng: &mut Rng) -> u32 {
        let others = &self.others[district];
        if !enterprise_only && !others.is_empty() && rng.chance(0.03) {
            return *rng.pick(others);
        }
        let (ids, w) = &self.enterprises[district];
        if ids.is_empty() {
            let (ids, w) = &self.all_enterprises;
            return ids[w.pick(rng)];
        }
        ids[w.pick(rng)]
    }

    fn person_name(&self, male: bool, born: i32, rng: &mut Rng) -> String {
        let mut name = String::with_capacity(12);
        name.push_str(SURNAMES[self.surname_pick.pick(rng)].0);
        let old = born < 1980;
        let chars = match (male, old ^ rng.chance(0.25)) {
            (true, true) => &self.male_old,
            (true, false) => &self.male_new,
            (false, true) => &self.female_old,
            (false, false) => &self.female_new,
        };
        name.push(*rng.pick(chars));
        if rng.chance(0.75) {
            name.push(*rng.pick(chars));
        }
        name
    }
}

/// Rank probabilities (index 0 = no level) for persons the policy counts as employed: the
/// [`RANK_SHAPE`] scaled so that ranks ≥ `skilled_from` hold [`SKILLED_SHARE`] and ranks ≥
/// `high_from` hold [`HIGH_SKILLED_OF_SKILLED`] of those.
fn calibrated_ranks(skilled_from: u8, high_from: u8) -> [f64; 9] {
    let mut p = [0.0; 9];
    let high = SKILLED_SHARE * HIGH_SKILLED_OF_SKILLED;
    let fixed_top: f64 = (7..=8).filter(|r| *r >= high_from).map(|r| RANK_SHAPE[r as usize]).sum();
    let band = |from: u8, to: u8| (from..to).map(|r| RANK_SHAPE[usize::from(r)]).sum::<f64>();
    let low_shape = band(skilled_from, high_from);
    let high_shape = band(high_from, 7.max(high_from));
    for r in 1..=8u8 {
        let i = usize::from(r);
        p[i] = if r < skilled_from {
            RANK_SHAPE[1]
        } else if r < high_from {
            if low_shape > 0.0 { RANK_SHAPE[i] / low_shape * (SKILLED_SHARE - high) } else { 0.0 }
        } else if r >= 7 {
            RANK_SHAPE[i]
        } else if high_shape > 0.0 {
            RANK_SHAPE[i] / high_shape * (high - fixed_top)
        } else {
            0.0
        };
    }
    p[0] = (1.0 - p.iter().sum::<f64>()).max(0.0);
    p
}

impl DemoCity {
    /// Builds the city's organisations and tables; persons are drawn afterwards.
    pub fn new(policy: &Policy, catalogue: &Catalogue, persons: u64, seed: u64, today: Date) -> DemoCity {
        let mut rng = Rng::new(seed);
        let t = Tables::build(policy, catalogue, persons, &mut rng, today);
        // Birth dates of ages 18–62 (with a margin) for every address code.
        let first_jd = jd(add_years(today, -64));
        let days = (jd(today) - first_jd + 1) as usize;
        let ids = IdSequences { first_jd, days, next: vec![0; t.address_codes.len() * days * 2] };
        let n_orgs = t.orgs.len();
        let n_districts = t.districts.len();
        let n_industries = t.industries.len();
        DemoCity {
            t,
            rng,
            ids,
            serials: Serials { national: vec![0; n_orgs], legacy: vec![0; n_orgs] },
            total: persons,
            generated: 0,
            employed_by_district: vec![0; n_districts],
            employed_by_industry: vec![0; n_industries],
            employed_with_industry: 0,
        }
    }

    pub fn organisations(&self) -> &[NewOrganisation] {
        &self.t.orgs
    }

    pub fn persons_total(&self) -> u64 {
        self.total
    }

    /// Persons not drawn yet.
    pub fn remaining(&self) -> u64 {
        self.total - self.generated
    }

    /// The next `n` persons (fewer at the end; empty when all are drawn). The sequence of
    /// persons does not depend on how it is cut into chunks.
    pub fn persons_chunk(&mut self, n: usize) -> Vec<DemoPerson> {
        let n = (n as u64).min(self.remaining()) as usize;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(self.next_person());
            self.generated += 1;
        }
        out
    }

    /// Official employed-persons figures per district and year, 2021 to last year, with a city
    /// total and city-wide figures per industry. They follow the employed persons drawn so far
    /// (and the expected number among those still to draw): call it after the last chunk.
    pub fn statistics(&self) -> Vec<NewStatistic> {
        let t = &self.t;
        let remaining = self.remaining() as f64;
        let last = t.today.year() - 1;
        let first = 2021.min(last);
        let mut out = Vec::new();
        let registry: Vec<f64> = t
            .districts
            .iter()
            .zip(&self.employed_by_district)
            .map(|(d, n)| *n as f64 + remaining * t.p_counted * d.share)
            .collect();
        for year in first..=last {
            let back = f64::from(last - year);
            let mut city = 0i64;
            for (d, n) in t.districts.iter().zip(&registry) {
                let v = (n * d.stat_factor * (1.0 - d.stat_growth * back)).round() as i64;
                city += v;
                out.push(NewStatistic {
                    year,
                    district_code: d.code.clone(),
                    industry: String::new(),
                    chain: String::new(),
                    employed_persons: v,
                });
            }
            if t.jurisdiction != t.districts.first().map(|d| d.code.as_str()).unwrap_or_default() {
                out.push(NewStatistic {
                    year,
                    district_code: t.jurisdiction.clone(),
                    industry: String::new(),
                    chain: String::new(),
                    employed_persons: city,
                });
            }
            if self.employed_with_industry > 0 {
                // Scale the drawn persons' industries up to the expected total.
                let drawn = self.generated as f64;
                let scale = if drawn > 0.0 { (drawn + remaining) / drawn } else { 1.0 };
                for (code, n) in t.industries.iter().zip(&self.employed_by_industry) {
                    if *n == 0 {
                        continue;
                    }
                    let v = (*n as f64 * scale * t.industry_factor * (1.0 - t.industry_growth * back)).round() as i64;
                    out.push(NewStatistic {
                        year,
                        district_code: t.jurisdiction.clone(),
                        industry: code.clone(),
                        chain: String::new(),
                        employed_persons: v,
                    });
                }
            }
        }
        out
    }

    fn next_person(&mut self) -> DemoPerson {
        let t = &self.t;
        let rng = &mut self.rng;
        let today_jd = t.today_jd;

        // Status and the highest rank to reach.
        let si = t.status_pick.pick(rng);
        let mut status = STATUSES[si].0;
        let counted = t.counted[si];
        let rank = if counted { t.rank_counted.pick(rng) } else { t.rank_other[si].pick(rng) } as u8;
        if status == EmploymentStatus::SelfEmployed && (rank == 1 || rank >= 7) {
            // Apprentices and appointed technicians work for an enterprise.
            status = EmploymentStatus::Employed;
        }
        let counted = counted || (status == EmploymentStatus::Employed && t.counted[0]);

        // Where, for whom, as what.
        let d = t.district_pick.pick(rng);
        let employer = match status {
            EmploymentStatus::Employed | EmploymentStatus::Unemployed | EmploymentStatus::Retired => {
                Some(t.pick_employer(d, rank == 1 || rank >= 7, rng))
            }
            _ => None,
        };
        let profile = match (status, employer) {
            (EmploymentStatus::SelfEmployed, _) => Some(t.self_employed_profile),
            (_, Some(e)) => Some(t.org_info[e as usize].profile),
            _ => None,
        };
        let occ = profile.map(|p| t.pick_occupation(p, rank >= 2, rng));
        let major = occ.map_or(0, |o| t.occ_major[o as usize]);
        let male = rng.chance(occ.map_or(MALE_BY_MAJOR[0], |o| t.occ_male[o as usize]));

        // Education, then an age that leaves time for the career.
        let mut education = if status == EmploymentStatus::Student {
            Education::ALL[t.student_education.pick(rng)]
        } else {
            Education::ALL[t.education_by_major[usize::from(major.min(8))].pick(rng)]
        };
        if rank == 1 && education > Education::HigherVocational {
            education = Education::HigherVocational;
        }
        let completion = completion_age(education);
        let career_min = completion + MIN_CAREER_YEARS[usize::from(rank)] + 1;
        let mut retire_age = 0;
        let age = match status {
            EmploymentStatus::Student => rng.between(18, 24),
            EmploymentStatus::Retired => {
                retire_age = if male {
                    if rng.chance(0.75) { 60 } else { 55 }
                } else if rng.chance(0.7) {
                    50
                } else {
                    55
                };
                retire_age = retire_age.max(career_min).min(62);
                rng.between(retire_age, 62)
            }
            _ if rank == 1 => rng.between((completion + 1).max(18), 28.max(completion + 1)),
            EmploymentStatus::Unemployed => {
                18 + t.age_pick.pick_from(rng, (career_min + 2 - 18).max(0) as usize) as i32
            }
            _ => 18 + t.age_pick.pick_from(rng, (career_min - 18).max(0) as usize) as i32,
        };
        if age >= 50 && education >= Education::HigherVocational && rank != 1 && rng.chance(0.45) {
            // Fewer graduates among the older cohorts.
            education = if rng.chance(0.5) { Education::SeniorSecondary } else { Education::SecondaryVocational };
        }
        let completion = completion_age(education);

        // Birth date with exactly `age` years today, and a unique identity number.
        let lo = jd(add_years(t.today, -(age + 1))) + 1;
        let hi = jd(add_years(t.today, -age));
        let mut birth = rng.between(lo, hi);
        let migrant = rng.chance(MIGRANT_SHARE) && !t.migrant_codes.is_empty();
        let mut address = if migrant {
            t.migrant_codes[t.migrant_pick.pick(rng)]
        } else {
            let home = if rng.chance(0.75) { d } else { t.district_pick.pick(rng) };
            let dist = &t.districts[home];
            let born_year = day(birth).year();
            let former: Vec<u16> =
                dist.former.iter().filter(|(_, until)| born_year < *until).map(|(c, _)| *c).collect();
            if former.is_empty() { dist.address } else { *rng.pick(&former) }
        };
        let mut seq = self.ids.take(usize::from(address), birth, male);
        let mut shift = 0;
        while seq.is_none() {
            // Every sequence code of that day is taken: the day before (or a home district).
            shift += 1;
            let candidate = birth - 1;
            if candidate > jd(add_years(t.today, -63)) && shift < 366 {
                birth = candidate;
            } else {
                address = ((usize::from(address) + 1) % t.address_codes.len()) as u16;
            }
            seq = self.ids.take(usize::from(address), birth, male);
        }
        let birth_date = day(birth);
        let mut body = String::with_capacity(18);
        body.push_str(&t.address_codes[usize::from(address)]);
        body.push_str(&format!(
            "{:04}{:02}{:02}{:03}",
            birth_date.year(),
            u8::from(birth_date.month()),
            birth_date.day(),
            seq.unwrap_or(1)
        ));
        let check = id_number::check_char(&body).unwrap_or('0');
        body.push(check);
        let id_number = body;
        let name = t.person_name(male, birth_date.year(), rng);

        // Working life: start after school, end today (or at retirement / job loss).
        let grad = years_later(birth, completion);
        let career_end = match status {
            EmploymentStatus::Unemployed => today_jd - rng.between(30, 730),
            EmploymentStatus::Retired => years_later(birth, retire_age).min(today_jd),
            _ => today_jd,
        };
        let need = MIN_CAREER_YEARS[usize::from(rank)] * 366 + 10;
        let work_start = if status == EmploymentStatus::Student {
            None
        } else if rank == 1 {
            let recent = today_jd - rng.between(120, 3 * 365);
            Some(grad.max(recent).max(jd(Date::from_calendar_date(2021, Month::January, 1).unwrap_or(t.today))))
                .map(|w| w.min(today_jd - 100))
        } else {
            let room = (career_end - need - grad).max(0);
            Some(grad + rng.between(0, room.min(548)))
        };

        // Employment spells.
        let mut spells: Vec<Spell> = Vec::new();
        if let Some(ws) = work_start {
            let end_of_last = career_end;
            let years = (end_of_last - ws) / 365;
            let mut k = if years < 2 || rank == 1 || rank >= 7 {
                1
            } else {
                match rng.below(20) {
                    0..=8 => 1,
                    9..=15 => 2,
                    _ => 3,
                }
            };
            if status == EmploymentStatus::SelfEmployed {
                // Some worked for an employer before going their own way.
                if rng.chance(0.45) && end_of_last - ws > 400 {
                    let e = t.pick_employer(t.district_pick.pick(rng), false, rng);
                    let end = rng.between(ws + 180, end_of_last - 200);
                    spells.push(Spell { org: e, start: ws, end: Some(end) });
                }
            } else if let Some(current) = employer {
                let (lo, hi) = (ws + 180, end_of_last - 90);
                if hi - lo < 365 {
                    k = 1;
                }
                let mut starts = vec![ws];
                let mut cuts: Vec<i32> = (1..k).map(|_| rng.between(lo, hi)).collect();
                cuts.sort_unstable();
                for c in cuts {
                    if starts.last().is_some_and(|s| c >= s + 120) {
                        starts.push(c);
                    }
                }
                k = starts.len();
                let mut prev_org = current;
                let mut orgs: Vec<u32> = Vec::with_capacity(k);
                for _ in 1..k {
                    let home = if rng.chance(0.7) { d } else { t.district_pick.pick(rng) };
                    let mut e = t.pick_employer(home, false, rng);
                    if e == prev_org {
                        e = t.pick_employer(home, false, rng);
                    }
                    prev_org = e;
                    orgs.push(e);
                }
                orgs.reverse();
                orgs.push(current);
                for (i, org) in orgs.iter().enumerate() {
                    let start = starts[i];
                    let end = if i + 1 < starts.len() {
                        Some((starts[i + 1] - 1 - rng.between(0, 60)).max(start))
                    } else if status == EmploymentStatus::Employed {
                        None
                    } else {
                        Some(end_of_last.max(start))
                    };
                    spells.push(Spell { org: *org, start, end });
                }
            }
        }

        // The occupation the skill levels are in.
        let trade = match occ {
            Some(o) if rank >= 1 && (major == 4 || major == 6) => {
                if rank >= 2 && rng.chance(0.15) {
                    t.sibling(o, rng).or(Some(o))
                } else {
                    Some(o)
                }
            }
            Some(o) if rank >= 1 => profile.and_then(|p| t.pick_trade(p, rng)).or(Some(o)),
            _ if rank >= 1 => t.pick_trade(t.self_employed_profile, rng),
            _ => None,
        };

        // Level history: (rank, Julian day).
        let mut history: Vec<(u8, i32)> = Vec::new();
        if let (Some(_), true) = (trade, rank >= 1) {
            match work_start {
                None => {
                    // A student who took 初级工 at school.
                    let from = years_later(birth, 16) + 1;
                    history.push((rank.min(2), rng.between(from, today_jd - 1)));
                }
                Some(ws) if rank == 1 => {
                    let from = ws + rng.between(90, 365);
                    let min_date = jd(Date::from_calendar_date(2021, Month::July, 1).unwrap_or(t.today));
                    history.push((1, from.max(min_date).min(today_jd - 1)));
                }
                Some(ws) => history = ladder_history(rank, education, ws, career_end, rng),
            }
        }

        // Skill levels with their sources, issuers and certificate numbers.
        let mut levels = Vec::with_capacity(history.len() + 1);
        let trade_occ = trade.unwrap_or(0);
        for (r, date) in &history {
            let at = Obtained { occ: trade_occ, rank: *r, date: *date };
            levels.extend(certify(t, rng, &mut self.serials, &id_number, at, &spells));
        }
        if rank >= 3
            && let (Some(ws), Some(tr)) = (work_start, trade)
            && rng.chance(0.06)
            && let Some(second) = t.sibling(tr, rng)
        {
            // A second trade at 初级工 (an electrician who also took 焊工).
            let from = years_later(ws, 1) + 1;
            if from < career_end {
                let at = Obtained { occ: second, rank: 2, date: rng.between(from, career_end) };
                levels.extend(certify(t, rng, &mut self.serials, &id_number, at, &spells));
            }
        }

        // Employment records: earlier spells in the trade, the current one in the occupation.
        let n_spells = spells.len();
        let employment = spells
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let o = if i + 1 == n_spells { occ } else { trade.or(occ) };
                NewEmployment {
                    id_number: id_number.clone(),
                    employer_uscc: t.orgs[s.org as usize].uscc.clone(),
                    start: day(s.start),
                    end: s.end.map(day),
                    occupation_code: o.map(|o| t.occ_codes[o as usize].clone()),
                }
            })
            .collect();

        if counted {
            self.employed_by_district[d] += 1;
            if let Some(i) =
                employer.filter(|_| status == EmploymentStatus::Employed).and_then(|e| t.org_info[e as usize].industry)
            {
                self.employed_by_industry[usize::from(i)] += 1;
                self.employed_with_industry += 1;
            }
        }

        let current_employer = employer.filter(|_| status == EmploymentStatus::Employed);
        DemoPerson {
            person: NewPerson {
                id_type: IdType::ResidentId,
                id_number,
                id_from_15: false,
                name,
                gender: Some(if male { "M" } else { "F" }.to_string()),
                birth_date: Some(birth_date),
                district_code: Some(t.districts[d].code.clone()),
                employer_uscc: current_employer.map(|e| t.orgs[e as usize].uscc.clone()),
                occupation_code: occ.map(|o| t.occ_codes[o as usize].clone()),
                education: Some(education),
                employment_status: Some(status),
                work_start: work_start.map(day),
            },
            levels,
            employment,
        }
    }
}

/// Dates at which a worker reached each rank up to `rank`, from `work_start`, all by
/// `career_end`, respecting the template's minimum intervals.
fn ladder_history(rank: u8, education: Education, work_start: i32, career_end: i32, rng: &mut Rng) -> Vec<(u8, i32)> {
    // Where the ladder starts: 中级工 on graduating from a technician or vocational school, or
    // after 6 years of work; else 初级工 after a year of work (or an apprenticeship).
    let mut first = 2u8;
    let mut first_years = MIN_YEARS_TO[2];
    let mut first_extra = MEAN_EXTRA_DAYS[2];
    let available = career_end - work_start;
    let path_days = |from: u8, first_years: i32| -> i32 {
        let mut y = first_years;
        for r in (from + 1)..=rank {
            y += MIN_YEARS_TO[usize::from(r)];
        }
        y * 366 + 10
    };
    if rank >= 3 {
        if let Some(p) = school_path(education)
            && rng.chance(p)
        {
            first = 3;
            first_years = 0;
            first_extra = 60.0;
        } else if rng.chance(0.12) && path_days(3, 6) <= available {
            first = 3;
            first_years = 6;
            first_extra = 700.0;
        }
    }
    let mut steps: Vec<(u8, i32, f64)> = Vec::new();
    // 30 % of recent starters were apprentices first (企业新型学徒制 since 2021).
    let apprentice_from = jd(Date::from_calendar_date(2021, Month::July, 1).unwrap_or(Date::MIN));
    if first == 2 && work_start >= apprentice_from && rng.chance(0.3) {
        steps.push((1, 0, 200.0));
    }
    steps.push((first, first_years, first_extra));
    for r in (first + 1)..=rank {
        steps.push((r, MIN_YEARS_TO[usize::from(r)], MEAN_EXTRA_DAYS[usize::from(r)]));
    }
    let min_days: i32 = steps.iter().map(|(_, y, _)| y * 366 + 1).sum();
    let slack = f64::from((available - min_days).max(0));
    let mut extras: Vec<f64> = steps.iter().map(|(_, _, mean)| rng.exp(*mean)).collect();
    let sum: f64 = extras.iter().sum();
    if sum > slack {
        let k = slack / sum * rng.unit().max(0.5);
        for e in &mut extras {
            *e *= k;
        }
    }
    let mut out = Vec::with_capacity(steps.len());
    let mut at = work_start;
    for (i, (r, years, _)) in steps.iter().enumerate() {
        let date = years_later(at, *years) + 1 + extras[i] as i32;
        if date > career_end {
            // Cannot happen with the slack computed above; never record a future level.
            break;
        }
        out.push((*r, date));
        at = date;
    }
    out
}

/// Certificate serials handed out so far per issuing organisation.
struct Serials {
    national: Vec<u32>,
    legacy: Vec<u32>,
}

/// A level to record: occupation index, rank and Julian day obtained.
#[derive(Debug, Clone, Copy)]
struct Obtained {
    occ: u32,
    rank: u8,
    date: i32,
}

/// The level with its source, issuer and certificate number.
fn certify(
    t: &Tables,
    rng: &mut Rng,
    serials: &mut Serials,
    id_number: &str,
    at: Obtained,
    spells: &[Spell],
) -> Option<NewLevel> {
    let Obtained { occ, rank, date } = at;
    let level = Level::new(rank)?;
    let on = day(date);
    let year = on.year();
    let employer_then = spells
        .iter()
        .find(|s| s.start <= date && s.end.is_none_or(|e| date <= e))
        .map(|s| s.org)
        .filter(|o| t.org_info[*o as usize].kind == OrgKind::Enterprise);
    let evaluator = if t.evaluators.is_empty() { None } else { Some(t.evaluators[t.evaluator_pick.pick(rng)]) };
    let (source, issuer) = match rank {
        // Only an enterprise grades its apprentices: none to record without one.
        1 if employer_then.is_none() => return None,
        1 => (LevelSource::EnterpriseEvaluation, employer_then),
        7 | 8 => (LevelSource::Appointment, employer_then),
        _ if year >= 2020 && employer_then.is_some() && rng.chance(0.35) => {
            (LevelSource::EnterpriseEvaluation, employer_then)
        }
        _ if rank >= 4 && year >= 2012 && rng.chance(0.07) => (LevelSource::Competition, evaluator),
        _ => (LevelSource::Exam, evaluator),
    };
    let issuer = if year < 1995 && source == LevelSource::Exam { None } else { issuer };
    let level_code = t.level_codes[usize::from(rank)];
    let certificate_no = match (issuer, level_code) {
        (Some(org), Some(lc)) if year >= 2020 && source != LevelSource::Appointment => {
            let category = if source == LevelSource::EnterpriseEvaluation { 'Y' } else { 'S' };
            let o = org as usize;
            serials.national[o] += 1;
            let serial = serials.national[o] % 1_000_000;
            let site = format!("{:06}", (o + 1) % 1_000_000);
            CertificateNo::national(category, "0000", &t.province, &site, (year % 100) as u8, lc, serial)
                .ok()
                .map(|c| c.as_str().to_string())
        }
        (Some(org), Some(lc)) if (1995..2020).contains(&year) && source != LevelSource::EnterpriseEvaluation => {
            // 16-digit 职业资格证书 number: year, province, city 00, local testing station (2),
            // station serial, level, sequence.
            let o = org as usize;
            serials.legacy[o] += 1;
            let station = t.org_info[o].evaluator_ordinal % 1000;
            let seq = (serials.legacy[o] - 1) % 99_999 + 1;
            let text = format!("{:02}{}002{station:03}{lc}{seq:05}", year % 100, t.province);
            CertificateNo::parse(&text).ok().map(|c| c.as_str().to_string())
        }
        _ => None,
    };
    Some(NewLevel {
        id_number: id_number.to_string(),
        occupation_code: t.occ_codes[occ as usize].clone(),
        trade: t.occ_trade[occ as usize].to_string(),
        level,
        obtained_on: on,
        source,
        certificate_no,
        issuer_uscc: issuer.map(|o| t.orgs[o as usize].uscc.clone()),
    })
}

// =============================================================================================
// Writing the city: into the database, or as CSV files the importer reads
// =============================================================================================

/// Generates a city of `persons` and writes it through the store: organisations, then persons
/// with their levels and employment in chunks of 5000 (one transaction each), then the
/// statistics. `progress` is told the persons written so far after every chunk.
pub async fn load(
    app: &App,
    persons: u64,
    seed: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<DemoSummary, AppError> {
    let mut city = DemoCity::new(&app.policy, &app.catalogue, persons, seed, app.today());
    let mut summary = DemoSummary::default();
    let actor = Actor::system("demo");
    for chunk in city.organisations().chunks(CHUNK) {
        let mut t = tx::begin(&app.db).await?;
        let counts = organisations::upsert_batch_in(&mut t, chunk).await?;
        demo_entry(&mut t, &actor, "organisations", json!({ "organisations": chunk.len(), "counts": counts })).await?;
        t.commit().await?;
    }
    summary.organisations = city.organisations().len() as u64;
    let org_ids = organisations::all_ids(&app.db).await?;

    // Generate on a thread of its own while the database writes.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<DemoPerson>>(2);
    let producer = std::thread::spawn(move || {
        while city.remaining() > 0 {
            let chunk = city.persons_chunk(CHUNK);
            if tx.blocking_send(chunk).is_err() {
                break;
            }
        }
        city
    });
    let written: Result<(), AppError> = async {
        while let Some(chunk) = rx.recv().await {
            let org = |u: &str| -> Option<i64> { org_ids.get(u).copied() };
            let writes: Vec<PersonWrite<'_>> = chunk
                .iter()
                .map(|p| PersonWrite {
                    person: &p.person,
                    employer_id: p.person.employer_uscc.as_deref().and_then(org),
                })
                .collect();
            let mut t = tx::begin(&app.db).await?;
            let person_counts = persons::upsert_batch_in(&mut t, &writes).await?;
            let keys: Vec<&str> = chunk.iter().map(|p| p.person.id_number.as_str()).collect();
            let ids = persons::ids_by_id_number_in(&mut t, &keys).await?;
            let mut level_writes = Vec::new();
            let mut spell_writes = Vec::new();
            for p in &chunk {
                let Some(&person_id) = ids.get(&p.person.id_number) else { continue };
                for l in &p.levels {
                    let issuer_id = l.issuer_uscc.as_deref().and_then(org);
                    level_writes.push(LevelWrite {
                        revoked: None,
                        level: l,
                        person_id,
                        issuer_id,
                        recorded_by: RECORDED_BY,
                    });
                }
                for e in &p.employment {
                    if let Some(employer_id) = org(&e.employer_uscc) {
                        spell_writes.push(EmploymentWrite { spell: e, person_id, employer_id });
                    }
                }
            }
            let level_counts = levels::record_batch_in(&mut t, &level_writes).await?;
            let spell_counts = employment::upsert_batch_in(&mut t, &spell_writes).await?;
            let after = json!({ "persons": person_counts, "levels": level_counts, "employment": spell_counts });
            demo_entry(&mut t, &actor, "persons", after).await?;
            t.commit().await?;
            summary.persons += writes.len() as u64;
            summary.levels += level_writes.len() as u64;
            summary.employment += spell_writes.len() as u64;
            progress(summary.persons);
        }
        Ok(())
    }
    .await;
    drop(rx);
    let city = producer.join().map_err(|_| {
        AppError::Invalid(Msg::new("演示数据生成线程异常退出", "the demo data generator thread panicked"))
    })?;
    written?;
    let stats = city.statistics();
    let mut t = tx::begin(&app.db).await?;
    let counts = statistics::upsert_batch_in(&mut t, &stats).await?;
    demo_entry(&mut t, &actor, "employment_statistics", json!({ "statistics": counts })).await?;
    summary.statistics = stats.len() as u64;
    let demand = city.demand(&app.policy, seed);
    let writes: Vec<gongjiang_store::demand::DemandWrite<'_>> = demand
        .iter()
        .filter_map(|d| {
            org_ids
                .get(&d.reporter_uscc)
                .map(|&reporter_id| gongjiang_store::demand::DemandWrite { demand: d, reporter_id })
        })
        .collect();
    summary.demand = writes.len() as u64;
    let counts = gongjiang_store::demand::upsert_batch_in(&mut t, &Scope::all(), &writes).await?;
    demo_entry(&mut t, &actor, "demand", json!({ "demand": counts })).await?;
    t.commit().await?;
    Ok(summary)
}

/// The audit entry of one batch the demo loader wrote (`demo.batch`).
async fn demo_entry(t: &mut tx::Tx, actor: &Actor, resource: &str, after: serde_json::Value) -> Result<(), AppError> {
    Ok(crate::audit::record(t, actor, "demo.batch", resource, None, None, Some(&after)).await?)
}

/// A CSV file written as it goes, through the same writer exports use.
struct CsvOut(gongjiang_tabular::TableWriter);

impl CsvOut {
    fn create(dir: &Path, name: &str, headers: &[&str]) -> io::Result<CsvOut> {
        gongjiang_tabular::TableWriter::create(&dir.join(name), headers).map(CsvOut).map_err(io::Error::other)
    }

    fn row<S: AsRef<str>>(&mut self, cells: &[S]) -> io::Result<()> {
        self.0.write_row(cells).map_err(io::Error::other)
    }

    fn finish(self) -> io::Result<()> {
        self.0.finish().map_err(io::Error::other)
    }
}

fn iso(d: Date) -> String {
    gongjiang_domain::dates::iso(d)
}

fn opt_iso(d: Option<Date>) -> String {
    d.map(iso).unwrap_or_default()
}

/// Writes the city as `orgs.csv`, `persons.csv`, `levels.csv`, `employment.csv`,
/// `statistics.csv` and `demand.csv` in `dir` (created if missing), with the importer's English
/// headers, streaming.
pub fn write_csv(
    policy: &Policy,
    catalogue: &Catalogue,
    persons: u64,
    seed: u64,
    today: Date,
    dir: &Path,
) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut city = DemoCity::new(policy, catalogue, persons, seed, today);
    let mut orgs = CsvOut::create(dir, "orgs.csv", &["uscc", "name", "kind", "district", "industry", "chains"])?;
    for o in city.organisations() {
        orgs.row(&[
            o.uscc.as_str(),
            o.name.as_str(),
            o.kind.code(),
            o.district_code.as_str(),
            o.industry.as_deref().unwrap_or(""),
            &o.chains.as_deref().unwrap_or_default().join(";"),
        ])?;
    }
    orgs.finish()?;

    let mut people = CsvOut::create(
        dir,
        "persons.csv",
        &[
            "id_number",
            "name",
            "district",
            "employer_uscc",
            "occupation",
            "education",
            "employment_status",
            "work_start",
        ],
    )?;
    let mut level_rows = CsvOut::create(
        dir,
        "levels.csv",
        &["id_number", "occupation", "level", "obtained_on", "source", "trade", "certificate_no", "issuer_uscc"],
    )?;
    let mut spell_rows =
        CsvOut::create(dir, "employment.csv", &["id_number", "employer_uscc", "start", "end", "occupation"])?;
    while city.remaining() > 0 {
        for p in city.persons_chunk(CHUNK) {
            let q = &p.person;
            people.row(&[
                q.id_number.as_str(),
                q.name.as_str(),
                q.district_code.as_deref().unwrap_or(""),
                q.employer_uscc.as_deref().unwrap_or(""),
                q.occupation_code.as_deref().unwrap_or(""),
                q.education.map_or("", |e| e.code()),
                q.employment_status.map_or("", |s| s.code()),
                opt_iso(q.work_start).as_str(),
            ])?;
            for l in &p.levels {
                level_rows.row(&[
                    l.id_number.as_str(),
                    l.occupation_code.as_str(),
                    l.level.rank().to_string().as_str(),
                    iso(l.obtained_on).as_str(),
                    l.source.code(),
                    l.trade.as_str(),
                    l.certificate_no.as_deref().unwrap_or(""),
                    l.issuer_uscc.as_deref().unwrap_or(""),
                ])?;
            }
            for e in &p.employment {
                spell_rows.row(&[
                    e.id_number.as_str(),
                    e.employer_uscc.as_str(),
                    iso(e.start).as_str(),
                    opt_iso(e.end).as_str(),
                    e.occupation_code.as_deref().unwrap_or(""),
                ])?;
            }
        }
    }
    people.finish()?;
    level_rows.finish()?;
    spell_rows.finish()?;

    let mut stats = CsvOut::create(dir, "statistics.csv", &["year", "district", "industry", "employed_persons"])?;
    for s in city.statistics() {
        stats.row(&[s.year.to_string(), s.district_code, s.industry, s.employed_persons.to_string()])?;
    }
    stats.finish()?;

    let headers = ["reporter_uscc", "occupation", "level", "people", "period", "district", "chain", "note"];
    let mut demand = CsvOut::create(dir, "demand.csv", &headers)?;
    for d in city.demand(policy, seed) {
        let (level, people, period) = (d.level.rank().to_string(), d.people.to_string(), d.period.code());
        demand.row(&[d.reporter_uscc, d.occupation_code, level, people, period, d.district_code, d.chain, d.note])?;
    }
    demand.finish()
}

impl DemoCity {
    /// Demand reported by the city's enterprises: one line per draw (an enterprise, an
    /// occupation of its trades, a level, a base number and a yearly growth), reported for the
    /// last two years, this year and next. Lines that draw the same key merge (the later one
    /// wins, as a re-report would). Drawn from `seed` alone, not from the persons.
    pub fn demand(&self, policy: &Policy, seed: u64) -> Vec<NewDemand> {
        const RANKS: [(u8, f64); 4] = [(3, 0.25), (4, 0.45), (5, 0.20), (6, 0.10)];
        let t = &self.t;
        let mut rng = Rng::new(seed ^ 0x0000_4445_4d41_4e44);
        let (ids, pick) = &t.all_enterprises;
        if ids.is_empty() || pick.is_empty() {
            return Vec::new();
        }
        let chains_of = |groups: &[&str]| -> Vec<String> {
            policy
                .industrial_chains
                .iter()
                .filter(|c| c.group.as_deref().is_some_and(|g| groups.contains(&g)))
                .map(|c| c.id.clone())
                .collect()
        };
        let (leading, manufacturing) = (chains_of(&["1"]), chains_of(&["3", "4"]));
        let rank_pick = Weighted::new(RANKS.iter().map(|r| r.1));
        let year = t.today.year();
        let lines = (self.total / 200).clamp(40, 150);
        let mut out = Vec::with_capacity(lines as usize * 4);
        for _ in 0..lines {
            let org_ix = ids[pick.pick(&mut rng)] as usize;
            let (org, info) = (&t.orgs[org_ix], t.org_info[org_ix]);
            let occ =
                t.pick_trade(info.profile, &mut rng).unwrap_or_else(|| t.pick_occupation(info.profile, true, &mut rng));
            let Some(level) = Level::new(RANKS[rank_pick.pick(&mut rng)].0) else { continue };
            let base = 2.0 + rng.exp(if level.rank() >= 5 { 3.0 } else { 10.0 });
            let growth = -0.1 + 0.5 * rng.unit();
            let chain = match org.industry.as_deref() {
                Some("I") if !leading.is_empty() => rng.pick(&leading).clone(),
                Some("C") if !manufacturing.is_empty() && rng.chance(0.8) => rng.pick(&manufacturing).clone(),
                _ => String::new(),
            };
            for (k, y) in (year - 2..=year + 1).enumerate() {
                out.push(NewDemand {
                    reporter_uscc: org.uscc.clone(),
                    occupation_code: t.occ_codes[occ as usize].clone(),
                    level,
                    people: (base * (1.0 + growth).powi(k as i32)).round().max(1.0) as i64,
                    period: gongjiang_domain::supply::Period { year: y, quarter: None },
                    district_code: org.district_code.clone(),
                    chain: chain.clone(),
                    note: "演示数据 / demo".to_string(),
                });
            }
        }
        out
    }
}
