//! Reference tables and constants. Figures are rough, documented judgements for a plausible
//! city, not statistics to quote.

use gongjiang_domain::registry::EmploymentStatus;

/// Persons per organisation, and the fewest organisations a city gets.
pub(crate) const PERSONS_PER_ORG: u64 = 40;
pub(crate) const MIN_ORGS: u64 = 50;
/// Persons per database transaction in [`crate::load`] and per generated chunk in [`crate::write_csv`].
pub(crate) const CHUNK: usize = 5000;
/// Who recorded the demo's levels.
pub(crate) const RECORDED_BY: &str = "demo";
/// Target KPIs among persons the policy counts as employed.
pub(crate) const SKILLED_SHARE: f64 = 0.31;
pub(crate) const HIGH_SKILLED_OF_SKILLED: f64 = 0.34;
/// Share of persons whose identity number comes from another province.
pub(crate) const MIGRANT_SHARE: f64 = 0.20;

/// Tianjin's districts: share of the employed (%, sums to 100) and manufacturing bias.
/// Shares follow the 2020 census population of each district, shifted towards where the jobs
/// are: 滨海新区 (the port, petrochemicals, aerospace and most large manufacturers) is by far the
/// largest; the 环城四区 around the centre host industrial parks; the 市内六区 are services-heavy
/// with many jobs per resident in 和平区; the five outer districts are partly rural.
/// A district of another policy gets an equal share and no bias.
pub(crate) const DISTRICT_PROFILE: &[(&str, f64, f64)] = &[
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
pub(crate) const FORMER_CODE_UNTIL: &[(&str, i32)] = &[
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
pub(crate) const MIGRANT_REGIONS: &[(&str, f64)] = &[
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
pub(crate) struct IndustryProfile {
    pub(crate) code: &'static str,
    pub(crate) weight: f64,
    pub(crate) words: &'static [&'static str],
    pub(crate) groups: &'static [(&'static str, f64)],
}

/// Manufacturing (C) is split into branches below. Weights: roughly Tianjin's employment by
/// section — manufacturing about 30 %, trade 14 %, construction 9 %, logistics 8 % …
pub(crate) const INDUSTRIES: &[IndustryProfile] = &[
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
pub(crate) struct Branch {
    pub(crate) weight: f64,
    pub(crate) words: &'static [&'static str],
    pub(crate) groups: &'static [(&'static str, f64)],
}

