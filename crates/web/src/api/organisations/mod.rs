//! `/api/v1/organisations`: employers, schools, training and evaluation institutions.

pub mod list;
pub mod show;

use gongjiang_domain::policy::Policy;
use gongjiang_domain::registry::OrgKind;
use gongjiang_store::organisations::Organisation;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::views::Label;

// Kept as a view (presentation work): adds the policy's names for the district, industry and kind
// codes.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationView {
    pub public_id: Uuid,
    /// Unified social credit code (统一社会信用代码).
    #[schema(example = "91120116MA05XXXX0X")]
    pub uscc: String,
    pub name: String,
    /// Kind of organisation: `enterprise`, `technician_school`, `vocational_school`, …
    pub kind: Label,
    pub district: Label,
    /// GB/T 4754 industry section.
    pub industry: Option<Label>,
}

impl OrganisationView {
    pub fn new(policy: &Policy, o: Organisation) -> OrganisationView {
        OrganisationView {
            public_id: o.public_id,
            kind: Label::of::<OrgKind>(&o.kind),
            district: Label::district(policy, &o.district_code),
            industry: o.industry.as_deref().map(|i| Label::industry(policy, i)),
            uscc: o.uscc,
            name: o.name,
        }
    }
}
