-- The vault's data keys became Tink keysets wrapped by a master keyset that can rotate. Rows written before keep
-- their format (1: a raw AES-GCM key wrapped by the raw master key) until they are re-wrapped; new rows are 2.
ALTER TABLE vault_key ADD COLUMN key_format SMALLINT NOT NULL DEFAULT 1;
