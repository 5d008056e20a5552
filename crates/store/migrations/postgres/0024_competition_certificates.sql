-- A promotion through a competition (以赛代评) gets a certificate like any other level (issue 15).
-- Same numbering and meaning as the other backend's folder.
--
-- basis: what the certificate rests on when it is not an evaluation session — for a
-- competition promotion the competition, tier, group and place (the level row's evidence);
-- NULL for certificates issued by finalising an evaluation session. It is printed on the PDF,
-- shown by /verify and signed into the credential's criteria.
ALTER TABLE certificates ADD COLUMN basis TEXT;
