-- Appointments (特级技师, 首席技师) recorded before their terms were made to end (issue 13): their
-- level-history rows get the end of term as recorded for new ones — not counting from the day
-- after term_to, reason 聘期届满 with the term — so KPIs, supply, eligibility and the pathway
-- fall back to the examined level. A term's end is not a revocation: the benefit trigger is
-- recreated to leave claims alone for it (a subsidy paid while the appointment counted stays
-- paid). The KPI state is rebuilt on connecting (state version 4). Same numbering and meaning as
-- ../postgres/.

DROP TRIGGER IF EXISTS skill_levels_revoked_benefit_claims;
CREATE TRIGGER skill_levels_revoked_benefit_claims AFTER UPDATE OF revoked_on ON skill_levels
WHEN OLD.revoked_on IS NULL AND NEW.revoked_on IS NOT NULL
 AND COALESCE(NEW.revoked_reason, '') NOT LIKE '聘期届满%'
BEGIN
    UPDATE benefit_claims
       SET recovery_due_on = NEW.revoked_on, recovery_reason = COALESCE(NEW.revoked_reason, '')
     WHERE skill_level_id = NEW.id AND status = 'paid' AND recovery_due_on IS NULL;
    UPDATE benefit_claims SET status = 'withdrawn'
     WHERE skill_level_id = NEW.id AND status IN ('in_review', 'in_notice', 'approved');
END;

UPDATE skill_levels
   SET revoked_on = date(a.term_to, '+1 day'),
       revoked_reason = '聘期届满（聘期 ' || a.term_from || ' 至 ' || a.term_to || '）/ term ended ('
                        || a.term_from || ' – ' || a.term_to || ')'
  FROM level_appointments AS a
 WHERE a.skill_level_id = skill_levels.id AND skill_levels.revoked_on IS NULL;
