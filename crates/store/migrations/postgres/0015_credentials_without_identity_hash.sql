-- Credentials signed before this release named the holder's identity number by a salted
-- SHA-256 with the salt beside it; with the masked number the public pages show, that leaves
-- about 25,000 candidates. Forget those credentials: the next signing pass (server start,
-- `gongjiang cert sign`, the next finalise) signs them again without any form of the number.
UPDATE certificates SET credential = NULL WHERE credential LIKE '%nationalIdentityNumber%';
