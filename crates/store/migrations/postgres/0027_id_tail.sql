-- Finding a person from a masked identity number (1201**********123X) or its last four
-- characters (尾号), issue 17. id_tail is a keyed hash (HMAC under the lookup key, first 64 bits)
-- of the number's last four characters: about 11,000 distinct values, so a search reaches a few
-- hundred candidates in a city of ten million, and the index grows at a few thousand places
-- rather than at random. The first four characters are checked on the decrypted candidates.
-- Rows stored before this migration get their hash when the application opens the database
-- with its keys (persons_id_tail_pending finds them without a scan; it is empty afterwards).
-- Same numbering and meaning as ../sqlite/.

ALTER TABLE persons ADD COLUMN id_tail BIGINT;
CREATE INDEX persons_id_tail ON persons (id_tail);
CREATE INDEX persons_id_tail_pending ON persons (id) WHERE id_tail IS NULL AND id_cipher IS NOT NULL;
