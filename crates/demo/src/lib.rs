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
//!   `tables::DISTRICT_PROFILE`) and a manufacturing bias that tilts its enterprises' industries.
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

mod city;
mod csv;
mod demand;
pub mod evaluation;
mod generate;
mod load;
mod rng;
mod tables;

pub use csv::write_csv;
pub use generate::{DemoCity, DemoPerson};
pub use load::{DemoSummary, load};
