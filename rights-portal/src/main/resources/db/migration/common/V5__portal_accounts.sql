-- Web accounts of data holders' staff (staff accounts come from the environment). Passwords are stored hashed.
CREATE TABLE portal_account (
    username      VARCHAR(64)  PRIMARY KEY,
    data_holder   VARCHAR(200) NOT NULL,
    password_hash VARCHAR(200) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    disabled_at   TIMESTAMP WITH TIME ZONE
);
