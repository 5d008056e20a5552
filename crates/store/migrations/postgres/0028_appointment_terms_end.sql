-- Appointments (特级技师, 首席技师) recorded before their terms were made to end (issue 13): their
-- level-history rows get the end of term as recorded for new ones — not counting from the day
-- after term_to, reason 聘期届满 with the term — so KPIs, supply, eligibility and the pathway
-- fall back to the examined level. A term's end is not a revocation: the benefit trigger is
-- recreated to leave claims alone for it (a subsidy paid while the appointment counted stays
-- paid). The KPI state is rebuilt on connecting (state version 4). Same numbering and meaning as
-- ../sqlite/.

DROP TRIGGER IF EXISTS skill_levels_revoked_benefit_claims ON skill_levels;
CREATE TRIGGER skill_levels_revoked_benefit_claims AFTER UPDATE OF revoked_on ON skill_levels
FOR EACH ROW WHEN (OLD.revoked_on IS NULL AND NEW.revoked_on IS NOT NULL
                   AND COALESCE(NEW.revoked_reason, '') NOT LIKE '聘期届满%')
EXECUTE FUNCTION skill_levels_revoked_benefit_claims();

UPDATE skill_levels AS l
   SET revoked_on = a.term_to + 1,
       revoked_reason = '聘期届满（聘期 ' || to_char(a.term_from, 'YYYY-MM-DD') || ' 至 '
                        || to_char(a.term_to, 'YYYY-MM-DD') || '）/ term ended ('
                        || to_char(a.term_from, 'YYYY-MM-DD') || ' – ' || to_char(a.term_to, 'YYYY-MM-DD') || ')'
  FROM level_appointments AS a
 WHERE a.skill_level_id = l.id AND l.revoked_on IS NULL;
