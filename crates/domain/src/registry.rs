//! Enumerations of the registry, each with the codes files may use: a stable English code,
//! the Chinese label, and common Chinese synonyms. `parse` accepts any of them.

use serde::{Deserialize, Serialize};

macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => ($code:literal, $zh:literal, $en:literal $(, $alias:literal)*)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code stored in the database and used in the API.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
            pub fn zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }
            pub fn en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }
            /// Accepts the code, the Chinese label or a known synonym (case-insensitive for ASCII).
            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim();
                $(
                    if s.eq_ignore_ascii_case($code) || s == $zh || s.eq_ignore_ascii_case($en) $(|| s == $alias)* {
                        return Some($name::$variant);
                    }
                )+
                None
            }
            /// "code (中文)" for every value, for error messages that list what is allowed.
            pub fn allowed() -> String {
                Self::ALL.iter().map(|v| format!("{} {}", v.code(), v.zh())).collect::<Vec<_>>().join(", ")
            }
        }
    };
}

coded_enum! {
    /// Kind of identity document (证件类型).
    IdType {
        ResidentId => ("resident_id", "居民身份证", "resident identity card", "身份证"),
        Passport => ("passport", "护照", "passport"),
        HkMacaoPermit => ("hk_macao_permit", "港澳居民来往内地通行证", "Mainland travel permit for Hong Kong and Macao residents", "港澳通行证", "港澳居民居住证"),
        TaiwanPermit => ("taiwan_permit", "台湾居民来往大陆通行证", "Mainland travel permit for Taiwan residents", "台胞证", "台湾居民居住证"),
        ForeignPermanentResident => ("foreign_permanent_resident", "外国人永久居留身份证", "foreign permanent resident ID card", "永久居留证"),
    }
}

coded_enum! {
    /// Highest education, with the technician-school classes that count for eligibility and for
    /// professional-title equivalence (中级工班 = 中专, 高级工班 = 大专, 预备技师班 = 本科).
    Education {
        Primary => ("primary", "小学及以下", "primary school or less", "小学"),
        JuniorSecondary => ("junior_secondary", "初中", "junior secondary school"),
        SeniorSecondary => ("senior_secondary", "普通高中", "general senior secondary school", "高中"),
        SecondaryVocational => ("secondary_vocational", "中等职业学校", "secondary vocational school", "中专", "职高", "中职"),
        TechSchoolIntermediate => ("tech_school_intermediate", "技工院校中级工班", "technician school, intermediate-worker class", "中级工班"),
        TechSchoolAdvanced => ("tech_school_advanced", "技工院校高级工班", "technician school, advanced-worker class", "高级工班"),
        TechSchoolPreTechnician => ("tech_school_pre_technician", "技师学院预备技师班", "technician college, pre-technician class", "预备技师班", "预备技师（技师）班", "技师班"),
        HigherVocational => ("higher_vocational", "高职(专科)", "higher vocational college (associate)", "高职", "大专", "专科"),
        Bachelor => ("bachelor", "本科", "bachelor's degree", "大学本科"),
        Master => ("master", "硕士研究生", "master's degree", "硕士", "研究生"),
        Doctorate => ("doctorate", "博士研究生", "doctorate", "博士"),
    }
}

impl Education {
    /// A school's name given where the class attended is asked for: "技师学院" runs 预备技师,
    /// 高级工 and 中级工 classes, so the name alone does not say which route the schooling opens.
    pub fn ambiguous_school(s: &str) -> bool {
        matches!(s.trim(), "技师学院" | "高级技工学校" | "技工学校" | "技工院校" | "技校")
    }
}

coded_enum! {
    /// Series of professional titles (职称系列), as the national title system names them; the
    /// Tianjin bridging notice (津人社局发〔2022〕26号) opens eight of them to skilled workers.
    TitleSeries {
        Engineering => ("engineering", "工程技术", "engineering technology", "工程", "工程系列"),
        Agriculture => ("agriculture", "农业技术", "agricultural technology", "农业"),
        ArtsAndCrafts => ("arts_and_crafts", "工艺美术", "arts and crafts"),
        CulturalHeritage => ("cultural_heritage", "文物博物", "cultural relics and museums"),
        Laboratory => ("laboratory", "实验技术", "laboratory technology", "实验"),
        Art => ("art", "艺术", "art"),
        Sports => ("sports", "体育", "sports", "体育教练"),
        TechnicianSchoolTeacher => ("technician_school_teacher", "技工院校教师", "technician-school teacher"),
        Health => ("health", "卫生技术", "health technology", "卫生"),
        Economics => ("economics", "经济", "economics", "经济专业"),
        Accounting => ("accounting", "会计", "accounting"),
        Statistics => ("statistics", "统计", "statistics"),
        Audit => ("audit", "审计", "audit"),
        Translation => ("translation", "翻译", "translation"),
        Publishing => ("publishing", "出版", "publishing"),
        Journalism => ("journalism", "新闻", "journalism"),
        Broadcasting => ("broadcasting", "播音主持", "broadcasting", "广播电视播音"),
        Library => ("library", "图书资料", "library and information"),
        Archives => ("archives", "档案", "archives"),
        MassCulture => ("mass_culture", "群众文化", "mass culture"),
        Research => ("research", "科学研究", "scientific research", "自然科学研究", "哲学社会科学研究"),
        HigherEducationTeacher => ("higher_education_teacher", "高等学校教师", "higher-education teacher", "高校教师"),
        SchoolTeacher => ("school_teacher", "中小学教师", "primary and secondary school teacher"),
        Law => ("law", "律师", "lawyer"),
        Notary => ("notary", "公证", "notary"),
        Shipping => ("shipping", "船舶技术", "ship technology"),
        Aviation => ("aviation", "民用航空飞行技术", "civil aviation flight technology", "飞行技术"),
        SocialWork => ("social_work", "社会工作", "social work"),
        Computing => ("computing", "计算机技术与软件", "computer technology and software", "计算机"),
        Communications => ("communications", "通信", "communications"),
    }
}