pub(crate) const BRANCHES: &[Branch] = &[
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
pub(crate) const MANUFACTURING_COMMON: &[(&str, f64)] =
    &[("2-02", 9.0), ("3-01", 6.0), ("4-01", 2.0), ("4-02", 3.0), ("1", 1.0)];

/// Occupations of the self-employed (灵活就业): couriers, ride-hailing, small shops, catering,
/// household services, repairs, building trades.
pub(crate) const SELF_EMPLOYED_GROUPS: &[(&str, f64)] =
    &[("4-02", 30.0), ("4-01", 25.0), ("4-03", 15.0), ("4-10", 15.0), ("4-12", 10.0), ("6-29", 5.0)];

/// Staff of schools, training and evaluation institutions.
pub(crate) const EDUCATION_GROUPS: &[(&str, f64)] = &[("2-08", 50.0), ("4-13", 25.0), ("3-01", 15.0), ("1", 2.0)];

/// Occupations that dominate skill certification (the ones on every subsidy catalogue and
/// shortage list), weighted up within their group, with the share of men among them.
pub(crate) const COMMON_OCCUPATIONS: &[(&str, f64)] = &[
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
pub(crate) const COMMON_BOOST: f64 = 12.0;

/// Sub-trades (工种) recorded on some certificates, by occupation name.
pub(crate) const TRADES: &[(&str, &str)] = &[("车工", "数控车工"), ("铣工", "数控铣工"), ("磨工", "数控磨工")];

/// Share of men by major category (index 1–8); index 0 = no occupation.
pub(crate) const MALE_BY_MAJOR: [f64; 9] = [0.50, 0.65, 0.48, 0.40, 0.42, 0.58, 0.60, 0.80, 0.50];

/// Highest education by major category (index 0 = none, 1–8), in [`Education::ALL`](gongjiang_domain::registry::Education::ALL) order:
/// primary, junior sec., senior sec., sec. vocational, tech. school intermediate / advanced /
/// pre-technician class, higher vocational, bachelor, master, doctorate.
pub(crate) const EDUCATION_BY_MAJOR: [[f64; 11]; 9] = [
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
pub(crate) const STUDENT_EDUCATION: [f64; 11] = [0.0, 0.0, 45.0, 15.0, 25.0, 10.0, 0.0, 5.0, 0.0, 0.0, 0.0];

/// Employment status mix: 82 % employed, 6 % self-employed (together the ≈ 88 % the policy
/// counts as employed), 4 % unemployed, 5 % retired, 3 % students.
pub(crate) const STATUSES: [(EmploymentStatus, f64); 5] = [
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
pub(crate) const RANK_SHAPE: [f64; 9] = [0.0, 0.012, 0.42, 0.58, 0.72, 0.20, 0.0788, 0.0001, 0.00002];

/// Levels held by persons not counted as employed (index = rank): unemployed, retired (older,
/// more skilled), students (a few 初级工 from school).
pub(crate) const RANKS_UNEMPLOYED: [f64; 9] = [0.80, 0.0, 0.10, 0.07, 0.03, 0.0, 0.0, 0.0, 0.0];
pub(crate) const RANKS_RETIRED: [f64; 9] = [0.65, 0.0, 0.08, 0.12, 0.10, 0.04, 0.01, 0.0, 0.0];
pub(crate) const RANKS_STUDENT: [f64; 9] = [0.94, 0.0, 0.06, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];

/// Minimum whole years between obtaining rank `r − 1` and rank `r` (2018 template, RESEARCH
/// §2.1; 7 and 8 are assumptions), and the mean extra wait in days beyond the minimum.
pub(crate) const MIN_YEARS_TO: [i32; 9] = [0, 0, 1, 4, 5, 4, 4, 5, 3];
pub(crate) const MEAN_EXTRA_DAYS: [f64; 9] = [0.0, 0.0, 1100.0, 900.0, 1100.0, 1100.0, 1100.0, 1100.0, 700.0];
/// Minimum years from the work start to reaching each rank on the 初级工-first path.
pub(crate) const MIN_CAREER_YEARS: [i32; 9] = [0, 1, 1, 5, 10, 14, 18, 23, 26];

pub(crate) const SURNAMES: &[(&str, f64)] = &[
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
pub(crate) const MALE_OLD: &str = "建国军伟强明华平刚勇志文林海斌东立新永峰杰涛磊超鹏辉亮宏振春成庆福德胜利兵波洪力";
pub(crate) const MALE_NEW: &str = "浩宇轩泽睿博子涵俊晨昊铭哲鑫然航阳凯瑞嘉翔豪奕宸毅辰天一诚";
pub(crate) const FEMALE_OLD: &str = "秀英桂兰淑珍玉凤芳霞丽红梅敏静燕娟艳萍华琴云莉洁玲慧颖娜琳雪";
pub(crate) const FEMALE_NEW: &str = "欣怡梓萱雨涵诗婷佳琪思悦可馨语彤若萌晨妍一雯瑶楠月心";
/// Characters of enterprise trade names (字号).
pub(crate) const BRAND: &str =
    "鑫华泰德恒瑞宏远兴海津达通盛金利康源博信安永昌联创丰汇嘉科力东天宇诚中新港益祥润福隆顺广北方凯耀晟弘";
pub(crate) const ENTERPRISE_SUFFIXES: &[(&str, f64)] =
    &[("有限公司", 75.0), ("有限责任公司", 12.0), ("股份有限公司", 6.0), ("集团有限公司", 3.0)];
pub(crate) const TECH_SCHOOL_WORDS: &[&str] = &[
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
pub(crate) const VOCATIONAL_WORDS: &[&str] = &[
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
pub(crate) const EVALUATION_TRADES: &[&str] =
    &["机械", "电子", "化工", "建筑", "交通", "商业", "餐饮", "医药", "电力", "纺织"];
