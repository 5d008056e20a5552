//! Demand reported by the city's enterprises (供需).

use gongjiang_domain::level::Level;
use gongjiang_domain::policy::Policy;
use gongjiang_domain::records::NewDemand;

use crate::generate::DemoCity;
use crate::rng::{Rng, Weighted};

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