coded_enum! {
    /// Employment status (就业状态).
    EmploymentStatus {
        Employed => ("employed", "在职", "employed", "就业", "在岗"),
        SelfEmployed => ("self_employed", "灵活就业", "self-employed or flexible", "个体", "自由职业"),
        Unemployed => ("unemployed", "失业", "unemployed", "待业"),
        Student => ("student", "在校生", "student", "学生", "在读"),
        Retired => ("retired", "退休", "retired", "离退休"),
    }
}

impl EmploymentStatus {
    /// Counts towards the employed persons of the KPI denominator.
    pub fn is_employed(self) -> bool {
        matches!(self, EmploymentStatus::Employed | EmploymentStatus::SelfEmployed)
    }
}

coded_enum! {
    /// Kind of organisation (单位类型).
    OrgKind {
        Enterprise => ("enterprise", "企业", "enterprise", "公司"),
        TechnicianSchool => ("technician_school", "技工院校", "technician school", "技工学校", "技师学院"),
        VocationalSchool => ("vocational_school", "职业院校", "vocational school", "职业学校", "职业技术学院"),
        TrainingInstitution => ("training_institution", "职业培训机构", "training institution", "培训机构"),
        EvaluationInstitution => ("evaluation_institution", "评价机构", "evaluation institution", "社会培训评价组织"),
        PublicTrainingCentre => ("public_training_centre", "公共实训基地", "public training centre", "公共实训中心"),
        IndustryAssociation => ("industry_association", "行业协会", "industry association"),
        Government => ("government", "政府机关", "government body", "机关", "事业单位"),
    }
}

coded_enum! {
    /// How a skill level was obtained.
    LevelSource {
        Exam => ("exam", "职业技能等级认定", "skill-level certification", "认定", "鉴定", "考试"),
        EnterpriseEvaluation => ("enterprise_evaluation", "企业自主评价", "enterprise self-evaluation", "自主评价"),
        Competition => ("competition", "竞赛晋升", "competition promotion", "以赛代评", "竞赛"),
        Appointment => ("appointment", "评聘", "appointment", "聘任"),
        Legacy => ("legacy", "职业资格证书", "legacy vocational qualification", "职业资格", "旧证"),
    }
}

coded_enum! {
    /// Tier of a skills competition (竞赛级别), the key of the promotion rules (以赛代评).
    CompetitionTier {
        World => ("world", "世界技能大赛", "WorldSkills", "世界级", "世赛"),
        National1 => ("national_1", "国家级一类", "national class I", "国家一类", "国家级一类竞赛"),
        National2 => ("national_2", "国家级二类", "national class II", "国家二类", "国家级二类竞赛"),
        CityComprehensive => ("city_comprehensive", "市级综合", "city comprehensive", "市级综合赛", "市级综合性竞赛"),
        City1 => ("city_1", "市级一类", "city class I", "市一类", "本市一类", "天津市一类"),
        City2 => ("city_2", "市级二类", "city class II", "市二类", "本市二类", "天津市二类"),
        District => ("district", "区级", "district", "区级竞赛"),
        Enterprise => ("enterprise", "企业/院校级", "enterprise or school", "企业级", "院校级", "企业、院校级"),
    }
}

coded_enum! {
    /// Group a competitor entered in (组别).
    CompetitionGroup {
        Employee => ("employee", "职工", "employee", "职工组", "职工选手"),
        Student => ("student", "学生", "student", "学生组", "学生选手"),
    }
}

coded_enum! {
    /// Social-insurance scheme of a contribution spell (险种).
    InsuranceScheme {
        Unemployment => ("unemployment", "失业保险", "unemployment insurance", "失业"),
        Pension => ("pension", "养老保险", "pension insurance", "养老", "基本养老保险", "职工基本养老保险"),
        Medical => ("medical", "医疗保险", "medical insurance", "医疗", "基本医疗保险", "职工基本医疗保险", "医保"),
        WorkInjury => ("work_injury", "工伤保险", "work-injury insurance", "工伤"),
        Maternity => ("maternity", "生育保险", "maternity insurance", "生育"),
    }
}

