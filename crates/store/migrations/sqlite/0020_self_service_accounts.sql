-- Accounts workers make themselves (/signup) and passwords an administrator sets.
-- contact: the phone number or e-mail a worker gave for recovery (NULL for accounts made by an
-- administrator). must_change_password: the password was set by someone else (an
-- administrator's reset); the user sets their own before anything else.
ALTER TABLE users ADD COLUMN contact TEXT;
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
