//! `/api/v1/platforms`: training platforms (培养平台) — skill-master studios, high-skill training
//! bases, public training centres, enterprise training centres, industry–education workstations
//! — open to everyone, by district and occupation.

pub mod list;