coded_enum! {
    /// Where a benefit claim stands (申领状态).
    ClaimStatus {
        InReview => ("in_review", "审核中", "in review"),
        InNotice => ("in_notice", "公示中", "in public notice"),
        Approved => ("approved", "已批准", "approved"),
        Rejected => ("rejected", "未通过", "rejected"),
        Paid => ("paid", "已发放", "paid"),
        Withdrawn => ("withdrawn", "已撤回", "withdrawn", "撤回"),
    }
}

impl ClaimStatus {
    /// The claim stands (or was paid): it uses up the certificate, the year's quota and the
    /// occupation and level. Rejected and withdrawn claims do not.
    pub fn stands(self) -> bool {
        !matches!(self, ClaimStatus::Rejected | ClaimStatus::Withdrawn)
    }
}

coded_enum! {
    /// How a training programme is delivered (培训方式).
    ProgrammeMode {
        Offline => ("offline", "线下", "offline", "线下培训", "面授"),
        Online => ("online", "线上", "online", "线上培训", "网络培训", "互联网+职业技能培训"),
        Blended => ("blended", "线上线下结合", "blended", "混合式", "线上线下", "线上+线下"),
    }
}

coded_enum! {
    /// What a training programme is for (培训类型).
    ProgrammeKind {
        PreJob => ("pre_job", "岗前培训", "pre-job training", "岗前"),
        OnJob => ("on_job", "在岗提升培训", "on-the-job upgrading", "在岗提升", "岗位提升"),
        Transfer => ("transfer", "转岗转业培训", "job-transfer training", "转岗", "转岗培训"),
        Project => ("project", "项目制培训", "project-based training", "项目制"),
        ApprenticeClass => ("apprentice_class", "企业新型学徒制班", "new-type apprenticeship class", "新型学徒制", "学徒制班"),
        ModernApprenticeship => ("modern_apprenticeship", "现代学徒制", "modern apprenticeship (school-run)"),
        Shortage => ("shortage", "紧缺职业培训", "shortage-occupation programme", "紧缺职业", "急需紧缺"),
    }
}

coded_enum! {
    /// Where an enrolment stands (学习状态).
    EnrolmentStatus {
        Enrolled => ("enrolled", "在学", "enrolled", "已报名", "学习中"),
        Completed => ("completed", "已结业", "completed", "结业", "完成"),
        Withdrawn => ("withdrawn", "已退出", "withdrawn", "退学", "退出"),
    }
}

coded_enum! {
    /// A training platform designation (培养平台) attached to a registered organisation
    /// (RESEARCH §8.3). A skill-master studio is led by its master; the others have no lead.
    PlatformKind {
        MasterStudio => ("master_studio", "技能大师工作室", "skill-master studio", "大师工作室"),
        HighSkillBase => ("high_skill_base", "高技能人才培训基地", "high-skill training base", "培训基地"),
        PublicTrainingCentre => ("public_training_centre", "公共实训基地", "public training centre", "公共实训中心", "职业技能公共实训中心", "实训基地"),
        EnterpriseTrainingCentre => ("enterprise_training_centre", "企业培训中心", "enterprise training centre"),
        IndustryEducationStation => ("industry_education_station", "产教融合工作站", "industry–education integration workstation", "产教融合实训基地", "产教融合"),
    }
}

impl PlatformKind {
    /// The kind names a lead person (the master of a skill-master studio).
    pub fn has_lead(self) -> bool {
        self == PlatformKind::MasterStudio
    }
}

coded_enum! {
    /// Who designated a platform (级别).
    PlatformTier {
        National => ("national", "国家级", "national", "国家"),
        Municipal => ("municipal", "市级", "municipal", "天津市级", "省级"),
        District => ("district", "区级", "district"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_labels_and_synonyms() {
        assert_eq!(Education::parse("大专"), Some(Education::HigherVocational));
        assert_eq!(Education::parse("higher_vocational"), Some(Education::HigherVocational));
        assert_eq!(Education::parse("预备技师班"), Some(Education::TechSchoolPreTechnician));
        assert_eq!(OrgKind::parse("ENTERPRISE"), Some(OrgKind::Enterprise));
        assert_eq!(IdType::parse("身份证"), Some(IdType::ResidentId));
        assert_eq!(LevelSource::parse("以赛代评"), Some(LevelSource::Competition));
        assert_eq!(EmploymentStatus::parse("unknown"), None);
        assert_eq!(CompetitionTier::parse("市级综合"), Some(CompetitionTier::CityComprehensive));
        assert_eq!(CompetitionTier::parse("企业级"), Some(CompetitionTier::Enterprise));
        assert_eq!(CompetitionGroup::parse("学生"), Some(CompetitionGroup::Student));
        assert_eq!(InsuranceScheme::parse("失业保险"), Some(InsuranceScheme::Unemployment));
        assert_eq!(InsuranceScheme::parse("pension"), Some(InsuranceScheme::Pension));
        for e in Education::ALL {
            assert_eq!(Education::parse(e.code()), Some(*e));
            assert_eq!(Education::parse(e.zh()), Some(*e));
        }
    }
}
