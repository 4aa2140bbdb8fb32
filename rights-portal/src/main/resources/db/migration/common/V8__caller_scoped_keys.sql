-- Idempotency keys are stored under their caller's scope (a 16-hex tag of who sent them, then '/', then the key), so
-- that one caller's key can never block or replay another's.
ALTER TABLE idempotency_record ALTER COLUMN idempotency_key SET DATA TYPE VARCHAR(200);
-- Every data holder's API key names the account (or staff member) that created it, and is revoked with that account.
ALTER TABLE api_key ADD COLUMN created_by VARCHAR(200);
